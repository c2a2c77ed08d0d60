// Prepare for AVERAGE_POOL_2D and MAX_POOL_2D over NHWC tensors. Pooling does not requantize: input and
// output share scale and zero point. Padding is a bounds test; an average divides by the number of
// in-bounds taps:
//   avg = clamp(round_half_away(sum / count), act.min, act.max)   max = clamp(max over taps, act.min, act.max)
// (TFLite Micro's int8 rounding; TFLite's uint8 kernels divide (sum + count / 2) / count, the same for
// the non-negative sums of uint8, so both flavours share this definition. TFLite-WASM agrees: a synthetic
// 1x2 average pool of exact .5 ties rounds them up in uint8 and away from zero in int8, not to even.)
#pragma once

#include "graph/graph.h"
#include "graph/prepare/common.h"

namespace tinyfuse {

struct PoolParams {
  DType dtype = DType::kInt8;
  Window2D window;  // dilation 1
  int channels = 0;
  ActivationRange act;
};

PoolParams PreparePool2D(const Graph& g, const Op& op, Arith arith);

}  // namespace tinyfuse
