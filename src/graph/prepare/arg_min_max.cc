#include "graph/prepare/arg_min_max.h"

#include <string>

#include "common/error.h"
#include "common/text.h"
#include "graph/prepare/common.h"

namespace tinyfuse {

ArgMinMaxParams PrepareArgMinMax(const Graph& g, const Op& op) {
  const std::string what = OpLabel(g, op);
  Check(op.kind == OpKind::kArgMax || op.kind == OpKind::kArgMin, what + ": not ARG_MAX or ARG_MIN");
  Check(op.inputs.size() == 2 && op.outputs.size() == 1, what + ": needs an input, an axis tensor and one output");
  const Tensor& in = g.tensor(op.inputs[0]);
  const Tensor& axis = g.tensor(op.inputs[1]);
  const Tensor& out = g.tensor(op.outputs[0]);
  Check(in.dtype == DType::kInt8 || in.dtype == DType::kUInt8,
        what + ": input " + QuoteName(in.name) + " is " + DTypeName(in.dtype) + ", only int8 and uint8 are supported");
  Check(axis.is_const && (axis.dtype == DType::kInt32 || axis.dtype == DType::kInt64) && axis.num_elements() == 1,
        what + ": the axis must be a constant int32 or int64 tensor with one element");
  const auto* attrs = std::get_if<ArgMinMaxAttrs>(&op.attrs);
  Check(attrs != nullptr, what + ": options are missing");
  Check(attrs->output_type == DType::kInt32 || attrs->output_type == DType::kInt64,
        what + ": output_type " + DTypeName(attrs->output_type) + " is invalid (int32 or int64)");
  Check(out.dtype == attrs->output_type, what + ": the output is " + std::string(DTypeName(out.dtype)) +
                                             " but output_type is " + DTypeName(attrs->output_type));
  const int rank = in.rank();
  Check(rank >= 1, what + ": the input must have rank 1 or more");
  int a = axis.ConstInt(0);
  Check(a >= -rank && a < rank,
        what + ": axis " + std::to_string(a) + " is out of range for rank " + std::to_string(rank));
  if (a < 0) a += rank;

  ArgMinMaxParams p;
  p.is_max = op.kind == OpKind::kArgMax;
  p.input_dtype = in.dtype;
  p.output_dtype = out.dtype;
  for (int i = 0; i < a; ++i) p.outer *= in.dim(i);
  p.axis_size = in.dim(a);
  for (int i = a + 1; i < rank; ++i) p.inner *= in.dim(i);
  Check(p.axis_size >= 1, what + ": the reduced axis is empty");
  Check(out.num_elements() == p.outer * p.inner, what + ": the output has " + std::to_string(out.num_elements()) +
                                                     " elements, expected " + std::to_string(p.outer * p.inner));
  return p;
}

}  // namespace tinyfuse
