// dsp-reduce: packed 16-bit multiply-accumulate of an innermost reduction over contiguous 8-bit operands.
//  - VectorizeReduction: a loop whose body is a set of updates (dsp_operands.h) on distinct accumulators,
//    each operand advancing by one per iteration, becomes a loop over groups of four: each operand's four
//    bytes are read as one word and split into two pairs of int16 lanes, and each update takes two @smlad;
//    a remainder loop runs the last extent % 4 iterations.
//  - CollapseTapRun: a reduction too short or ragged for groups of four (a conv over three channels) whose
//    enclosing loop (a tap column) advances both operands by exactly its extent is merged with that loop
//    into one contiguous run, the lets between them substituted; the run then vectorizes.
// Exact: @smlad adds the same products modulo 2^32, and the reference's int32 accumulator is the same sum
// modulo 2^32 in any order (where lowering proved the sum fits int32, the wrapped sum is the exact sum).
// Both return null when the pattern does not hold.
#pragma once

#include "loop/ir.h"

namespace tinyfuse::loop {

Stmt VectorizeReduction(const ForNode* loop);
Stmt CollapseTapRun(const ForNode* loop);

}  // namespace tinyfuse::loop
