// Prepare of SOFTMAX over the last axis, int8 -> int8 or uint8 -> uint8, in both arithmetic flavours.
//
// kTflm (TFLite Micro's reference kernel, gemmlowp fixed point):
//   1. max = the row's largest input; for each element d = max - x in [0, 255].
//   2. e(d) = exp(-d * input_scale * beta) in Q0.31, computed from d rescaled to Q5.26 by the
//      multiplier PreprocessSoftmaxScaling derives; d > -diff_min contributes nothing (e = 0).
//      Prepare tabulates e(d) for all 256 values of d (`exp_q31`), so Eval needs no exp.
//   3. sum = sum over the row of RoundingDivideByPOT(e(d), 12)  (Q12.19);
//      recip = 1 / sum via SoftmaxReciprocal (Q0.31 mantissa and a power of two);
//   4. out = RoundingDivideByPOT(SRDHM(recip, e(d)), num_bits_over_unit + 23) + dtype_min, clamped.
//      When the sum of exps reaches 512 (512 or more classes near the maximum) the exponent is 32:
//      TFLite Micro aborts on a TFLITE_CHECK there; tinyfuse continues the formula exactly (an int32
//      divided by 2^32 rounds to 0), so every output of that row is dtype_min.
//   The output quantization is fixed: scale 1/256, zero point -128 (int8) or 0 (uint8).
// kTflite (TFLite's optimized kernel as the non-NEON WASM build runs it for uint8; float table):
//   1. table[255 - d] = expf(-input_scale * beta * d) in float, for d in [0, 255] (`exp_table`).
//   2. sum = float sum over the row, in element order, of table[255 - d];
//      inv = 1.0f / (sum * output_scale).
//   3. uint8: out = int32(table[255 - d] * inv + 0.5f) (truncation; the zero point is not added);
//      int8:  out = int32(roundf(table[255 - d] * inv)) + output_zero_point; then clamped.
//   Every step is IEEE single precision, without fused multiply-add (generated C must not contract
//   `table * inv + 0.5f` into an FMA). The table comes from the host's expf: glibc (>= 2.28) and the musl
//   in Emscripten share one expf algorithm, which is not correctly rounded (about 0.06% of its results
//   differ by 1 ulp from exp in double), so a host with another libm could, rarely, emit a different table.
#pragma once

#include <array>
#include <cstdint>

#include "graph/graph.h"

namespace tinyfuse {

struct SoftmaxParams {
  Arith arith = Arith::kTflm;
  DType dtype = DType::kInt8;  // input and output dtype
  int32_t rows = 0;            // product of all dims but the last
  int32_t depth = 0;           // size of the last dim: the softmax runs over it

  // kTflm only.
  int32_t input_multiplier = 0;  // Q0.31 mantissa of beta * input_scale * 2^26 (PreprocessSoftmaxScaling)
  int input_left_shift = 0;      // its power of two (>= 0)
  int32_t diff_min = 0;          // -CalculateInputRadius(5, input_left_shift); d > -diff_min is skipped
  // exp_q31[d] = gemmlowp exp_on_negative_values of the rescaled -d (Q0.31), 0 where -d < diff_min.
  std::array<int32_t, 256> exp_q31{};

  // kTflite only.
  std::array<float, 256> exp_table{};  // exp_table[255 - d] = expf(-input_scale * beta * d)
  float output_scale = 0.0f;
  int32_t output_zero_point = 0;
};

// Computes the constants above. Throws Error for a dtype other than int8/uint8, mismatched dtypes or
// shapes, a non-positive input scale or beta, and (kTflm) an output quantization other than
// scale 1/256 with zero point -128 (int8) or 0 (uint8), which TFLite Micro requires.
SoftmaxParams PrepareSoftmax(const Graph& g, const Op& op, Arith arith);

// The fixed-point arithmetic of the kTflm softmax, shared by Prepare (the exp table), the interpreter
// and the tests. Results equal gemmlowp's FixedPoint<int32_t> functions bit for bit.
//
// exp(a) for a <= 0 with `integer_bits` integer bits (1..31), result in Q0.31 (exp(0) = INT32_MAX).
int32_t ExpOnNegativeValues(int32_t a, int integer_bits);
// exp(a) for a <= 0 in Q5.26 (softmax's scaled differences).
int32_t ExpOnNegativeValuesQ5(int32_t a);
// 1 / (1 + x) for x in [0, 1) in Q0.31 (Newton-Raphson, three steps), result in Q0.31.
int32_t OneOverOnePlusX(int32_t x);
// (1 - x) / (1 + x) for x in [0, 1) in Q0.31, the same Newton-Raphson, result in Q0.31 (tanh).
int32_t OneMinusXOverOnePlusX(int32_t x);
// TFLite's GetReciprocal for a positive sum in Q12.19: returns the Q0.31 mantissa of 1/sum and sets
// *num_bits_over_unit so that 1/sum = mantissa * 2^-(num_bits_over_unit) / 2^31 (approximately).
int32_t SoftmaxReciprocal(int32_t sum_q12, int* num_bits_over_unit);

}  // namespace tinyfuse
