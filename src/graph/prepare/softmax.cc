#include "graph/prepare/softmax.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "common/error.h"
#include "common/fixed_point.h"
#include "common/text.h"
#include "graph/prepare/common.h"

namespace tinyfuse {

namespace {

constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();

// Integer bits of the rescaled input difference (Q5.26) and of the sum of exps (Q12.19).
constexpr int kScaledDiffIntegerBits = 5;
constexpr int kAccumulationIntegerBits = 12;

// x * 2^exponent for exponent > 0, saturating at the int32 bounds (gemmlowp's threshold rule).
int32_t SaturatingShiftLeft(int32_t x, int exponent) {
  const int32_t threshold = static_cast<int32_t>((1LL << (31 - exponent)) - 1);
  if (x > threshold) return kInt32Max;
  if (x < -threshold) return kInt32Min;
  return WrappingShiftLeft(x, exponent);
}

// (a + b) / 2 rounded half away from zero, in 64 bits.
int32_t RoundingHalfSum(int32_t a, int32_t b) {
  const int64_t sum = static_cast<int64_t>(a) + static_cast<int64_t>(b);
  const int64_t sign = sum >= 0 ? 1 : -1;
  return static_cast<int32_t>((sum + sign) / 2);
}

// Plain int32 addition; gemmlowp's operands here never overflow, wrapping keeps it defined anyway.
int32_t Add(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}
int32_t Sub(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
}

// exp(a) for a in [-1/4, 0), Q0.31 in and out: Taylor expansion around -1/8 to the fourth power.
int32_t ExpOnQuarterInterval(int32_t a) {
  constexpr int32_t kExpMinusOneEighth = 1895147668;  // exp(-1/8) in Q0.31
  constexpr int32_t kOneThird = 715827883;            // 1/3 in Q0.31
  const int32_t x = Add(a, 1 << 28);                  // a + 1/8
  const int32_t x2 = SaturatingRoundingDoublingHighMul(x, x);
  const int32_t x3 = SaturatingRoundingDoublingHighMul(x2, x);
  const int32_t x4 = SaturatingRoundingDoublingHighMul(x2, x2);
  const int32_t x4_over_4 = RoundingDivideByPOT(x4, 2);
  const int32_t poly = RoundingDivideByPOT(
      Add(SaturatingRoundingDoublingHighMul(Add(x4_over_4, x3), kOneThird), x2), 1);
  return Add(kExpMinusOneEighth, SaturatingRoundingDoublingHighMul(kExpMinusOneEighth, Add(x, poly)));
}

}  // namespace

int32_t ExpOnNegativeValues(int32_t a, int integer_bits) {
  const int fractional_bits = 31 - integer_bits;
  const int32_t one_quarter = 1 << (fractional_bits - 2);
  const int32_t a_mod_quarter_minus_quarter = Sub(a & (one_quarter - 1), one_quarter);
  int32_t result = ExpOnQuarterInterval(SaturatingShiftLeft(a_mod_quarter_minus_quarter, integer_bits));
  const int32_t remainder = Sub(a_mod_quarter_minus_quarter, a);
  // exp(-2^k) for k = -2 .. 4 in Q0.31, applied for each bit of the remaining whole quarters.
  constexpr int32_t kBarrel[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
  for (int k = -2; k <= 4 && k < integer_bits; ++k) {
    if (remainder & (1 << (fractional_bits + k))) {
      result = SaturatingRoundingDoublingHighMul(result, kBarrel[k + 2]);
    }
  }
  // gemmlowp's clamp to 0 below -32 only exists with more than 5 integer bits.
  if (integer_bits > 5 && a < -(1 << (36 - integer_bits))) result = 0;
  return a == 0 ? kInt32Max : result;
}

int32_t ExpOnNegativeValuesQ5(int32_t a) { return ExpOnNegativeValues(a, kScaledDiffIntegerBits); }

namespace {

// Newton-Raphson for 1 / (1 + x), x in [0, 1) in Q0.31: three steps from 48/17 - 32/17 * d on the half
// denominator d = (1 + x) / 2; the result is in Q2.29.
int32_t ReciprocalOfOnePlusXQ2(int32_t x) {
  const int32_t half_denominator = RoundingHalfSum(x, kInt32Max);
  constexpr int32_t k48Over17 = 1515870810;
  constexpr int32_t kMinus32Over17 = -1010580540;
  constexpr int32_t kOneQ2 = 1 << 29;
  int32_t r = Add(k48Over17, SaturatingRoundingDoublingHighMul(half_denominator, kMinus32Over17));
  for (int i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_r = SaturatingRoundingDoublingHighMul(half_denominator, r);
    const int32_t one_minus = Sub(kOneQ2, half_denominator_times_r);
    r = Add(r, SaturatingShiftLeft(SaturatingRoundingDoublingHighMul(r, one_minus), 2));  // Q4 -> Q2
  }
  return r;
}

}  // namespace

int32_t OneOverOnePlusX(int32_t x) {
  return SaturatingShiftLeft(ReciprocalOfOnePlusXQ2(x), 1);  // r / 2 in Q1.30 read as Q0.31: one saturating doubling
}

int32_t OneMinusXOverOnePlusX(int32_t x) {
  return SaturatingShiftLeft(Sub(ReciprocalOfOnePlusXQ2(x), 1 << 29), 2);  // r - 1 in Q2.29 -> Q0.31
}

int32_t SoftmaxReciprocal(int32_t sum_q12, int* num_bits_over_unit) {
  const uint32_t u = static_cast<uint32_t>(sum_q12);
  const int headroom_plus_one = u == 0 ? 32 : __builtin_clz(u);
  *num_bits_over_unit = kAccumulationIntegerBits - headroom_plus_one;
  const uint32_t shifted = headroom_plus_one >= 32 ? 0u : (u << headroom_plus_one);
  const int32_t shifted_sum_minus_one = static_cast<int32_t>(shifted - (1u << 31));
  return OneOverOnePlusX(shifted_sum_minus_one);
}

SoftmaxParams PrepareSoftmax(const Graph& g, const Op& op, Arith arith) {
  const std::string what = OpLabel(g, op);
  Check(op.inputs.size() == 1 && op.outputs.size() == 1, what + ": needs one input and one output");
  const Tensor& in = g.tensor(op.inputs[0]);
  const Tensor& out = g.tensor(op.outputs[0]);
  Check(in.dtype == DType::kInt8 || in.dtype == DType::kUInt8,
        what + ": input " + QuoteName(in.name) + " is " + DTypeName(in.dtype) + ", only int8 and uint8 are supported");
  CheckActivationTensor(in, in.dtype, what, "input");
  CheckActivationTensor(out, in.dtype, what, "output");
  Check(in.rank() >= 1, what + ": input " + QuoteName(in.name) + " must have rank >= 1");
  Check(in.shape == out.shape, what + ": input and output shapes differ");

  SoftmaxParams p;
  p.arith = arith;
  p.dtype = in.dtype;
  p.depth = in.dim(in.rank() - 1);
  Check(p.depth > 0, what + ": the last dimension is empty");
  p.rows = static_cast<int32_t>(in.num_elements() / p.depth);
  // kTflm sums up to depth exps of at most 2^19 (1.0 in Q12.19) in an int32.
  Check(arith != Arith::kTflm || p.depth < 4096,
        what + ": " + std::to_string(p.depth) + " classes overflow TFLite Micro's Q12.19 sum (at most 4095)");

  const SoftmaxAttrs* attrs = std::get_if<SoftmaxAttrs>(&op.attrs);
  Check(attrs != nullptr, what + ": missing softmax options (beta)");
  const float beta = attrs->beta;
  const float input_scale = TensorScale(in, what + ": input");
  Check(beta > 0.0f && input_scale > 0.0f, what + ": beta and the input scale must be positive");
  const float output_scale = TensorScale(out, what + ": output");
  p.output_scale = output_scale;
  p.output_zero_point = out.quant.zp();

  if (arith == Arith::kTflm) {
    const int32_t expected_zp = in.dtype == DType::kInt8 ? -128 : 0;
    Check(output_scale == 1.0f / 256 && p.output_zero_point == expected_zp,
          what + ": TFLite Micro needs output scale 1/256 and zero point " + std::to_string(expected_zp) +
              " (got " + std::to_string(output_scale) + ", " + std::to_string(p.output_zero_point) + ")");
    // PreprocessSoftmaxScaling: beta * scale as a Q5.26 multiplier, capped below 2^31.
    const double real_multiplier =
        std::min(static_cast<double>(beta) * static_cast<double>(input_scale) *
                     static_cast<double>(1 << (31 - kScaledDiffIntegerBits)),
                 static_cast<double>((1LL << 31) - 1));
    Check(real_multiplier > 1.0, what + ": beta * input_scale is too small for the fixed-point softmax");
    const QuantizedMultiplier m = QuantizeMultiplier(real_multiplier);
    p.input_multiplier = m.multiplier;
    p.input_left_shift = m.shift;
    // CalculateInputRadius(5, left_shift): the largest |d| whose rescaling cannot overflow.
    const double radius = 1.0 * ((1 << kScaledDiffIntegerBits) - 1) *
                          static_cast<double>(1LL << (31 - kScaledDiffIntegerBits)) /
                          static_cast<double>(1LL << p.input_left_shift);
    p.diff_min = -static_cast<int32_t>(std::floor(radius));
    for (int d = 0; d < 256; ++d) {
      if (-d < p.diff_min) continue;  // stays 0: skipped in the sum, dtype_min at the output
      // MultiplyByQuantizedMultiplierGreaterThanOne(-d): left shift, then SRDHM.
      const int32_t scaled = SaturatingRoundingDoublingHighMul(WrappingShiftLeft(-d, p.input_left_shift),
                                                                p.input_multiplier);
      p.exp_q31[static_cast<size_t>(d)] = ExpOnNegativeValuesQ5(scaled);
    }
  } else {
    // PopulateSoftmaxLookupTable, in float as TFLite computes it.
    const float scale = -input_scale * beta;
    for (int d = 0; d < 256; ++d) {
      p.exp_table[static_cast<size_t>(255 - d)] = std::exp(scale * static_cast<float>(d));
    }
  }
  return p;
}

}  // namespace tinyfuse
