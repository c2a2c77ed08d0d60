// Prepare for ADD of two 8-bit tensors. Two methods, chosen by the arithmetic flavour:
//
// kRescale (TFLite Micro; TFLite's own kernel): both inputs are rescaled to a common fixed-point scale with
// 20 bits of headroom, summed, and the sum is rescaled to the output:
//   a   = Requantize((x1 - zp1) << left_shift, input1_multiplier, rounding)   (likewise b for input 2)
//   out = clamp(Requantize(a + b, output_multiplier, rounding) + zp_out, act.min, act.max)
// with real multipliers s1 / (2 max(s1, s2)), s2 / (2 max(s1, s2)) and 2 max(s1, s2) / (2^20 s_out).
//
// kXnnpack (TFLite-WASM, the uint8 goldens' engine, whose default XNNPACK delegate runs quantized ADD):
//   acc = xnn_bias + x1 * xnn_multiplier1 + x2 * xnn_multiplier2           (int32, raw stored values)
//   out = clamp(((acc + 2^(xnn_shift - 1)) >> xnn_shift) + zp_out, act.min, act.max)    (arithmetic >>)
// with float ratios r1 = s1 / s_out, r2 = s2 / s_out, shift = 20 - exponent(max(r1, r2)) and multipliers
// round_half_even(r * 2^shift), bias = -(m1 * zp1 + m2 * zp2): 21-bit multipliers, ties rounded up.
// Evidence: mobilenet_v2_1.0_224_quant op 9 on in2 has an output at 187.499997 that kRescale rounds to 187
// and TFLite-WASM to 188, as this formula does; a synthetic ADD of exact .5 ties rounds them all up, -0.5
// included.
//
// Shapes broadcast NumPy-style (a dimension of 1, or a missing leading dimension, repeats).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "graph/prepare/common.h"

namespace tinyfuse {

// How two inputs broadcast NumPy-style to an output (a dimension of 1, or a missing leading dimension,
// repeats): for each input, the element stride along each output dimension (0 where it is broadcast).
// `broadcast` is false when both inputs have the output's shape (a flat loop suffices).
struct BroadcastMaps {
  std::vector<int32_t> output_shape;
  std::vector<int64_t> input1_strides;
  std::vector<int64_t> input2_strides;
  bool broadcast = false;
};
// Throws Error naming `what` when a shape does not broadcast to `out`, or `out` is not their broadcast.
BroadcastMaps MakeBroadcastMaps(const std::vector<int32_t>& in1, const std::vector<int32_t>& in2,
                                const std::vector<int32_t>& out, const std::string& what);

struct AddParams {
  enum class Method : uint8_t { kRescale, kXnnpack };
  Method method = Method::kRescale;
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
  Rounding rounding = Rounding::kDouble;  // kRescale: see AddRounding
  // kXnnpack.
  int32_t xnn_multiplier1 = 0;
  int32_t xnn_multiplier2 = 0;
  int32_t xnn_bias = 0;
  int xnn_shift = 0;
  ActivationRange act;
};

// The rounding of the kRescale method: double rounding (TFLite Micro; TFLite's own kernel, which TFLite-WASM
// runs when XNNPACK declines an ADD, is assumed to round the same way: unverified).
Rounding AddRounding(Arith arith);

// kTflm: kRescale. kTflite: kXnnpack when XNNPACK accepts the scales (both ratios s / s_out in
// [2^-10, 2^8)), else kRescale.
AddParams::Method AddMethod(Arith arith, float s1, float s2, float s_out);

AddParams PrepareAdd(const Graph& g, const Op& op, Arith arith);

}  // namespace tinyfuse
