// Lowering of the reduction family (reduce_sum of MEAN and SUM, reduce_max, reduce_min) with its epilogue
// into one loop nest: the kept axes outside, in input order, then per output element one int32
// accumulator (a register) combined over the reduced axes, in input order, then the epilogue and the
// 8-bit store. Only the accumulator's start value and its combine step differ between the ops:
//  - sum: starts at 0 and adds the raw input values, as TFLite Micro's QuantizedMeanOrSum; a plain int32
//    add when count * max|x| fits int32 and a wrapping add otherwise (two's-complement sums do not depend
//    on the order of the terms, so visiting the input reduced-axes-innermost gives the interpreter's
//    result); the epilogue (add_constant -zp_in * count, requantize, clamp, cast) follows;
//  - max (min): starts at the dtype's lowest (highest) value and keeps the larger (smaller) raw value, as
//    ReduceGeneric; the epilogue is a clamp and cast.
// keep_dims does not change the loops: the output index uses ReduceParams::output_strides, which skip the
// reduced axes either way. No workspace (a row of accumulators would be, and is not needed).
#include <cstdlib>
#include <string>
#include <vector>

#include "common/error.h"
#include "loop/lower_util.h"

namespace tinyfuse::loop::lowering {

namespace {

// The accumulator's start value, its combine step and the range of the finished value.
struct Combine {
  Expr init;
  Expr next;  // of `acc` and `x`
  Interval range;
};

Combine CombineOf(const ReduceParams& p, const Expr& acc, const Expr& x) {
  const Interval xr = DTypeRange(p.dtype);
  switch (p.reduce) {
    case ReduceOp::kMax: return {Imm(xr.lo), Max(acc, x), xr};
    case ReduceOp::kMin: return {Imm(xr.hi), Min(acc, x), xr};
    case ReduceOp::kMean:
    case ReduceOp::kSum: break;
  }
  const int64_t bound_lo = xr.lo * p.count, bound_hi = xr.hi * p.count;
  const bool plain = bound_lo >= -2147483648LL && bound_hi <= 2147483647LL;
  return {Imm(0), plain ? Add(acc, x) : Call(Intrinsic::kWrappingAdd, {acc, x}),
          plain ? Interval{bound_lo, bound_hi} : TypeRange(ScalarType::kInt32)};
}

}  // namespace

Kernel LowerReduce(GroupLowerer& l) {
  const ReduceParams& p = std::get<ReduceParams>(l.anchor().attrs);
  const Buffer in = l.Input(l.anchor().inputs[0], "input");
  const Buffer out = l.Output();
  const size_t rank = p.input_shape.size();

  std::vector<Dim> kept, reduced;
  std::vector<Expr> idx(rank);
  Expr out_index = Imm(0);
  for (size_t a = 0; a < rank; ++a) {
    const Dim d = MakeDim((p.reduced[a] ? "r" : "i") + std::to_string(a), p.input_shape[a]);
    (p.reduced[a] ? reduced : kept).push_back(d);
    idx[a] = d.index;
    if (!p.reduced[a]) out_index = Add(out_index, Mul(d.index, Imm(p.output_strides[a])));
  }
  const Expr channel = kept.empty() ? Imm(0) : kept.back().index;

  const bool sum = p.reduce == ReduceOp::kMean || p.reduce == ReduceOp::kSum;
  const Buffer acc = LocalBuffer(sum ? "sum" : ReduceOpName(p.reduce), ScalarType::kInt32, {1});
  const Expr value = Load(acc, Imm(0));
  const Expr x = Cast(ScalarType::kInt32, Load(in, FlatIndex(idx, p.input_shape)));
  const Combine c = CombineOf(p, value, x);
  const Stmt body = Allocate(acc, Seq({Store(acc, Imm(0), c.init), Nest(reduced, Store(acc, Imm(0), c.next)),
                                       Store(out, out_index, l.Epilogue(Ranged{value, c.range}, channel))}));
  return l.Finish(Nest(kept, body), "count " + std::to_string(p.count));
}

}  // namespace tinyfuse::loop::lowering
