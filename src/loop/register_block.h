// register-block: a schedule pass that makes each loaded value feed several accumulators.
//
// Unroll-and-jam. An accumulator block is an Allocate of a one-element int32 local (the accumulator of one
// output element, lower_conv.cc) around its init, its reduction loops and the store of its epilogue. A loop
// whose body is such a block (the output-channel loop of a conv or FC) is unrolled by `channels` and the
// copies are jammed: one iteration now runs `channels` blocks side by side, each with its own accumulator,
// and their reduction loops become one loop nest whose body holds every copy's update, so a value loaded
// once (an input byte shared by the channels) feeds all of them. When that loop is the whole body of an
// enclosing loop (the output-column loop), the enclosing loop is unrolled by `pixels` and jammed the same
// way (a weight then feeds every column). A lone accumulator loop (FC) is unrolled by `single`. Extents
// that are not a multiple of the factor keep a remainder loop over the last iterations.
// Legal because the copies are independent: a loop is jammed only when its body writes no buffer it
// reads (other than locals allocated inside, which each copy gets its own of), and every loop bound and
// test met on the way down is the same for every copy (border copies of padded windows, whose tests
// depend on the column, are left alone). Every output element is then computed by exactly the same
// sequence of operations; only the order in which elements are stored changes.
//
// The transforms live in their own files, one each: unroll_jam.h (the unroll-and-jam and what makes it
// legal), dsp_reduce.h (DSP, options.dsp: packed @smlad reductions over contiguous 8-bit operands, with the
// collapse of a short channel run into its tap column), dsp_lanes.h (DSP: four depthwise channels as
// @smlabb/@smlatt lanes) and dsp_operands.h (the update pattern and the packed reads they share). This file
// is the schedule that combines them: an accumulator loop is first tried as DSP lanes (unroll-jam by four),
// else blocked channels x pixels; a lone accumulator block is unrolled by `single`; with DSP, every
// reduction inside a blocked loop is then vectorized.
// Before: a verified kernel. After: it verifies again.
#pragma once

#include "loop/ir.h"

namespace tinyfuse::loop {

struct RegisterBlockOptions {
  int channels = 2;  // unroll-and-jam factor of the loop around an accumulator block
  int pixels = 2;    // ... of the loop around that one
  int single = 4;    // ... of an accumulator loop with no enclosing loop to block
  bool dsp = false;  // packed 16-bit multiply-accumulate of contiguous 8-bit operands
};

PrimFunc RegisterBlock(const PrimFunc& f, const RegisterBlockOptions& options);

}  // namespace tinyfuse::loop
