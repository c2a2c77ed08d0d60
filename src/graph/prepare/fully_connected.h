// Prepare for FULLY_CONNECTED. Input of any rank whose elements form [batches, accum_depth] rows, weights
// [output_depth, accum_depth], optional int32 bias (input index 2, -1 when omitted), output [batches,
// output_depth] (or, with keep_num_dims, the input's shape with its last dimension replaced).
//
//   out[b,o] = clamp(Requantize(bias[o] + sum_d (in[b,d] - zp_in) * (w[o,d] - zp_w), M(o)) + zp_out)
#pragma once

#include "graph/graph.h"
#include "graph/prepare/common.h"

namespace tinyfuse {

struct FullyConnectedParams {
  DType dtype = DType::kInt8;
  int batches = 0;
  int accum_depth = 0;
  int output_depth = 0;
  bool has_bias = false;
  ConvQuant quant;  // per-channel weights are quantized along axis 0
};

// Multipliers (kTflm): per-channel weights take TFLite's per-channel path, per-tensor weights (int8 or
// uint8) the legacy path with the float product of scales. kTflite requantizes in float (Rounding::kFloat).
FullyConnectedParams PrepareFullyConnected(const Graph& g, const Op& op, Arith arith);

}  // namespace tinyfuse
