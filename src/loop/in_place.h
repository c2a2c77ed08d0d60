// In-place analysis: whether a kernel may write its output param over the storage of one of its input
// params (same first byte), proven on the loop IR, never assumed from the op. The memory planner may
// then give both tensors one region (memory::MakeInPlace) when the input dies at this kernel.
//
// Preconditions on the pair (input param `in`, output param `out`): same element size, `out` no larger
// than `in`, `out` never loaded, `in` never stored (the verifier's rule). Element k of either buffer
// then occupies the same bytes, so a store out[k] overwrites exactly in[k]. Then one of two proofs:
//
//  pointwise  `out` has exactly one Store. Its index, an affine form of the enclosing loop variables
//             (lets inlined, constant loop bounds), is injective over those loops (sorted by stride, each
//             stride exceeds the span of the smaller ones). Every Load of `in` sits under exactly the same
//             loops, has the same affine index, and is evaluated before the Store (in its value or in an
//             earlier statement of the same iteration). So iteration t reads in[E(t)] before it writes
//             out[E(t)], and no other iteration touches E(t). (Elementwise ops, ADD without broadcast.)
//
//  staged     every Load of `in` and Store to `out` is inside one outermost loop L over v in
//             [v0, v0 + M) (or no loop is common to them: M = 1). Every such index is v + M * (an affine
//             form with integer coefficients), so it is congruent to v modulo M: iteration v of L
//             touches only elements that no other iteration touches. Within one iteration every Load of
//             `in` precedes every Store to `out` in program order and no loop inside L holds both, so all
//             reads of an iteration's elements happen before their overwrite. (Depthwise convolution that
//             first copies channel v's input plane into a workspace, then computes channel v's output.)
#pragma once

#include <string>
#include <vector>

#include "loop/ir.h"

namespace tinyfuse::loop {

// Which proof, if any, allows `f` to write params[output] over params[input]. When neither applies,
// `why` (if given) receives the reason the last proof tried failed, for reports and tests.
enum class InPlaceProof { kNone, kPointwise, kStaged };
const char* InPlaceProofName(InPlaceProof p);  // "none", "pointwise", "staged"
InPlaceProof ProveInPlace(const PrimFunc& f, int input, int output, std::string* why = nullptr);

struct InPlacePair {
  int input = 0;   // param index, < num_inputs
  int output = 0;  // param index, >= num_inputs
  InPlaceProof proof = InPlaceProof::kNone;
};
// Every (input, output) param pair that ProveInPlace accepts, inputs in param order.
std::vector<InPlacePair> InPlacePairs(const PrimFunc& f);

}  // namespace tinyfuse::loop
