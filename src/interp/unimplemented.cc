// TEMPORARY during bring-up: weak fallbacks so the interpreter links while kernels land one by one.
// Each kernel file defines the strong Eval_*; this file is deleted once all twelve exist.
#include <string>

#include "common/error.h"
#include "interp/kernels.h"

namespace tinyfuse {
#define TINYFUSE_OP(e, name, code, ver) \
  __attribute__((weak)) void Eval_##e(const KernelContext&) { throw Error(std::string("interpreter: ") + name + " is not implemented yet"); }
#include "graph/ops.def"
}  // namespace tinyfuse
