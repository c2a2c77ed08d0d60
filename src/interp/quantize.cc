// PLACEHOLDER: replaced by the real kernel.
#include <string>

#include "common/error.h"
#include "interp/kernels.h"

namespace tinyfuse {

void Eval_kQuantize(const KernelContext& ctx) { throw Error(std::string("interpreter: ") + OpName(ctx.op.kind) + " is not implemented yet"); }

}  // namespace tinyfuse
