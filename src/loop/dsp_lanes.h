// dsp-lanes: four accumulators whose operands are four consecutive bytes (a depthwise conv's four
// neighbouring channels, after unroll-jam by four) take one lane product each.
// A run of updates `acc_k += a[i + k] * b[j + k]` (k = 0..3, four distinct accumulators, in any order) becomes:
// the four bytes of each operand read as one word and split into pairs (bytes 0,2 and 1,3), and each
// accumulator takes its lane product: @smlabb (low lanes: bytes 0, 1) and @smlatt (high lanes: bytes 2, 3).
// Exact: each lane holds the operand's byte plus its offset, the product of two int16 lanes fits int32, and
// the add wraps like the reference's int32 accumulator.
#pragma once

#include "loop/ir.h"

namespace tinyfuse::loop {

// `s` with every Seq of updates that splits into such quads rewritten; *found tells whether there was one.
Stmt DspLanes(const Stmt& s, bool* found);

}  // namespace tinyfuse::loop
