// Structural checks of a kernel, run after lowering and after every loop pass:
//  - every variable is bound (For, LetStmt) before use and not re-bound inside its own scope;
//  - arena buffers are params, local buffers are used only inside their Allocate, constants carry
//    exactly `extent` values that fit their dtype; nothing stores to a constant or to an input param;
//  - dtypes are consistent: arithmetic on one int type, comparisons yield bool, conditions are bool,
//    indices and loop bounds are int32, a stored value has the buffer's dtype, intrinsic args are int32;
//  - every load and store index is within [0, extent) wherever interval analysis can bound it
//    (loop ranges, let values and the conjuncts of enclosing if-conditions; see interval.h). An index
//    the analysis cannot bound at all (e.g. computed from a loaded int32) is not checked.
// Throws tinyfuse::Error naming the kernel and the first problem found.
#pragma once

#include "loop/ir.h"

namespace tinyfuse::loop {

void VerifyPrimFunc(const PrimFunc& f);

}  // namespace tinyfuse::loop
