// Lowering of reduce_sum (MEAN) with its epilogue (add_constant -zp_in * count, requantize, clamp, cast)
// into one loop nest: the kept axes outside, in input order, then per output element one int32
// accumulator (a register) summed over the reduced axes, in input order, then the epilogue and the 8-bit
// store. The sum is of the raw input values, as TFLite Micro's QuantizedMeanOrSum; it is a plain int32
// add when count * max|x| fits int32 and a wrapping add otherwise (two's-complement sums do not depend on
// the order of the terms, so visiting the input reduced-axes-innermost gives the interpreter's result).
// keep_dims does not change the loops: the output index uses MeanParams::output_strides, which skip the
// reduced axes either way. No workspace (a row of sums would be, and is not needed).
#include <cstdlib>
#include <string>
#include <vector>

#include "common/error.h"
#include "loop/lower_util.h"

namespace tinyfuse::loop::lowering {

Kernel LowerReduceSum(GroupLowerer& l) {
  const MeanParams& p = std::get<MeanParams>(l.anchor().attrs);
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

  const Interval xr = DTypeRange(p.dtype);
  const int64_t bound_lo = xr.lo * p.count, bound_hi = xr.hi * p.count;
  const bool plain = bound_lo >= -2147483648LL && bound_hi <= 2147483647LL;
  const Buffer acc = LocalBuffer("sum", ScalarType::kInt32, {1});
  const Expr sum = Load(acc, Imm(0));
  const Expr x = Cast(ScalarType::kInt32, Load(in, FlatIndex(idx, p.input_shape)));
  const Stmt accumulate = Store(acc, Imm(0), plain ? Add(sum, x) : Call(Intrinsic::kWrappingAdd, {sum, x}));
  const Ranged total{sum, plain ? Interval{bound_lo, bound_hi} : TypeRange(ScalarType::kInt32)};
  const Stmt body =
      Allocate(acc, Seq({Store(acc, Imm(0), Imm(0)), Nest(reduced, accumulate), Store(out, out_index,
                                                                                         l.Epilogue(total, channel))}));
  return l.Finish(Nest(kept, body), "count " + std::to_string(p.count));
}

}  // namespace tinyfuse::loop::lowering
