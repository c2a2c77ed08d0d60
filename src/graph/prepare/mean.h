// Prepare of MEAN (quantized reduce-mean over constant axes), int8 or uint8, as TFLite Micro's reference
// kernel computes it (reduce_common.cc EvalIntegerMean -> reference_ops::QuantizedMeanOrSum):
//   1. sum[o] = wrapping int32 sum of the raw input values that reduce into output element o
//      (the input walked in row-major order; o drops the reduced axes).
//   2. out[o] = clamp(MultiplyByQuantizedMultiplierDouble(int32(sum[o] - input_zp * count), m) + output_zp)
//      where m folds 1/count into QuantizeMultiplier(input_scale / output_scale): with
//      k = min(floor(log2(count)), 32, 31 + shift), m.multiplier = (multiplier << k) / count (64-bit
//      integer division) and m.shift = shift - k.
// Equal input and output quantization takes the same path: the TFLM the goldens come from (90b983c2)
// no longer has the older truncating-division shortcut (reference_ops::Mean), and the goldens'
// equal-scale MEAN (mobilenet_v2_quantized_1x3x224x224 op 81) rounds to nearest as above.
// Only the kTflm arithmetic is implemented; kTflite (TFLite's own MEAN rounds differently) is rejected.
#pragma once

#include <cstdint>
#include <vector>

#include "common/fixed_point.h"
#include "graph/graph.h"

namespace tinyfuse {

struct MeanParams {
  DType dtype = DType::kInt8;          // input and output dtype
  std::vector<int32_t> input_shape;    // the input's dims
  std::vector<bool> reduced;           // reduced[i]: axis i of the input is reduced (axes resolved, deduped)
  std::vector<int64_t> output_strides; // per input axis: stride of the output index, 0 for reduced axes
  int64_t num_outputs = 0;
  int64_t count = 0;                   // elements averaged into each output (product of reduced dims)
  int32_t input_zero_point = 0;
  int32_t output_zero_point = 0;
  QuantizedMultiplier multiplier;      // input_scale / output_scale / count, see above
};

// Throws Error for non-8-bit or mismatched dtypes, a non-constant or non-int32 axis tensor, an axis out of
// range, an output element count that does not match the reduction, and Arith::kTflite.
MeanParams PrepareMean(const Graph& g, const Op& op, Arith arith);

}  // namespace tinyfuse
