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
// DSP (options.dsp): an innermost reduction loop whose body is a set of `acc += a * b` over 8-bit operands
// (optionally offset by a constant) that are contiguous in the loop variable becomes a loop over groups of
// four: each operand's four bytes are read as one word (@pack4 of four consecutive loads), split into two
// pairs of int16 lanes (bytes 0,2: @sxtb16 / @uxtb16; bytes 1,3: @sxtb16_ror8 / @uxtb16_ror8, one
// instruction each on Arm; then @add16 of the offset) and accumulated
// with two @smlad per update; a remainder loop takes the last extent % 4 iterations. Exact: @smlad adds
// the same products modulo 2^32, and the reference's int32 accumulator is the same sum modulo 2^32 in any
// order; where the lowering proved the sum never leaves int32 the wrapped sum is the exact sum.
// DSP lanes (options.dsp): an accumulator loop whose unroll by four makes runs of four updates
// `acc_k += a[i + k] * b[j + k]` (a depthwise conv's four neighbouring channels) is unrolled-and-jammed by
// four instead, and each run reads both operands' four bytes as one word, splits them into pairs and
// gives each accumulator its lane product (@smlabb for bytes 0 and 1, @smlatt for bytes 2 and 3).
// DSP collapse: a reduction loop too short or ragged for groups of four (a conv over three channels)
// whose enclosing tap-column loop advances both operands by exactly its extent is first merged with that
// loop into one contiguous run (the lets between them substituted), which then vectorizes.
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
