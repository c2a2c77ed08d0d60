// Lowering of resize_bilinear (RESIZE_BILINEAR) with its clamp and cast: loops over batch, output row,
// output column and channel. Prepare's per-row and per-column source indices become constant tables of
// element offsets (row * W * C, column * C) and the weights int16 tables; each row's and column's entries
// are bound once (LetStmt) outside the inner loops. The interpolation is exact int32 arithmetic:
//  - kTflm: sum of the four pixels times products of Q10 weights, rounded half away from zero by 2^20;
//  - kXnnpack: two horizontal Q11 lerps, one vertical, then (acc + 2^21) >> 22.
// Overflow: both methods compute a combination of the four pixels whose weights sum to the unit and are
// negative only where the two rows (columns) are the same pixel, so every partial lerp and the final sum
// lie in [x_min, x_max] times the unit; the Ranged values below state that bound (the products are
// range-checked on their own). No workspace.
#include <algorithm>
#include <string>
#include <vector>

#include "common/error.h"
#include "loop/lower_util.h"

namespace tinyfuse::loop::lowering {

namespace {

std::vector<int32_t> Scaled(const std::vector<int32_t>& v, int64_t factor) {
  std::vector<int32_t> out;
  for (int32_t x : v) out.push_back(static_cast<int32_t>(x * factor));
  return out;
}

// The four source values and the two weights of one output value.
struct Taps {
  Ranged tl, tr, bl, br, wy, wx;
};

Interval Convex(Interval x, int64_t unit) { return {x.lo * unit, x.hi * unit}; }

// The weighted sums before their rounding (the kernel binds them to a variable once per value).
Ranged TflmSum(const Taps& t) {
  const Ranged one{Imm(1024), {1024, 1024}};
  const Ranged wy0{Sub(one.e, t.wy.e), {1024 - t.wy.r.hi, 1024 - t.wy.r.lo}};
  const Ranged wx0{Sub(one.e, t.wx.e), {1024 - t.wx.r.hi, 1024 - t.wx.r.lo}};
  Ranged acc = CheckedMul(t.tl, CheckedMul(wy0, wx0));
  acc = SafeAdd(acc, CheckedMul(t.bl, CheckedMul(t.wy, wx0)));
  acc = SafeAdd(acc, CheckedMul(t.tr, CheckedMul(wy0, t.wx)));
  return SafeAdd(acc, CheckedMul(t.br, CheckedMul(t.wy, t.wx)));
}

Ranged XnnpackSum(const Taps& t, Interval xr) {
  const Ranged unit{Imm(2048), {2048, 2048}};
  auto lerp = [&](const Ranged& a, const Ranged& b, const Ranged& w, int64_t scale) {
    const Ranged diff{Sub(b.e, a.e), {b.r.lo - a.r.hi, b.r.hi - a.r.lo}};
    const Ranged sum = SafeAdd(CheckedMul(a, unit), CheckedMul(diff, w));
    return Ranged{sum.e, Convex(xr, scale)};
  };
  const Ranged top = lerp(t.tl, t.tr, t.wx, 2048);
  const Ranged bottom = lerp(t.bl, t.br, t.wx, 2048);
  return lerp(top, bottom, t.wy, 2048 * 2048);
}

// The sums lie within x_min..x_max times the unit (see the header): the rounding terms cannot overflow.
Expr TflmRound(const Expr& sum) {
  const Expr half = Imm(1 << 19), unit = Imm(1 << 20);
  return Select(Gt(sum, Imm(0)), Div(Add(sum, half), unit), Div(Sub(sum, half), unit));
}

Expr XnnpackRound(const Expr& acc) { return Shr(Add(acc, Imm(1 << 21)), Imm(22)); }

}  // namespace

Kernel LowerResizeBilinear(GroupLowerer& l) {
  const ResizeBilinearParams& p = std::get<ResizeBilinearParams>(l.anchor().attrs);
  const Buffer in = l.Input(l.anchor().inputs[0], "input");
  const Buffer out = l.Output();
  const int64_t row = int64_t{p.input_w} * p.channels;
  const Buffer row0 = l.Table("row0", ScalarType::kInt32, Scaled(p.y0, row));
  const Buffer row1 = l.Table("row1", ScalarType::kInt32, Scaled(p.y1, row));
  const Buffer col0 = l.Table("col0", ScalarType::kInt32, Scaled(p.x0, p.channels));
  const Buffer col1 = l.Table("col1", ScalarType::kInt32, Scaled(p.x1, p.channels));
  const Buffer wy_table = l.Table("wy", ScalarType::kInt16, p.wy);
  const Buffer wx_table = l.Table("wx", ScalarType::kInt16, p.wx);

  const Dim b = MakeDim("b", p.batches), y = MakeDim("y", p.output_h), x = MakeDim("x", p.output_w),
            c = MakeDim("c", p.channels);
  const Var r0 = MakeVar("r0"), r1 = MakeVar("r1"), wy = MakeVar("wy");
  const Var c0 = MakeVar("c0"), c1 = MakeVar("c1"), wx = MakeVar("wx");
  const Expr image = Mul(b.index, Imm(int64_t{p.input_h} * row));
  const Interval xr = DTypeRange(p.dtype);
  auto tap = [&](const Var& r, const Var& col) {
    return Ranged{Cast(ScalarType::kInt32, Load(in, Add(Add(Add(image, r), col), c.index))), xr};
  };
  auto range_of = [](const Buffer& t) {
    Interval r{t->values[0], t->values[0]};
    for (int32_t v : t->values) r = {std::min<int64_t>(r.lo, v), std::max<int64_t>(r.hi, v)};
    return r;
  };
  const Taps t{tap(r0, c0), tap(r0, c1), tap(r1, c0), tap(r1, c1), {wy, range_of(wy_table)}, {wx, range_of(wx_table)}};
  const bool tflm = p.method == ResizeBilinearParams::Method::kTflm;
  const Var sum = MakeVar("sum");
  const Expr value = tflm ? TflmRound(sum) : XnnpackRound(sum);
  const Expr out_index = FlatIndex({b.index, y.index, x.index, c.index}, {p.batches, p.output_h, p.output_w, p.channels});
  const Stmt pixel = Nest({c}, LetStmt(sum, (tflm ? TflmSum(t) : XnnpackSum(t, xr)).e,
                                       Store(out, out_index, l.Epilogue({value, xr}, c.index))));
  const Stmt column = LetStmt(c0, Load(col0, x.index),
                              LetStmt(c1, Load(col1, x.index),
                                      LetStmt(wx, Cast(ScalarType::kInt32, Load(wx_table, x.index)), pixel)));
  const Stmt line = LetStmt(r0, Load(row0, y.index),
                            LetStmt(r1, Load(row1, y.index),
                                    LetStmt(wy, Cast(ScalarType::kInt32, Load(wy_table, y.index)), Nest({x}, column))));
  return l.Finish(Nest({b, y}, line), std::string(ResizeBilinearMethodName(p.method)) + " " +
                                          std::to_string(p.input_h) + "x" + std::to_string(p.input_w) + " -> " +
                                          std::to_string(p.output_h) + "x" + std::to_string(p.output_w));
}

}  // namespace tinyfuse::loop::lowering
