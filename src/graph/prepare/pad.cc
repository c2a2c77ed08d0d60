#include "graph/prepare/pad.h"

#include <string>

#include "common/error.h"
#include "common/text.h"
#include "graph/prepare/common.h"

namespace tinyfuse {

PadParams PreparePad(const Graph& g, const Op& op) {
  const std::string what = OpLabel(g, op);
  Check((op.inputs.size() == 2 || op.inputs.size() == 3) && op.outputs.size() == 1,
        what + ": needs an input, a paddings tensor and one output");
  const Tensor& in = g.tensor(op.inputs[0]);
  const Tensor& paddings = g.tensor(op.inputs[1]);
  const Tensor& out = g.tensor(op.outputs[0]);
  Check(in.dtype == DType::kInt8 || in.dtype == DType::kUInt8,
        what + ": input " + QuoteName(in.name) + " is " + DTypeName(in.dtype) + ", only int8 and uint8 are supported");
  CheckActivationTensor(in, in.dtype, what, "input");
  CheckActivationTensor(out, in.dtype, what, "output");
  const int rank = in.rank();
  Check(rank <= 6, what + ": rank " + std::to_string(rank) + " is above the supported 6");
  Check(out.rank() == rank, what + ": input and output ranks differ");
  Check(paddings.is_const && paddings.dtype == DType::kInt32, what + ": paddings must be a constant int32 tensor");
  Check(paddings.num_elements() == 2 * rank, what + ": paddings must have shape [" + std::to_string(rank) + ", 2]");

  PadParams p;
  p.dtype = in.dtype;
  p.input_shape = in.shape;
  p.output_shape = out.shape;
  for (int i = 0; i < rank; ++i) {
    const int32_t b = paddings.ConstInt(2 * i);
    const int32_t a = paddings.ConstInt(2 * i + 1);
    Check(b >= 0 && a >= 0, what + ": negative paddings are not supported");
    Check(in.dim(i) + b + a == out.dim(i), what + ": output dim " + std::to_string(i) + " is " +
                                               std::to_string(out.dim(i)) + ", input + paddings give " +
                                               std::to_string(in.dim(i) + b + a));
    p.before.push_back(b);
    p.after.push_back(a);
  }
  p.pad_value = out.quant.zp();
  if (op.inputs.size() == 3 && op.inputs[2] >= 0) {
    const Tensor& value = g.tensor(op.inputs[2]);
    Check(value.is_const && value.dtype == in.dtype && value.num_elements() == 1,
          what + ": constant_values must be one constant element of the input dtype");
    p.pad_value = value.ConstInt(0);
  }
  return p;
}

MoveMap PadMap(const PadParams& p) {
  MoveMap m = StridedMap(p.dtype, p.output_shape, RowMajorStrides(p.input_shape));
  for (size_t k = 0; k < m.axes.size(); ++k) {
    m.axes[k].before = p.before[k];
    m.axes[k].size = p.input_shape[k];
  }
  m.pad_value = p.pad_value;
  return m;
}

}  // namespace tinyfuse
