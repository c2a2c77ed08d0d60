// TRANSPOSE with a constant permutation; see graph/prepare/transpose.h.
#include <vector>

#include "graph/prepare/transpose.h"
#include "interp/kernels.h"

namespace tinyfuse {

void Eval_kTranspose(const KernelContext& ctx) {
  const TransposeParams p = PrepareTranspose(ctx.graph, ctx.op);
  const uint8_t* in = ctx.in(0);
  uint8_t* out = ctx.out(0);
  const int rank = static_cast<int>(p.output_shape.size());
  int64_t size = 1;
  for (int32_t d : p.output_shape) size *= d;
  // Walk the output in row-major order; the input offset moves by the permuted strides.
  std::vector<int32_t> index(static_cast<size_t>(rank), 0);
  int64_t in_offset = 0;
  for (int64_t o = 0; o < size; ++o) {
    out[o] = in[in_offset];
    for (int i = rank - 1; i >= 0; --i) {
      const size_t a = static_cast<size_t>(i);
      in_offset += p.input_strides_out[a];
      if (++index[a] < p.output_shape[a]) break;
      in_offset -= p.input_strides_out[a] * index[a];
      index[a] = 0;
    }
  }
}

}  // namespace tinyfuse
