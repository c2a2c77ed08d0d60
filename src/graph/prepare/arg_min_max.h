// Prepare of ARG_MAX and ARG_MIN over one constant axis, int8 or uint8 input, int32 or int64 indices, as
// TFLite's reference_ops::ArgMinMax computes it (TFLite Micro and TFLite's builtin kernel, which
// TFLite-WASM runs for the uint8 goldens, share it):
//   the input viewed as [outer, axis_size, inner]; for each (o, i) the running best starts at element 0
//   and moves to element a only when x[o, a, i] > best (ARG_MAX) or < best (ARG_MIN), strictly, so ties
//   keep the lowest index; out[o * inner + i] = that index.
// Raw stored values are compared: quantization is monotonic, so the input's scale and zero point do not
// matter. TFLite Micro (90b983c2) accepts only int32 indices; int64 is TFLite's (the extension is exact).
#pragma once

#include <cstdint>

#include "graph/graph.h"

namespace tinyfuse {

struct ArgMinMaxParams {
  bool is_max = true;
  DType input_dtype = DType::kInt8;
  DType output_dtype = DType::kInt32;  // int32 or int64
  int64_t outer = 1;
  int32_t axis_size = 1;
  int64_t inner = 1;
};

// Throws Error for a non-8-bit input, a non-constant or multi-element axis, an axis out of range, an index
// type other than int32/int64 or differing from the output tensor, and an output of the wrong size.
ArgMinMaxParams PrepareArgMinMax(const Graph& g, const Op& op);

}  // namespace tinyfuse
