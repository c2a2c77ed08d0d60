// Prepare of TRANSPOSE with a constant permutation, up to rank 6: output dim i is input dim perm[i], and
// the output element at index o is the input element whose index along axis perm[i] is o[i]. Bytes are
// moved unchanged (any 8-bit dtype; input and output share their quantization).
#pragma once

#include <cstdint>
#include <vector>

#include "graph/graph.h"
#include "graph/prepare/move.h"

namespace tinyfuse {

struct TransposeParams {
  DType dtype = DType::kInt8;
  std::vector<int32_t> input_shape;
  std::vector<int32_t> output_shape;       // output_shape[i] = input_shape[perm[i]]
  std::vector<int32_t> perm;               // resolved (negative entries made positive), a permutation
  std::vector<int64_t> input_strides_out;  // per output axis i: stride of input axis perm[i], in elements
};

// Throws Error for non-8-bit or mismatched dtypes, rank above 6, a non-constant or non-int32 permutation,
// one that is not a permutation of 0..rank-1, and an output shape that does not match.
TransposeParams PrepareTranspose(const Graph& g, const Op& op);

// The index map of a transpose: output axis i reads with the stride of input axis perm[i].
MoveMap TransposeMap(const TransposeParams& p);

}  // namespace tinyfuse
