// Models built in code for the fusion, lowering and codegen tests: single layers with every knob the
// edge-case sweeps turn (dtype and quantization granularity, shapes, padding, strides, dilation, depth
// multiplier, activation, zero points, saturating scales), the seed layer of TVM issue 8717, and a way
// to bundle many single-layer graphs into one (one compile of generated C for a whole sweep).
// Weights, biases and inputs are deterministic pseudo-random data (splitmix64).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "graph/quantization.h"

namespace tinyfuse::testmodels {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  int32_t Int(int32_t lo, int32_t hi);  // uniform in [lo, hi]
  float Float(float lo, float hi);

 private:
  uint64_t state_;
};

using tinyfuse::PerChannel;
using tinyfuse::PerTensor;

struct ConvCase {
  DType dtype = DType::kInt8;  // int8 (weights per_channel or not, zp 0) or uint8 (per-tensor, weight zp)
  bool per_channel = true;
  int batches = 1, height = 7, width = 6, in_channels = 3, out_channels = 4;
  int kernel_h = 3, kernel_w = 3;
  int stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  int depth_multiplier = 1;  // depthwise only
  Padding padding = Padding::kSame;
  Activation activation = Activation::kNone;
  int32_t input_zp = 3, output_zp = -5, weight_zp = 0;  // weight_zp: uint8 only
  float input_scale = 0.05f, weight_scale = 0.02f, output_scale = 0.1f;
  bool has_bias = true;
  int32_t bias_range = 3000;
  bool explicit_pad = false;  // precede the op with a PAD (value = input zp) of pad_before/after on H, W
  int pad_top = 1, pad_bottom = 1, pad_left = 1, pad_right = 1;
  uint64_t seed = 1;
  std::string Name() const;
};

Graph Conv2DModel(const ConvCase& c);
Graph DepthwiseConv2DModel(const ConvCase& c);
// Uses batches, in_channels (depth), out_channels; input [batches, in_channels].
Graph FullyConnectedModel(const ConvCase& c);

// uint8 input 1x56x56x128, 3x3 depthwise, SAME, stride 1, per-tensor, RELU6 (TVM issue 8717).
Graph SeedLayer();

// One graph holding all of `parts` side by side: inputs and outputs concatenated in order.
Graph Bundle(const std::vector<Graph>& parts);

// Pseudo-random bytes for every graph input.
std::vector<std::vector<uint8_t>> RandomInputs(const Graph& g, uint64_t seed);

}  // namespace tinyfuse::testmodels
