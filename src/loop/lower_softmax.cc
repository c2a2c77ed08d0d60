// Lowering of softmax (SOFTMAX over the last axis) with its epilogue (clamp, cast, a chained QUANTIZE) into
// one loop nest: per row, three passes over the row's input bytes, with the row's max, its sum and the
// reciprocal in registers. Nothing of the row is stored between the passes (the exps are looked up again
// in the third pass, which costs one table load per element instead of a row buffer): no workspace.
// All constants are SoftmaxParams' (graph/prepare/softmax.h). Both tables are indexed by d = max - x, in
// [0, 255] because x <= max are both 8-bit; the verifier's interval analysis cannot relate the two and
// leaves these loads unchecked.
//
// kTflm, gemmlowp fixed point:
//   max = max over the row (from the dtype's minimum)
//   sum = sum of rounding_divide_by_pot(exp_q31[max - x], 12)              (Q12.19; depth < 4096: no overflow)
//   h = clz(sum); recip = one_over_one_plus_x(wrapping_shl(sum, h) - 2^31)  (TFLite's GetReciprocal)
//   exponent = (12 - h) + 23
//   out = rounding_divide_by_pot(srdhm(recip, exp_q31[max - x]), exponent) + dtype_min, or dtype_min for
//         every element when exponent > 31 (a sum of 512 or more; see the Prepare header).
// kTflite, IEEE single precision in element order (TFLite's uint8 table kernel):
//   e = exp_table[255 - (max - x)]; sum = float sum of e; inv = 1.0f / (sum * output_scale)
//   uint8: out = trunc(e * inv + 0.5f)   int8: out = roundf(e * inv) + zp
//   The product is bound to a variable of its own (a separate C statement) and the emitted file turns
//   floating-point contraction off, so no compiler fuses it with the + 0.5f into an FMA.
#include <algorithm>
#include <vector>

#include "common/error.h"
#include "loop/lower_util.h"

namespace tinyfuse::loop::lowering {

namespace {

struct Row {
  Dim row;
  Dim c;
  Expr x;  // cast(int32, input[row * depth + c])
};

// for c in [0, depth): body
Stmt OverRow(const Row& r, Stmt body) { return Nest({r.c}, std::move(body)); }

// max = dtype_min; for c: max = max(max, x). Returns the statement; the max lives in `max`.
Stmt RowMax(const Row& r, const Buffer& max, int32_t qmin) {
  const Expr m = Load(max, Imm(0));
  return Seq({Store(max, Imm(0), Imm(qmin)), OverRow(r, Store(max, Imm(0), Max(m, r.x)))});
}

Stmt SoftmaxTflm(GroupLowerer& l, const SoftmaxParams& p, const Row& r, const Buffer& out, const Expr& out_index) {
  const int32_t qmin = DTypeMin(p.dtype);
  const Buffer table = l.Table("exp_q31", ScalarType::kInt32, std::vector<int32_t>(p.exp_q31.begin(), p.exp_q31.end()));
  const Buffer max = LocalBuffer("max", ScalarType::kInt32, {1});
  const Buffer sum = LocalBuffer("sum", ScalarType::kInt32, {1});
  const Expr e = Load(table, Sub(Load(max, Imm(0)), r.x));  // exp(-(max - x)) in Q0.31, >= 0

  // Each term is in [0, 2^19]; depth < 4096 (Prepare) keeps the sum below 2^31.
  const int64_t term_max = (int64_t{*std::max_element(p.exp_q31.begin(), p.exp_q31.end())} + 2048) >> 12;
  const Expr term = Call(Intrinsic::kRoundingDivideByPOT, {e, Imm(12)});
  const Expr s = Load(sum, Imm(0));
  const bool plain = term_max * p.depth <= 2147483647LL;
  const Stmt accumulate = Store(sum, Imm(0), plain ? Add(s, term) : Call(Intrinsic::kWrappingAdd, {s, term}));

  const Var headroom = MakeVar("headroom"), recip = MakeVar("recip"), exponent = MakeVar("exponent");
  const Expr shifted = Call(Intrinsic::kWrappingShiftLeft, {s, headroom});
  const Expr minus_one = Call(Intrinsic::kWrappingAdd, {shifted, Imm(-2147483648LL)});
  const Ranged scaled{Add(Call(Intrinsic::kRoundingDivideByPOT,
                               {Call(Intrinsic::kSaturatingRoundingDoublingHighMul, {recip, e}), exponent}),
                          Imm(qmin)),
                      {qmin, qmin + 256}};
  const Stmt in_range = OverRow(r, Store(out, out_index, l.Epilogue(scaled, r.c.index)));
  const Stmt saturated = OverRow(r, Store(out, out_index, l.Epilogue({Imm(qmin), {qmin, qmin}}, r.c.index)));
  const Stmt scale = LetStmt(
      headroom, Call(Intrinsic::kCountLeadingZeros, {s}),
      LetStmt(recip, Call(Intrinsic::kOneOverOnePlusX, {minus_one}),
              LetStmt(exponent, Sub(Imm(35), headroom), IfThenElse(Le(exponent, Imm(31)), in_range, saturated))));
  return Allocate(max, Seq({RowMax(r, max, qmin),
                            Allocate(sum, Seq({Store(sum, Imm(0), Imm(0)), OverRow(r, accumulate), scale}))}));
}

Stmt SoftmaxTflite(GroupLowerer& l, const SoftmaxParams& p, const Row& r, const Buffer& out, const Expr& out_index) {
  const int32_t qmin = DTypeMin(p.dtype);
  // Prepare's exp_table[255 - d], indexed by d = max - x like the fixed-point table (same values).
  std::vector<float> by_distance(256);
  for (size_t d = 0; d < 256; ++d) by_distance[d] = p.exp_table[255 - d];
  const Buffer table = FloatConstantBuffer("exp_table", {256}, by_distance);
  const Buffer max = LocalBuffer("max", ScalarType::kInt32, {1});
  const Buffer sum = LocalBuffer("sum", ScalarType::kFloat32, {1});
  const Var inv = MakeVar("inv", ScalarType::kFloat32);
  const Var prob = MakeVar("prob", ScalarType::kFloat32);
  const Expr t = Load(table, Sub(Load(max, Imm(0)), r.x));
  const Expr s = Load(sum, Imm(0));

  Ranged q;
  if (p.dtype == DType::kUInt8) {  // truncation of prob + 0.5f; no zero point
    q = {Call(Intrinsic::kFloatToInt32Trunc, {Add(prob, FloatImm(0.5f))}), TypeRange(ScalarType::kInt32)};
  } else {
    q = SafeAdd({Call(Intrinsic::kFloatToInt32Round, {prob}), TypeRange(ScalarType::kInt32)},
                {Imm(p.output_zero_point), {p.output_zero_point, p.output_zero_point}});
  }
  const Stmt element = LetStmt(prob, Mul(t, inv), Store(out, out_index, l.Epilogue(q, r.c.index)));
  const Stmt row = Seq({
      RowMax(r, max, qmin),
      Allocate(sum, Seq({Store(sum, Imm(0), FloatImm(0.0f)), OverRow(r, Store(sum, Imm(0), Add(s, t))),
                         LetStmt(inv, Div(FloatImm(1.0f), Mul(s, FloatImm(p.output_scale))), OverRow(r, element))})),
  });
  return Allocate(max, row);
}

}  // namespace

Kernel LowerSoftmax(GroupLowerer& l) {
  const SoftmaxParams& p = std::get<SoftmaxParams>(l.anchor().attrs);
  const Buffer in = l.Input(l.anchor().inputs[0], "input");
  const Buffer out = l.Output();
  Row r;
  r.row = MakeDim("row", p.rows);
  r.c = MakeDim("c", p.depth);
  const Expr index = Add(Mul(r.row.index, Imm(p.depth)), r.c.index);
  r.x = Cast(ScalarType::kInt32, Load(in, index));
  const Stmt body = p.arith == Arith::kTflm ? SoftmaxTflm(l, p, r, out, index) : SoftmaxTflite(l, p, r, out, index);
  return l.Finish(Nest({r.row}, body), p.arith == Arith::kTflm ? "fixed point" : "float table");
}

}  // namespace tinyfuse::loop::lowering
