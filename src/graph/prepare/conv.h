// Prepare for CONV_2D: everything its integer arithmetic needs, computed once from the graph.
// Input NHWC, filter OHWI (O = output channels, I = input channels per group), optional int32 bias,
// output NHWC. Grouped convolution (input channels a multiple of I) is supported as TFLite defines it.
//
//   out[b,y,x,c] = clamp(Requantize(bias[c] + sum_{ky,kx,i} (in[b, y*sh - ph + ky*dh, x*sw - pw + kx*dw,
//                  g*I + i] - zp_in) * (w[c,ky,kx,i] - zp_w), M(c)) + zp_out)      with g = c / (O / groups),
// taps outside the input skipped.
#pragma once

#include "graph/graph.h"
#include "graph/prepare/common.h"

namespace tinyfuse {

struct ConvParams {
  DType dtype = DType::kInt8;  // of input, output and weights (int8 per-channel or uint8 per-tensor)
  Window2D window;
  int input_channels = 0;
  int output_channels = 0;
  int filter_input_channels = 0;  // I: input channels seen by one filter
  int groups = 1;                 // input_channels / filter_input_channels
  bool has_bias = false;
  ConvQuant quant;
};

// Multipliers: TFLite's per-channel path for int8 and uint8 (one entry when the weights are per-tensor;
// see ConvMultiplierRule). Throws Error (one line naming the op) on shapes, dtypes or quantization it
// cannot run.
ConvParams PrepareConv2D(const Graph& g, const Op& op, Arith arith);

}  // namespace tinyfuse
