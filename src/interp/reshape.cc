// RESHAPE: a byte copy; see graph/prepare/reshape.h.
#include <cstring>

#include "graph/prepare/reshape.h"
#include "interp/kernels.h"

namespace tinyfuse {

void Eval_kReshape(const KernelContext& ctx) {
  const ReshapeParams p = PrepareReshape(ctx.graph, ctx.op);
  if (p.bytes > 0) std::memmove(ctx.out(0), ctx.in(0), static_cast<size_t>(p.bytes));
}

}  // namespace tinyfuse
