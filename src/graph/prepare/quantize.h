// Prepare of QUANTIZE between 8-bit dtypes (int8 <-> uint8, and int8 -> int8 / uint8 -> uint8 with a
// change of scale or zero point), as TFLite Micro's Requantize computes it:
//   out = clamp(MultiplyByQuantizedMultiplierDouble(x - input_zp, m) + output_zp)
//   with m = QuantizeMultiplier(double(input_scale) / double(output_scale)).
// Fast path (`flip_sign_bit`): when m is exactly 1 (multiplier 2^30, shift 1) and the op maps int8 to
// uint8 with output_zp = input_zp + 128, or uint8 to int8 with output_zp = input_zp - 128, the output
// byte is the input byte XOR 0x80 (the general formula gives the same bytes; the fast path is what TFLM
// runs and what the compiler should emit). Arith::kTflite uses the same formula: TFLite's reference
// Requantize is identical, and the goldens' only QUANTIZE ops (int8 models) agree between the engines.
#pragma once

#include <cstdint>

#include "common/fixed_point.h"
#include "graph/graph.h"

namespace tinyfuse {

struct QuantizeParams {
  DType input_dtype = DType::kInt8;
  DType output_dtype = DType::kInt8;
  int64_t size = 0;  // elements
  int32_t input_zero_point = 0;
  int32_t output_zero_point = 0;
  QuantizedMultiplier multiplier;  // input_scale / output_scale
  bool flip_sign_bit = false;      // the XOR 0x80 fast path applies
};

// Throws Error for a non-8-bit input or output (float QUANTIZE is not supported), per-channel
// quantization and mismatched shapes.
QuantizeParams PrepareQuantize(const Graph& g, const Op& op);

}  // namespace tinyfuse
