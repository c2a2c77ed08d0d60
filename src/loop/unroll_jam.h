// unroll-jam: unrolls a loop by a factor and jams the copies of its body into one statement, so that one
// iteration runs `factor` former iterations side by side (register_block.h says what for).
//  - Legal when the iterations are independent (the body writes no buffer it reads, other than locals
//    allocated inside it, of which each copy gets its own) and every loop bound and test met on the way down
//    is the same for every copy (it does not mention the unrolled variable).
//  - Stores are replicated in place; lets and allocations whose value depends on the copy are replicated
//    around the jammed body. A remainder loop runs the last extent % factor iterations.
// Before: a For with constant bounds. After: the same stores, in an order that differs only between
// independent iterations.
#pragma once

#include "loop/ir.h"

namespace tinyfuse::loop {

// `loop` unrolled by `factor` and jammed; `loop` itself when that is not possible or not worth it (factor < 2,
// non-constant bounds, extent < factor, dependent iterations, a bound or test that differs between copies).
Stmt UnrollJam(const Stmt& loop, int factor);

// Whether `s` is an accumulator block: an Allocate of a one-element int32 local holding a loop (the
// accumulator of one output element around its reduction loops).
bool IsAccumulatorBlock(const Stmt& s);
// Whether `s` is a For whose body is an accumulator block.
bool IsAccumulatorLoop(const Stmt& s);

}  // namespace tinyfuse::loop
