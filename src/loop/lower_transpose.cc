// Lowering of transpose (TRANSPOSE) into one loop nest over the output in row-major order: each output
// byte is loaded from the input at sum over output axes i of o[i] * input_strides_out[i] (TransposeParams)
// and stored unchanged, or through the epilogue of a chained QUANTIZE. Output writes are sequential; the
// reads stride through the input. No workspace.
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

}  // namespace

Kernel LowerTranspose(GroupLowerer& l) {
  const TransposeParams& p = std::get<TransposeParams>(l.anchor().attrs);
  const Buffer in = l.Input(l.anchor().inputs[0], "input");
  const Buffer out = l.Output();
  std::vector<Dim> dims;
  std::vector<Expr> idx;
  Expr in_index = Imm(0);
  for (size_t i = 0; i < p.output_shape.size(); ++i) {
    const Dim d = MakeDim("o" + std::to_string(i), p.output_shape[i]);
    dims.push_back(d);
    idx.push_back(d.index);
    in_index = Add(in_index, Mul(d.index, Imm(p.input_strides_out[i])));
  }
  const Expr channel = idx.empty() ? Imm(0) : idx.back();
  const Stmt body = Store(out, FlatIndex(idx, p.output_shape), MovedByte(l, Load(in, in_index), p.dtype, channel));
  std::string perm;
  for (size_t i = 0; i < p.perm.size(); ++i) perm += (i ? "," : "") + std::to_string(p.perm[i]);
  return l.Finish(Nest(dims, body), "perm " + perm);
}

}  // namespace tinyfuse::loop::lowering
