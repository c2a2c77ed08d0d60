// partition-loops: a schedule pass. A loop whose body tests conditions on the loop variable (the padding
// guards of a conv window) is split into up to three consecutive loops over the same variable: before,
// inside and after the range of values for which interval analysis (interval.h) proves every such test
// true; the middle copy, and any other place where a test is provably true, drops the test. The pass then
// partitions the loops inside the middle copy only (border copies keep their tests, which bounds the code
// growth): a 2-D window becomes five nests (top rows, left, interior, right, bottom rows) of which only
// the interior is free of tests.
// Before: a verified kernel. After: the same computation (each removed test was provably true where it
// stood, each iteration runs exactly once, in the same order; code under a provably false test is
// dropped, and so are loops left without a body); it verifies again. Loops whose bounds are
// not constants, and tests whose true-set is not one contiguous range, are left as they are.
#pragma once

#include "loop/interval.h"
#include "loop/ir.h"

namespace tinyfuse::loop {

PrimFunc PartitionLoops(const PrimFunc& f);

// Whether interval analysis proves `cond` true (false) for every value of the variables in `vars`.
bool ProvablyTrue(const Expr& cond, const VarRanges& vars);
bool ProvablyFalse(const Expr& cond, const VarRanges& vars);

}  // namespace tinyfuse::loop
