// Lowering of the binary anchor (MUL, SUB, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE, PRELU) with its epilogue
// into one loop nest over broadcast index maps (MakeBroadcastNest): one scalar body per op, every constant
// from BinaryParams (graph/prepare/elementwise.h); the epilogue requantizes, clamps and casts.
//   MUL:  (x1 - zp1) * (x2 - zp2)                     SUB: r1 - r2        SQUARED_DIFFERENCE: (r1 - r2)^2
//   MAXIMUM/MINIMUM: max/min of the stored values     PRELU: d >= 0 ? MBQM(d, m1) : MBQM(d * (a - zp_a), m2)
// with r = Requantize((x - zp) * 2^left_shift, m_in) and d = x1 - zp1. A constant input (PRELU's alpha) is a
// compiler constant. In place: without broadcasting, element i is written after both inputs' element i
// is read, like ADD.
#include "common/error.h"
#include "loop/lower_util.h"

namespace tinyfuse::loop::lowering {

namespace {

Ranged Body(const BinaryParams& p, const Expr& x1, const Expr& x2) {
  switch (p.op) {
    case OpKind::kMul:
      return CheckedMul(Centered(x1, p.dtype, p.input1_zero_point), Centered(x2, p.dtype, p.input2_zero_point));
    case OpKind::kSub:
    case OpKind::kSquaredDifference: {
      const Ranged r = CheckedSub(
          RescaledInput(x1, p.dtype, p.input1_zero_point, p.left_shift, p.input1_multiplier, Rounding::kDouble),
          RescaledInput(x2, p.dtype, p.input2_zero_point, p.left_shift, p.input2_multiplier, Rounding::kDouble));
      return p.op == OpKind::kSub ? r : CheckedMul(r, r);
    }
    case OpKind::kMaximum:
    case OpKind::kMinimum: {
      const Expr a = Cast(ScalarType::kInt32, x1), b = Cast(ScalarType::kInt32, x2);
      return {p.op == OpKind::kMaximum ? Max(a, b) : Min(a, b), DTypeRange(p.dtype)};
    }
    case OpKind::kPrelu: {
      const Ranged d = Centered(x1, p.dtype, p.input1_zero_point);
      const Ranged product = CheckedMul(d, Centered(x2, p.dtype, p.input2_zero_point));
      auto mbqm = [](const Expr& x, const QuantizedMultiplier& m) {
        return Call(Intrinsic::kMultiplyByQuantizedMultiplierDouble, {x, Imm(m.multiplier), Imm(m.shift)});
      };
      // Both branches are requantized values; their range is not tracked (the epilogue's add of the
      // zero point then wraps, as the reference's int32 add would).
      const Interval any = TypeRange(ScalarType::kInt32);
      // A branch the input's range rules out is left out (its comparison would be constant in C).
      if (d.r.lo >= 0) return {mbqm(d.e, p.output_multiplier), any};
      if (d.r.hi < 0) return {mbqm(product.e, p.alpha_multiplier), any};
      return {Select(Ge(d.e, Imm(0)), mbqm(d.e, p.output_multiplier), mbqm(product.e, p.alpha_multiplier)), any};
    }
    default:
      break;
  }
  throw Error(std::string("lowering: ") + OpName(p.op) + " is not a binary elementwise operator");
}

}  // namespace

Kernel LowerBinary(GroupLowerer& l) {
  const auto& a = std::get<passes::BinaryAttrs>(l.anchor().attrs);
  const BinaryParams& p = a.params;
  auto operand = [&](int tensor, const std::string& name) {
    return l.graph().tensor(tensor).is_const ? l.Constant(tensor, name) : l.Input(tensor, name);
  };
  const Buffer in1 = operand(a.input1_tensor, "input1");
  const Buffer in2 = operand(a.input2_tensor, p.op == OpKind::kPrelu ? "alpha" : "input2");
  const Buffer out = l.Output();
  const BroadcastNest n = MakeBroadcastNest(p.maps);
  const Ranged value = Body(p, Load(in1, n.index1), Load(in2, n.index2));
  const Stmt body = Store(out, n.out_index, l.Epilogue(value, n.channel));
  return l.Finish(Nest(n.dims, body), p.maps.broadcast ? "broadcast" : "");
}

}  // namespace tinyfuse::loop::lowering
