// Prepare for ADD of two 8-bit tensors (TFLite's general quantized add). Both inputs are rescaled to a
// common fixed-point scale with 20 bits of headroom, summed, and the sum is rescaled to the output:
//   a   = Requantize((x1 - zp1) << left_shift, input1_multiplier)   (likewise b for input 2)
//   out = clamp(Requantize(a + b, output_multiplier) + zp_out, act.min, act.max)
// with real multipliers s1 / (2 max(s1, s2)), s2 / (2 max(s1, s2)) and 2 max(s1, s2) / (2^20 s_out).
// Shapes broadcast NumPy-style (a dimension of 1, or a missing leading dimension, repeats).
#pragma once

#include <cstdint>
#include <vector>

#include "graph/graph.h"
#include "graph/prepare/common.h"

namespace tinyfuse {

struct AddParams {
  DType dtype = DType::kInt8;
  // Output shape and, for each input, the element stride along each output dimension (0 where that
  // input is broadcast). All three have the output's rank. `broadcast` is false when both inputs have
  // the output's shape, so the op is a flat loop over output_shape's elements.
  std::vector<int32_t> output_shape;
  std::vector<int64_t> input1_strides;
  std::vector<int64_t> input2_strides;
  bool broadcast = false;
  int32_t input1_zero_point = 0;
  int32_t input2_zero_point = 0;
  int32_t output_zero_point = 0;
  int left_shift = 20;
  QuantizedMultiplier input1_multiplier;
  QuantizedMultiplier input2_multiplier;
  QuantizedMultiplier output_multiplier;
  Rounding rounding = Rounding::kDouble;  // both flavours: see AddRounding
  ActivationRange act;
};

// The rounding ADD uses in each flavour: double rounding in TFLite Micro and in the TFLite build that
// produced the uint8 goldens (see add.cc for the evidence).
Rounding AddRounding(Arith arith);

AddParams PrepareAdd(const Graph& g, const Op& op, Arith arith);

}  // namespace tinyfuse
