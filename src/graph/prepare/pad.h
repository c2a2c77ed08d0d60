// Prepare of PAD with constant paddings, int8 or uint8, up to rank 6. Output element at index o is the
// input element at o - before (per axis) when that lies inside the input, else `pad_value`: the output
// zero point (real 0), or the constant_values input when an op carries one (PADV2 style). The bytes of
// the input are copied unchanged, as TFLite Micro does (it assumes input and output share their
// quantization and does not check it).
#pragma once

#include <cstdint>
#include <vector>

#include "graph/graph.h"
#include "graph/prepare/move.h"

namespace tinyfuse {

struct PadParams {
  DType dtype = DType::kInt8;
  std::vector<int32_t> input_shape;
  std::vector<int32_t> output_shape;  // input_shape + before + after, per axis
  std::vector<int32_t> before;        // elements added in front of each axis
  std::vector<int32_t> after;         // elements added behind each axis
  int32_t pad_value = 0;              // value (in the dtype's range) written to the padded border
};

// Throws Error for non-8-bit or mismatched dtypes, rank above 6, non-constant, non-int32
// or negative paddings, and an output shape that differs from input + paddings.
PadParams PreparePad(const Graph& g, const Op& op);

// The index map of a pad: axis k reads input coordinate o - before[k], the rest is pad_value.
MoveMap PadMap(const PadParams& p);

}  // namespace tinyfuse
