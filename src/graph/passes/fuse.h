// The fusion pass: partitions the canonical steps into fused groups, each of which becomes ONE loop nest
// (one kernel). Rules, applied in order:
//  1. RESHAPE is a view: its output aliases its input's storage; it forms no group and moves no byte.
//  2. Every other anchor starts a group, which takes the epilogue steps that follow it (bias_add,
//     requantize, clamp, cast ...: one int32 in, one out, element by element).
//  3. A PAD folds into the conv2d_acc / depthwise_conv2d_acc that reads it when the padded tensor has no
//     other reader and is no graph output, only H and W are padded, and the pad value is the conv's input
//     zero point (a padded tap then contributes (zp - zp) * w = 0, exactly like a skipped tap): the conv
//     reads the PAD's input and treats the padding as out-of-bounds taps.
//  4. A QUANTIZE or an 8-bit unary op (elementwise_read + epilogue: requantize or lookup) joins the group
//     that produces its input when that tensor has no other reader and is no graph output: the 8-bit value
//     never goes to memory. Several can chain (conv -> LEAKY_RELU -> QUANTIZE is one kernel).
// Before: a CanonicalGraph. After (checked by VerifyFusedGraph): every step other than RESHAPE is in
// exactly one group; groups read and write only 8-bit graph tensors (never an int32 or int16 copy), in an
// order where every tensor is written before it is read; int32 values never leave their group.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "graph/passes/canonical.h"

namespace tinyfuse::passes {

struct FusedGroup {
  int anchor = -1;           // step index of the anchor
  int folded_pad = -1;       // step index of a PAD folded into the anchor's bounds, or -1
  int chained_anchor = -1;   // step index of the first elementwise_read joined after the cast, or -1
  std::vector<int> steps;    // every step of the group, in execution order (the folded PAD first)
  std::vector<int> ops;      // graph ops covered, in execution order
  std::vector<int> inputs;   // graph tensors read (after folding: the PAD's input, not its output)
  int output = -1;           // graph tensor written
  std::string name;          // kernel name, e.g. "dwconv2d_rq_n0", "pad_conv2d_rq_n2"
};

struct FusedGraph {
  CanonicalGraph canonical;
  std::vector<FusedGroup> groups;  // in execution order
  std::map<int, int> alias_of;     // RESHAPE output -> the tensor owning the bytes (chains resolved)
};

FusedGraph Fuse(CanonicalGraph c);

// Throws tinyfuse::Error naming the first broken invariant (see the header comment).
void VerifyFusedGraph(const FusedGraph& f);

// Groups and aliases, one block per kernel:
//   kernel dwconv2d_rq_n0 (DEPTHWISE_CONV_2D #0): %0 -> %3   (conv2d_rq_leaky_relu_n4 with a chained table op)
//     %130 = depthwise_conv2d_acc(...) ...
//   alias %5 = reshape(%4)
std::string PrintFused(const FusedGraph& f);

}  // namespace tinyfuse::passes
