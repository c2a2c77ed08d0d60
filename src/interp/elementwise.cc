// The unary table family and the binary elementwise operators; formulas in graph/prepare/elementwise.h.
#include "interp/elementwise.h"

#include <limits>

#include "common/fixed_point.h"
#include "graph/prepare/common.h"
#include "graph/prepare/softmax.h"
#include "interp/kernels.h"

namespace tinyfuse {

namespace {

int32_t Negate(int32_t a) { return static_cast<int32_t>(0u - static_cast<uint32_t>(a)); }

// gemmlowp's logistic of a Q4.27 value, result in Q0.31: 1 / (1 + exp(-|a|)) for a > 0, one minus it for
// a < 0, exactly 1/2 at 0.
int32_t LogisticQ4(int32_t a) {
  if (a == 0) return 1 << 30;
  const int32_t positive = OneOverOnePlusX(ExpOnNegativeValues(a > 0 ? Negate(a) : a, 4));
  return a > 0 ? positive : std::numeric_limits<int32_t>::max() - positive;
}

// gemmlowp's tanh of a Q4.27 value, result in Q0.31: (1 - exp(-2|a|)) / (1 + exp(-2|a|)) with the sign of
// a; -2|a| is the same raw value read with 5 integer bits.
int32_t TanhQ4(int32_t a) {
  if (a == 0) return 0;
  const int32_t t = OneMinusXOverOnePlusX(ExpOnNegativeValues(a < 0 ? a : Negate(a), 5));
  return a < 0 ? Negate(t) : t;
}

// LOGISTIC and TANH of an int8 value (graph/prepare/elementwise.h).
int32_t EvalFixedPointUnary(const UnaryParams& p, int32_t x) {
  const int32_t d = x - p.input_zero_point;
  if (d <= -p.input_range_radius) return -128;
  if (d >= p.input_range_radius) return 127;
  const int32_t q4 = MultiplyByQuantizedMultiplierDouble(d, p.input_q4);
  if (p.method == UnaryParams::Method::kLogistic) return Clamp(RoundingDivideByPOT(LogisticQ4(q4), 23) - 128, -128, 127);
  return Clamp(RoundingDivideByPOT(TanhQ4(q4), 24), -128, 127);
}

}  // namespace

int32_t EvalUnary(const UnaryParams& p, int32_t x) {
  switch (p.method) {
    case UnaryParams::Method::kClampInput:
      return Clamp(x, p.act.min, p.act.max);
    case UnaryParams::Method::kLogistic:
    case UnaryParams::Method::kTanh:
      return EvalFixedPointUnary(p, x);
    case UnaryParams::Method::kRequantizeClamp:
      return Clamp(p.output_zero_point + MultiplyByQuantizedMultiplierDouble(x - p.input_zero_point, p.identity),
                   p.act.min, p.act.max);
    case UnaryParams::Method::kLeakyRelu: {
      const int32_t d = x - p.input_zero_point;
      int32_t v;
      if (d >= 0) {
        v = MultiplyByQuantizedMultiplierDouble(d, p.identity);
      } else {
        const int32_t scaled = MultiplyByQuantizedMultiplierDouble(d, p.alpha);
        v = p.alpha_negative ? -scaled : scaled;
      }
      return Clamp(p.output_zero_point + v, p.act.min, p.act.max);
    }
  }
  return 0;
}

int32_t EvalBinary(const BinaryParams& p, int32_t x1, int32_t x2) {
  const int32_t d1 = x1 - p.input1_zero_point;
  const int32_t d2 = x2 - p.input2_zero_point;
  int32_t v = 0;
  switch (p.op) {
    case OpKind::kMul:
      v = MultiplyByQuantizedMultiplierDouble(d1 * d2, p.output_multiplier) + p.output_zero_point;
      break;
    case OpKind::kSub:
    case OpKind::kSquaredDifference: {
      // |d| <= 255: the shifts (20 and 7) and the square of the rescaled difference stay inside int32.
      const int32_t r1 = MultiplyByQuantizedMultiplierDouble(d1 * (1 << p.left_shift), p.input1_multiplier);
      const int32_t r2 = MultiplyByQuantizedMultiplierDouble(d2 * (1 << p.left_shift), p.input2_multiplier);
      const int32_t r = r1 - r2;
      v = MultiplyByQuantizedMultiplierDouble(p.op == OpKind::kSub ? r : r * r, p.output_multiplier) +
          p.output_zero_point;
      break;
    }
    case OpKind::kMaximum:
      v = x1 > x2 ? x1 : x2;
      break;
    case OpKind::kMinimum:
      v = x1 < x2 ? x1 : x2;
      break;
    case OpKind::kPrelu:
      v = (d1 >= 0 ? MultiplyByQuantizedMultiplierDouble(d1, p.output_multiplier)
                   : MultiplyByQuantizedMultiplierDouble(d1 * d2, p.alpha_multiplier)) +
          p.output_zero_point;
      break;
    default:
      break;
  }
  return Clamp(v, p.act.min, p.act.max);
}

namespace {

void EvalUnaryOp(const KernelContext& ctx) {
  const UnaryParams p = PrepareUnary(ctx.graph, ctx.op);
  const uint8_t* in = ctx.in(0);
  uint8_t* out = ctx.out(0);
  for (int64_t i = 0; i < p.size; ++i) Store8(out, i, EvalUnary(p, Load8(in, p.dtype, i)));
}

void EvalBinaryOp(const KernelContext& ctx) {
  const BinaryParams p = PrepareBinary(ctx.graph, ctx.op);
  const uint8_t* in1 = ctx.in(0);
  const uint8_t* in2 = ctx.in(1);
  uint8_t* out = ctx.out(0);
  ForEachBroadcast(p.maps, [&](int64_t i, int64_t o1, int64_t o2) {
    Store8(out, i, EvalBinary(p, Load8(in1, p.dtype, o1), Load8(in2, p.dtype, o2)));
  });
}

}  // namespace

void Eval_kLogistic(const KernelContext& ctx) { EvalUnaryOp(ctx); }
void Eval_kTanh(const KernelContext& ctx) { EvalUnaryOp(ctx); }
void Eval_kRelu(const KernelContext& ctx) { EvalUnaryOp(ctx); }
void Eval_kReluN1To1(const KernelContext& ctx) { EvalUnaryOp(ctx); }
void Eval_kRelu6(const KernelContext& ctx) { EvalUnaryOp(ctx); }
void Eval_kLeakyRelu(const KernelContext& ctx) { EvalUnaryOp(ctx); }
void Eval_kMul(const KernelContext& ctx) { EvalBinaryOp(ctx); }
void Eval_kSub(const KernelContext& ctx) { EvalBinaryOp(ctx); }
void Eval_kPrelu(const KernelContext& ctx) { EvalBinaryOp(ctx); }
void Eval_kMaximum(const KernelContext& ctx) { EvalBinaryOp(ctx); }
void Eval_kMinimum(const KernelContext& ctx) { EvalBinaryOp(ctx); }
void Eval_kSquaredDifference(const KernelContext& ctx) { EvalBinaryOp(ctx); }

}  // namespace tinyfuse
