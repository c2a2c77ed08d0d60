// Lowering of a standalone pad (a PAD the fusion pass could not fold into a conv's bounds) into one loop
// nest. The outer loops run over the output's leading axes (every axis but the last); the input row they
// name is tested once per row (`before <= o < before + size` on the padded axes only), and the last axis is
// three plain loops: the leading pad bytes, the copied input row, the trailing pad bytes (or one loop of
// pad bytes for a row outside the input). No per-element test, no workspace. The pad value comes from
// PadParams (the output zero point or the op's constant); a chained QUANTIZE runs its epilogue on both
// the copied and the pad bytes.
#include <string>
#include <vector>

#include "common/error.h"
#include "loop/lower_util.h"

namespace tinyfuse::loop::lowering {

namespace {

// The byte `x` (of dtype `dtype`) as the group's output: unchanged, or through the epilogue of a chained
// QUANTIZE.
Expr MovedByte(GroupLowerer& l, const Expr& x, DType dtype, const Expr& channel) {
  if (l.group().chained_anchor < 0) return x;
  return l.Epilogue({Cast(ScalarType::kInt32, x), DTypeRange(dtype)}, channel);
}

// for (j = 0; j < extent; ++j) body(j); nothing when extent is 0.
template <typename Body>
Stmt Run(const std::string& name, int64_t extent, Body body) {
  if (extent <= 0) return nullptr;
  const Dim d = MakeDim(name, extent);
  return Nest({d}, body(d.index));
}

}  // namespace

Kernel LowerPad(GroupLowerer& l) {
  const PadParams& p = std::get<PadParams>(l.anchor().attrs);
  const Buffer in = l.Input(l.anchor().inputs[0], "input");
  const Buffer out = l.Output();
  const size_t rank = p.output_shape.size();
  Check(rank >= 1, "lowering: PAD of a scalar");
  const size_t last = rank - 1;

  // Leading axes: output loops, input coordinates (let-bound where padded) and the row condition.
  std::vector<Dim> dims;
  std::vector<Expr> out_idx, in_idx;
  std::vector<std::pair<Var, Expr>> lets;  // per padded leading axis: input coordinate = o - before
  Expr inside;
  for (size_t k = 0; k < last; ++k) {
    const Dim d = MakeDim("o" + std::to_string(k), p.output_shape[k]);
    dims.push_back(d);
    out_idx.push_back(d.index);
    if (p.before[k] == 0 && p.after[k] == 0) {
      in_idx.push_back(d.index);
      continue;
    }
    const Var i = MakeVar("i" + std::to_string(k));
    lets.emplace_back(i, Sub(d.index, Imm(p.before[k])));
    in_idx.push_back(i);
    // before <= o < before + size, on the loop variable itself (a schedule pass can split the loop there).
    if (p.before[k] > 0) inside = And(inside, Le(Imm(p.before[k]), d.index));
    if (p.after[k] > 0) inside = And(inside, Lt(d.index, Imm(p.before[k] + p.input_shape[k])));
  }
  std::vector<int32_t> out_rows(p.output_shape.begin(), p.output_shape.begin() + static_cast<long>(last));
  std::vector<int32_t> in_rows(p.input_shape.begin(), p.input_shape.begin() + static_cast<long>(last));
  const int32_t out_n = p.output_shape[last], in_n = p.input_shape[last];
  const int32_t before = p.before[last], after = p.after[last];
  const Expr out_row = Mul(FlatIndex(out_idx, out_rows), Imm(out_n));
  const Expr in_row = Mul(FlatIndex(in_idx, in_rows), Imm(in_n));
  const ScalarType t = ToScalar(p.dtype);
  auto pad_at = [&](const Expr& j) {
    return Store(out, Add(out_row, j), MovedByte(l, Imm(p.pad_value, t), p.dtype, j));
  };

  const Stmt row = Seq({
      Run("j", before, pad_at),
      Run("j", in_n,
          [&](const Expr& j) {
            const Expr oj = Add(j, Imm(before));
            return Store(out, Add(out_row, oj), MovedByte(l, Load(in, Add(in_row, j)), p.dtype, oj));
          }),
      Run("j", after, [&](const Expr& j) { return pad_at(Add(j, Imm(before + in_n))); }),
  });
  Stmt inside_row = row;  // the input coordinates are bound where the row is known to be inside
  for (auto it = lets.rbegin(); it != lets.rend(); ++it) inside_row = LetStmt(it->first, it->second, inside_row);
  const Stmt body = inside ? IfThenElse(inside, inside_row, Run("j", out_n, pad_at)) : inside_row;
  return l.Finish(Nest(dims, body), "");
}

}  // namespace tinyfuse::loop::lowering
