#include "graph/prepare/pooling.h"

#include <string>
#include <variant>

#include "common/error.h"
#include "common/text.h"

namespace tinyfuse {

PoolParams PreparePool2D(const Graph& g, const Op& op, Arith /*arith*/) {
  const std::string what = OpLabel(g, op);
  Check(op.kind == OpKind::kAveragePool2D || op.kind == OpKind::kMaxPool2D, what + ": not a pooling op");
  Check(op.inputs.size() == 1 && op.outputs.size() == 1 && op.inputs[0] >= 0, what + ": needs one input and output");
  const auto* attrs = std::get_if<Pool2DAttrs>(&op.attrs);
  Check(attrs != nullptr, what + ": missing pooling attributes");
  const Tensor& in = g.tensor(op.inputs[0]);
  const Tensor& out = g.tensor(op.outputs[0]);
  Check(in.dtype == DType::kInt8 || in.dtype == DType::kUInt8,
        what + ": input " + QuoteName(in.name) + " is " + DTypeName(in.dtype) + ", only int8 and uint8 are supported");
  CheckActivationTensor(in, in.dtype, what, "input");
  CheckActivationTensor(out, in.dtype, what, "output");
  Check(in.quant.scale[0] == out.quant.scale[0] && in.quant.zp() == out.quant.zp(),
        what + ": input and output quantization differ (pooling does not requantize)");

  PoolParams p;
  p.dtype = in.dtype;
  p.window = PrepareWindow2D(in, out, attrs->filter_h, attrs->filter_w, attrs->padding, attrs->stride_h,
                             attrs->stride_w, 1, 1, what);
  p.channels = in.dim(3);
  Check(out.dim(3) == p.channels, what + ": output channels differ from input channels");
  p.act = CalculateActivationRange(attrs->activation, p.dtype, out.quant);
  return p;
}

}  // namespace tinyfuse
