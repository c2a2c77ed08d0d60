// Prepare for DEPTHWISE_CONV_2D. Input NHWC with C channels, filter [1, KH, KW, C * depth_multiplier],
// optional int32 bias, output NHWC with C * depth_multiplier channels. Output channel o = c * m + j reads
// input channel c = o / m:
//
//   out[b,y,x,o] = clamp(Requantize(bias[o] + sum_{ky,kx} (in[b, y*sh - ph + ky*dh, x*sw - pw + kx*dw, o / m]
//                  - zp_in) * (w[0,ky,kx,o] - zp_w), M(o)) + zp_out),    taps outside the input skipped.
#pragma once

#include "graph/graph.h"
#include "graph/prepare/common.h"

namespace tinyfuse {

struct DepthwiseConvParams {
  DType dtype = DType::kInt8;
  Window2D window;
  int input_channels = 0;
  int depth_multiplier = 1;
  int output_channels = 0;  // input_channels * depth_multiplier
  bool has_bias = false;
  ConvQuant quant;  // per-channel weights are quantized along axis 3
};

// Multipliers as CONV_2D (the per-channel path for int8 and uint8). The depth multiplier is the ratio
// of output to input channels; the attribute must agree with it when it is set (nonzero).
DepthwiseConvParams PrepareDepthwiseConv2D(const Graph& g, const Op& op, Arith arith);

}  // namespace tinyfuse
