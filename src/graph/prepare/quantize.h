// Prepare of QUANTIZE between 8-bit dtypes (int8 <-> uint8, and int8 -> int8 / uint8 -> uint8 with a
// change of scale or zero point), as TFLite Micro's Requantize computes it:
//   out = clamp(MultiplyByQuantizedMultiplierDouble(x - input_zp, m) + output_zp)
//   with m = QuantizeMultiplier(double(input_scale) / double(output_scale)).
// Fast path (`flip_sign_bit`): when m is exactly 1 (multiplier 2^30, shift 1) and the op maps int8 to
// uint8 with output_zp = input_zp + 128, or uint8 to int8 with output_zp = input_zp - 128, the output
// byte is the input byte XOR 0x80 (the general formula gives the same bytes; the fast path is what TFLM
// runs and what the compiler should emit). Arith::kTflite uses the same formula: TFLite's reference
// Requantize is identical, and the goldens' only QUANTIZE ops (int8 models) agree between the engines.
//
// The float edges, as TFLite Micro 90b983c2 computes them (reference_ops::AffineQuantize / Dequantize):
//  QUANTIZE float32 -> int8:   out = clamp(int32(roundf(x / float(output_scale))) + output_zp): one float
//    division, rounded to nearest, then std::round of the float (half away from zero). The reference's
//    int32 conversion is undefined for NaN and out-of-range values; ours saturates (NaN and -inf give the
//    lowest code, +inf the highest), which agrees with it wherever it is defined. TFLM has no float ->
//    uint8 QUANTIZE.
//  DEQUANTIZE int8/uint8 -> float32: out = float(double(input_scale) * (x - input_zp)). The double product
//    is exact (24 + 9 significant bits), so the single float product scale * float(x - zp) rounds to the
//    same float: the lowering computes it in single precision (one multiply, hardware float on an M4).
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
  // The float edges (input_dtype or output_dtype is kFloat32): the scale of the quantized side, and for
  // QUANTIZE from float the bounds of roundf(x / scale) that survive the clamp (qmin - zp, qmax - zp), so
  // adding the zero point cannot overflow.
  float float_scale = 0.0f;
  int32_t round_min = 0, round_max = 0;
};

// Throws Error for unsupported dtypes (8-bit or float32 input, 8-bit output), per-channel quantization
// and mismatched shapes.
QuantizeParams PrepareQuantize(const Graph& g, const Op& op);
// DEQUANTIZE int8/uint8 -> float32 (output_dtype kFloat32, float_scale the input scale).
QuantizeParams PrepareDequantize(const Graph& g, const Op& op);

}  // namespace tinyfuse
