#include "graph/prepare/elementwise.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <variant>

#include "common/error.h"
#include "common/text.h"

namespace tinyfuse {

bool IsUnaryOp(OpKind k) {
  return k == OpKind::kRelu || k == OpKind::kRelu6 || k == OpKind::kReluN1To1 || k == OpKind::kLeakyRelu ||
         k == OpKind::kLogistic || k == OpKind::kTanh;
}

bool IsBinaryOp(OpKind k) {
  return k == OpKind::kMul || k == OpKind::kSub || k == OpKind::kMaximum || k == OpKind::kMinimum ||
         k == OpKind::kSquaredDifference || k == OpKind::kPrelu;
}

namespace {

// The dtype of an elementwise op: its output's, int8 or uint8; every input must share it.
DType ElementwiseDType(const Tensor& out, const std::string& what) {
  Check(out.dtype == DType::kInt8 || out.dtype == DType::kUInt8, what + ": output " + QuoteName(out.name) + " is " +
                                                                     DTypeName(out.dtype) +
                                                                     ", only int8 and uint8 are supported");
  return out.dtype;
}

// TFLite's QuantizeMultiplierSmallerThanOneExp: QuantizeMultiplier of a multiplier below one (checked).
QuantizedMultiplier BelowOne(double real, const std::string& what) {
  Check(real > 0.0 && real < 1.0, what + ": rescale factor " + std::to_string(real) + " is not in (0, 1)");
  return QuantizeMultiplier(real);
}

Activation ActivationOfUnary(OpKind k) {
  switch (k) {
    case OpKind::kRelu6: return Activation::kRelu6;
    case OpKind::kReluN1To1: return Activation::kReluN1To1;
    default: return Activation::kRelu;
  }
}

// LOGISTIC and TANH (TFLite Micro's Prepare): the input rescaled to Q4.27 by frexp(s_in * 2^27), the
// mantissa rounded half away from zero without the 2^31 fix-up QuantizeMultiplier has (checked instead).
void PrepareFixedPointInput(UnaryParams& p, float s_in, const std::string& what) {
  Check(p.dtype == DType::kInt8, what + ": only int8 is supported (TFLite Micro has no uint8 kernel)");
  Check(p.op != OpKind::kLogistic || p.output_zero_point == -128, what + ": output zero point must be -128");
  p.method = p.op == OpKind::kLogistic ? UnaryParams::Method::kLogistic : UnaryParams::Method::kTanh;
  int exponent = 0;
  const double q = std::frexp(static_cast<double>(s_in) * static_cast<double>(1 << 27), &exponent);
  const int64_t fixed = static_cast<int64_t>(std::round(q * 2147483648.0));
  Check(fixed < (int64_t{1} << 31) && exponent >= 0 && exponent <= 30,
        what + ": input scale " + std::to_string(s_in) + " is out of the supported range");
  p.input_q4 = {static_cast<int32_t>(fixed), exponent};
  p.input_range_radius =
      static_cast<int32_t>(std::floor(15.0 * static_cast<double>(int64_t{1} << 27) / static_cast<double>(int64_t{1} << exponent)));
}

}  // namespace

UnaryParams PrepareUnary(const Graph& g, const Op& op) {
  const std::string what = OpLabel(g, op);
  Check(IsUnaryOp(op.kind), what + ": not a unary table operator");
  Check(op.inputs.size() == 1 && op.outputs.size() == 1 && op.inputs[0] >= 0, what + ": needs one input and one output");
  const Tensor& in = g.tensor(op.inputs[0]);
  const Tensor& out = g.tensor(op.outputs[0]);
  UnaryParams p;
  p.op = op.kind;
  p.dtype = ElementwiseDType(out, what);
  CheckActivationTensor(in, p.dtype, what, "input");
  CheckActivationTensor(out, p.dtype, what, "output");
  Check(in.shape == out.shape, what + ": input and output shapes differ");
  p.size = out.num_elements();
  p.input_zero_point = in.quant.zp();
  p.output_zero_point = out.quant.zp();
  const float s_in = in.quant.scale[0];
  const float s_out = out.quant.scale[0];
  // The ratio is a float division, widened afterwards (as TFLite Micro computes it).
  p.identity = QuantizeMultiplier(static_cast<double>(s_in / s_out));
  p.act = {DTypeMin(p.dtype), DTypeMax(p.dtype)};
  if (op.kind == OpKind::kLeakyRelu) {
    const auto* attrs = std::get_if<LeakyReluAttrs>(&op.attrs);
    Check(attrs != nullptr, what + ": missing leaky relu attributes");
    p.method = UnaryParams::Method::kLeakyRelu;
    const QuantizedMultiplier alpha = QuantizeMultiplier(static_cast<double>(s_in * attrs->alpha / s_out));
    Check(alpha.multiplier != std::numeric_limits<int32_t>::min(), what + ": alpha multiplier rounds to -2^31");
    p.alpha_negative = alpha.multiplier < 0;
    p.alpha = {p.alpha_negative ? -alpha.multiplier : alpha.multiplier, alpha.shift};
  } else if (op.kind == OpKind::kLogistic || op.kind == OpKind::kTanh) {
    PrepareFixedPointInput(p, s_in, what);
  } else if (op.kind == OpKind::kRelu6 && p.dtype == DType::kInt8) {
    // TFLite Micro clamps the stored value to [zero, six] of the input's quantization.
    p.method = UnaryParams::Method::kClampInput;
    const double six = std::round(static_cast<double>(6.0f / s_in)) + p.input_zero_point;
    p.act = {p.input_zero_point, static_cast<int32_t>(std::min<double>(six, DTypeMax(p.dtype)))};
  } else {
    p.method = UnaryParams::Method::kRequantizeClamp;
    p.act = CalculateActivationRange(ActivationOfUnary(op.kind), p.dtype, out.quant);
  }
  if (p.method == UnaryParams::Method::kLeakyRelu || p.method == UnaryParams::Method::kRequantizeClamp) {
    for (const QuantizedMultiplier& m : {p.identity, p.alpha}) {
      Check(m.shift <= 30, what + ": a rescale factor of 2^" + std::to_string(m.shift) + " is out of range");
    }
  }
  return p;
}

namespace {

// SUB (left shift 20) and SQUARED_DIFFERENCE (left shift 7) rescale both inputs to a common scale first.
void PrepareRescale(BinaryParams& p, float s1, float s2, float s_out, const std::string& what) {
  if (p.op == OpKind::kSub) {
    // TFLite Micro's SUB computes these ratios in float and widens them.
    p.left_shift = 20;
    const float twice_max = 2 * std::max(s1, s2);
    p.input1_multiplier = BelowOne(static_cast<double>(s1 / twice_max), what);
    p.input2_multiplier = BelowOne(static_cast<double>(s2 / twice_max), what);
    p.output_multiplier =
        BelowOne(static_cast<double>(twice_max / (static_cast<float>(1 << p.left_shift) * s_out)), what);
    return;
  }
  // SQUARED_DIFFERENCE: double ratios; the output's (2^14 * s_out) is a float product.
  p.left_shift = 7;
  const double twice_max = 2.0 * static_cast<double>(std::max(s1, s2));
  p.input1_multiplier = BelowOne(static_cast<double>(s1) / twice_max, what);
  p.input2_multiplier = BelowOne(static_cast<double>(s2) / twice_max, what);
  const float denominator = static_cast<float>(1 << (2 * p.left_shift)) * s_out;
  p.output_multiplier = QuantizeMultiplier(twice_max * twice_max / static_cast<double>(denominator));
}

}  // namespace

BinaryParams PrepareBinary(const Graph& g, const Op& op) {
  const std::string what = OpLabel(g, op);
  Check(IsBinaryOp(op.kind), what + ": not a binary elementwise operator");
  Check(op.inputs.size() == 2 && op.outputs.size() == 1 && op.inputs[0] >= 0 && op.inputs[1] >= 0,
        what + ": needs two inputs and one output");
  const Tensor& in1 = g.tensor(op.inputs[0]);
  const Tensor& in2 = g.tensor(op.inputs[1]);
  const Tensor& out = g.tensor(op.outputs[0]);
  BinaryParams p;
  p.op = op.kind;
  p.dtype = ElementwiseDType(out, what);
  CheckActivationTensor(in1, p.dtype, what, "input 1");
  CheckActivationTensor(in2, p.dtype, what, op.kind == OpKind::kPrelu ? "alpha" : "input 2");
  CheckActivationTensor(out, p.dtype, what, "output");
  p.maps = MakeBroadcastMaps(in1.shape, in2.shape, out.shape, what);
  p.input1_zero_point = in1.quant.zp();
  p.input2_zero_point = in2.quant.zp();
  p.output_zero_point = out.quant.zp();
  const float s1 = in1.quant.scale[0], s2 = in2.quant.scale[0], s_out = out.quant.scale[0];
  const auto* attrs = std::get_if<AddAttrs>(&op.attrs);
  p.act = CalculateActivationRange(attrs ? attrs->activation : Activation::kNone, p.dtype, out.quant);
  switch (op.kind) {
    case OpKind::kMul:
      p.output_multiplier =
          QuantizeMultiplier(static_cast<double>(s1) * static_cast<double>(s2) / static_cast<double>(s_out));
      break;
    case OpKind::kSub:
    case OpKind::kSquaredDifference:
      PrepareRescale(p, s1, s2, s_out, what);
      break;
    case OpKind::kPrelu:
      p.output_multiplier = QuantizeMultiplier(static_cast<double>(s1) / static_cast<double>(s_out));
      p.alpha_multiplier =
          QuantizeMultiplier(static_cast<double>(s1) * static_cast<double>(s2) / static_cast<double>(s_out));
      break;
    default:  // MAXIMUM, MINIMUM: no arithmetic
      break;
  }
  for (const QuantizedMultiplier& m : {p.output_multiplier, p.alpha_multiplier}) {
    Check(m.shift <= 30, what + ": a rescale factor of 2^" + std::to_string(m.shift) + " is out of range");
  }
  return p;
}

}  // namespace tinyfuse
