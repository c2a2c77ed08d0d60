// Lowering of average_pool and max_pool (AVERAGE_POOL_2D, MAX_POOL_2D) with their epilogue (clamp, cast,
// a chained QUANTIZE) into one loop nest:
//   for b, oy, ox, c: one int32 accumulator (a register), the taps of the window that lie inside the
//   input as loop bounds (padding is never materialized and never tested per tap), then the rounded
//   average or the max, the epilogue and the 8-bit store in the same iteration.
// Per axis, when every window lies inside the input (VALID, or SAME without padding) the tap loop is the
// plain [0, filter) and the count a constant; otherwise the input row/column runs over
// [max(0, o * stride - pad), min(size, o * stride - pad + filter)) and the count is the product of the two
// extents, as in the interpreter.
// Average: sum of the raw 8-bit values, then (sum + count/2) / count for sum > 0 and (sum - count/2) / count
// otherwise (round half away from zero; both flavours share it, see graph/prepare/pooling.h), written as one
// division by (sum + select(sum > 0, count/2, -(count/2))). For uint8 the sum is never negative and the
// offset is just count/2. Max: starts at the dtype's minimum.
#include <algorithm>
#include <string>

#include "common/error.h"
#include "loop/lower_util.h"

namespace tinyfuse::loop::lowering {

namespace {

// One spatial axis of the window: the input coordinate loop and the number of taps it runs.
struct WindowAxis {
  bool always_inside = false;
  Var out;                  // the output coordinate (loop variable), null when the output extent is 1
  Expr out_index;           // out, or 0
  Var in;                   // the input coordinate (tap loop variable)
  Var begin, end;           // let-bound bounds (border case only)
  Expr origin;              // out * stride - pad
  int filter = 0;
  int size = 0;             // input extent
  int64_t out_extent = 0;

  // Binds begin/end around `body` (border case); a no-op when the window is always inside.
  Stmt BindBounds(Stmt body) const {
    if (always_inside) return body;
    return LetStmt(begin, Max(origin, Imm(0)), LetStmt(end, Min(Add(origin, Imm(filter)), Imm(size)), body));
  }
  // The tap loop over the input coordinate.
  Stmt Loop(Stmt body) const {
    if (always_inside) return For(in, origin, Imm(filter), body);
    return For(in, begin, Sub(end, begin), body);
  }
  // Taps along this axis for the current output coordinate.
  Expr Count() const { return always_inside ? Imm(filter) : Sub(end, begin); }
};

WindowAxis MakeAxis(const std::string& name, int64_t out_extent, int stride, int pad, int filter, int size) {
  WindowAxis a;
  a.out_extent = out_extent;
  a.filter = filter;
  a.size = size;
  if (out_extent > 1) a.out = MakeVar("o" + name);
  a.out_index = a.out ? Expr(a.out) : Imm(0);
  a.origin = Add(Mul(a.out_index, Imm(stride)), Imm(-pad));
  a.in = MakeVar("i" + name);
  a.always_inside = pad <= 0 && -pad + (out_extent - 1) * stride + filter <= size;
  if (!a.always_inside) {
    a.begin = MakeVar("i" + name + "_begin");
    a.end = MakeVar("i" + name + "_end");
  }
  // Every window must hold at least one tap (the interpreter throws at run time; we refuse to compile).
  for (int64_t o = 0; o < out_extent; ++o) {
    const int64_t origin = o * stride - pad;
    if (std::min<int64_t>(origin + filter, size) - std::max<int64_t>(origin, 0) <= 0) {
      throw Error("lowering: pooling window " + std::to_string(o) + " along " + name +
                  " holds no input element");
    }
  }
  return a;
}

}  // namespace

Kernel LowerPool(GroupLowerer& l) {
  const bool average = l.anchor().kind == passes::StepKind::kAveragePool;
  const PoolParams& p = std::get<PoolParams>(l.anchor().attrs);
  const Window2D& w = p.window;
  const Buffer in = l.Input(l.anchor().inputs[0], "input");
  const Buffer out = l.Output();

  const WindowAxis y = MakeAxis("y", w.output_h, w.stride_h, w.pad_h, w.filter_h, w.input_h);
  const WindowAxis x = MakeAxis("x", w.output_w, w.stride_w, w.pad_w, w.filter_w, w.input_w);
  const Dim b = MakeDim("b", w.batches), c = MakeDim("c", p.channels);

  const Interval xr = DTypeRange(p.dtype);
  const int64_t max_taps = static_cast<int64_t>(w.filter_h) * w.filter_w;
  // The interpreter sums in int32; a window this large would overflow it.
  Check(!average || max_taps * std::max(-xr.lo, xr.hi) <= 2147483647LL,
        "lowering: an average pooling window of " + std::to_string(max_taps) + " taps may overflow int32");
  Buffer acc = LocalBuffer(average ? "sum" : "max", ScalarType::kInt32, {1});
  const Expr value = Cast(ScalarType::kInt32, Load(in, FlatIndex({b.index, y.in, x.in, c.index},
                                                                 {w.batches, w.input_h, w.input_w, p.channels})));
  const Expr current = Load(acc, Imm(0));
  Stmt taps = Store(acc, Imm(0), average ? Add(current, value) : Max(current, value));
  taps = y.Loop(x.Loop(taps));

  Ranged result;
  // Average only: the taps of this output pixel, a constant when no window is clipped.
  Expr count = Mul(y.Count(), x.Count());
  Var count_var;
  if (average && !IsConst(count)) {
    count_var = MakeVar("count");
    count = count_var;
  }
  if (average) {
    const Expr sum = Load(acc, Imm(0));
    const Expr half = Div(count, Imm(2));
    // One division: the rounding offset takes the sign of the sum (never negative for uint8).
    const Expr offset = xr.lo >= 0 ? half : Select(Gt(sum, Imm(0)), half, Sub(Imm(0), half));
    result.e = Div(Add(sum, offset), count);
    result.r = xr;  // an average of values in the dtype's range
  } else {
    result = {Load(acc, Imm(0)), xr};
  }
  const Expr out_index = FlatIndex({b.index, y.out_index, x.out_index, c.index},
                                   {w.batches, w.output_h, w.output_w, p.channels});
  Stmt pixel = Nest({c}, Allocate(acc, Seq({Store(acc, Imm(0), Imm(average ? 0 : xr.lo)), taps,
                                            Store(out, out_index, l.Epilogue(result, c.index))})));
  if (count_var) pixel = LetStmt(count_var, Mul(y.Count(), x.Count()), pixel);
  pixel = x.BindBounds(pixel);
  if (x.out) pixel = For(x.out, Imm(0), Imm(x.out_extent), pixel);
  pixel = y.BindBounds(pixel);
  if (y.out) pixel = For(y.out, Imm(0), Imm(y.out_extent), pixel);
  return l.Finish(Nest({b}, pixel), "");
}

}  // namespace tinyfuse::loop::lowering
