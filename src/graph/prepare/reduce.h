// Prepare of the reduction family over constant axes (MEAN, SUM, REDUCE_MAX, REDUCE_MIN), int8 or uint8.
// The axes, the output strides and the shape checks are shared; the ops differ only in how elements
// combine and in the epilogue.
//
// MEAN and SUM, as TFLite Micro's reference kernel computes them (reduce_common.cc EvalIntegerMean and
// EvalSumHelper -> reference_ops::QuantizedMeanOrSum, compute_sum false and true):
//   1. sum[o] = wrapping int32 sum of the raw input values that reduce into output element o
//      (the input walked in row-major order; o drops the reduced axes).
//   2. out[o] = clamp(MultiplyByQuantizedMultiplierDouble(int32(sum[o] - input_zp * count), m) + output_zp)
//      where m folds 1/count into QuantizeMultiplier(input_scale / output_scale): with
//      k = min(floor(log2(count)), 32, 31 + shift), m.multiplier = (multiplier << k) / count (64-bit
//      integer division) and m.shift = shift - k.
// Equal input and output quantization takes the same path: the TFLM the goldens come from (90b983c2)
// no longer has the older truncating-division shortcut (reference_ops::Mean), and the goldens'
// equal-scale MEAN (mobilenet_v2_quantized_1x3x224x224 op 81) rounds to nearest as above.
// SUM is the same with m = QuantizeMultiplier(input_scale / output_scale) unchanged (no 1/count fold).
// Only the kTflm arithmetic is implemented for MEAN and SUM; kTflite (TFLite's own kernels round
// differently) is rejected.
//
// REDUCE_MAX and REDUCE_MIN (reduce_common.cc EvalMinMaxHelper -> reference_ops::ReduceGeneric): the
// largest (smallest) raw input value of each output element, starting from the dtype's lowest (highest)
// value; no requantization, so input and output must share scale and zero point (TFLite Micro checks it
// with TF_LITE_ENSURE_EQ). Both arithmetic flavours take this definition (a max of raw values).
#pragma once

#include <cstdint>
#include <vector>

#include "common/fixed_point.h"
#include "graph/graph.h"

namespace tinyfuse {

enum class ReduceOp : uint8_t { kMean, kSum, kMax, kMin };
const char* ReduceOpName(ReduceOp r);  // "mean", "sum", "max", "min"

struct ReduceParams {
  ReduceOp reduce = ReduceOp::kMean;
  DType dtype = DType::kInt8;          // input and output dtype
  std::vector<int32_t> input_shape;    // the input's dims
  std::vector<bool> reduced;           // reduced[i]: axis i of the input is reduced (axes resolved, deduped)
  std::vector<int64_t> output_strides; // per input axis: stride of the output index, 0 for reduced axes
  int64_t num_outputs = 0;
  int64_t count = 0;                   // elements averaged into each output (product of reduced dims)
  int32_t input_zero_point = 0;
  int32_t output_zero_point = 0;
  QuantizedMultiplier multiplier;      // kMean: input_scale / output_scale / count; kSum: without 1/count
};

// `op` is a MEAN, SUM, REDUCE_MAX or REDUCE_MIN. Throws Error for non-8-bit or mismatched dtypes, a
// non-constant or non-int32 axis tensor, an axis out of range, an output element count that does not
// match the reduction, MEAN or SUM under Arith::kTflite, and REDUCE_MAX/MIN with differing quantization.
ReduceParams PrepareReduce(const Graph& g, const Op& op, Arith arith);

}  // namespace tinyfuse
