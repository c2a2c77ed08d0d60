#include "graph/prepare/quantize.h"

#include <string>

#include "common/error.h"
#include "graph/prepare/common.h"

namespace tinyfuse {

namespace {

bool Is8(DType t) { return t == DType::kInt8 || t == DType::kUInt8; }

// The float edge of a QUANTIZE (float -> 8-bit) or DEQUANTIZE (8-bit -> float): the checks and constants
// common to both; `q` is the quantized side's tensor, `role` its name ("input" or "output").
QuantizeParams FloatEdge(const Tensor& in, const Tensor& out, const Tensor& q, const char* role,
                         const std::string& what) {
  Check(!in.is_const, what + ": a constant input is unsupported");
  CheckActivationTensor(q, q.dtype, what, role);
  Check(in.num_elements() == out.num_elements(), what + ": input and output sizes differ");
  QuantizeParams p;
  p.input_dtype = in.dtype;
  p.output_dtype = out.dtype;
  p.size = in.num_elements();
  p.float_scale = TensorScale(q, what + ": " + role);
  return p;
}

}  // namespace

QuantizeParams PrepareDequantize(const Graph& g, const Op& op) {
  const std::string what = OpLabel(g, op);
  Check(op.inputs.size() == 1 && op.outputs.size() == 1, what + ": needs one input and one output");
  const Tensor& in = g.tensor(op.inputs[0]);
  const Tensor& out = g.tensor(op.outputs[0]);
  Check(Is8(in.dtype) && out.dtype == DType::kFloat32, what + ": only int8/uint8 to float32 is supported (got " +
                                                           DTypeName(in.dtype) + " to " + DTypeName(out.dtype) + ")");
  QuantizeParams p = FloatEdge(in, out, in, "input", what);
  p.input_zero_point = in.quant.zp();
  return p;
}

QuantizeParams PrepareQuantize(const Graph& g, const Op& op) {
  const std::string what = OpLabel(g, op);
  Check(op.inputs.size() == 1 && op.outputs.size() == 1, what + ": needs one input and one output");
  const Tensor& in = g.tensor(op.inputs[0]);
  const Tensor& out = g.tensor(op.outputs[0]);
  if (in.dtype == DType::kFloat32) {
    Check(out.dtype == DType::kInt8, what + ": float32 input needs an int8 output (got " +
                                         std::string(DTypeName(out.dtype)) + "; TFLite Micro has no other)");
    QuantizeParams p = FloatEdge(in, out, out, "output", what);
    p.output_zero_point = out.quant.zp();
    p.round_min = DTypeMin(out.dtype) - p.output_zero_point;
    p.round_max = DTypeMax(out.dtype) - p.output_zero_point;
    return p;
  }
  Check(Is8(in.dtype) && Is8(out.dtype), what + ": only int8/uint8 to int8/uint8 requantization is supported (got " +
                                             DTypeName(in.dtype) + " to " + DTypeName(out.dtype) + ")");
  CheckActivationTensor(in, in.dtype, what, "input");
  CheckActivationTensor(out, out.dtype, what, "output");
  Check(in.num_elements() == out.num_elements(), what + ": input and output sizes differ");

  QuantizeParams p;
  p.input_dtype = in.dtype;
  p.output_dtype = out.dtype;
  p.size = in.num_elements();
  p.input_zero_point = in.quant.zp();
  p.output_zero_point = out.quant.zp();
  const double effective_scale = static_cast<double>(TensorScale(in, what + ": input")) /
                                 static_cast<double>(TensorScale(out, what + ": output"));
  p.multiplier = QuantizeMultiplier(effective_scale);
  const bool same_scale = p.multiplier.multiplier == (1 << 30) && p.multiplier.shift == 1;
  const int32_t zp_diff = p.input_zero_point - p.output_zero_point;
  p.flip_sign_bit = same_scale && ((in.dtype == DType::kInt8 && out.dtype == DType::kUInt8 && zp_diff == -128) ||
                                   (in.dtype == DType::kUInt8 && out.dtype == DType::kInt8 && zp_diff == 128));
  return p;
}

}  // namespace tinyfuse
