// Small valid graphs for tests: one builder per op kind and variant (dtype, padding, per-tensor or
// per-channel weights, omitted bias), with deterministic constant data. Every graph built here passes
// VerifyGraph; tests break one thing at a time. Also the comparison used by round-trip tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "graph/quantization.h"  // PerTensor, PerChannel

namespace tinyfuse::testing {

// The activation quantization these builders use for a dtype (scale 0.5, zero point -3 or 125).
Quantization ActQuant(DType dtype, float scale = 0.5f);

// Deterministic pseudo-random bytes of the given count (a fixed LCG seeded by `seed`).
std::vector<uint8_t> TestBytes(size_t count, uint32_t seed);
// An int32 tensor's bytes holding small values.
std::vector<uint8_t> TestBias(int count, uint32_t seed);

struct ConvSpec {
  DType dtype = DType::kInt8;
  Padding padding = Padding::kSame;
  bool per_channel = true;  // only with int8
  bool bias = true;         // false: input 2 is -1
  int stride = 1;
  int dilation = 1;
  int groups = 1;            // CONV_2D only
  int depth_multiplier = 1;  // DEPTHWISE_CONV_2D only
  Activation activation = Activation::kRelu;
};
// x [1,9,9,4] -> CONV_2D (weights [6,3,3,4/groups]) -> y.
Graph Conv2DGraph(const ConvSpec& spec = {});
// x [1,9,9,4] -> DEPTHWISE_CONV_2D (weights [1,3,3,4*m]) -> y.
Graph DepthwiseConv2DGraph(const ConvSpec& spec = {});
// x [2,3,4] -> FULLY_CONNECTED (weights [5,12], or [5,4] with keep_num_dims) -> y.
Graph FullyConnectedGraph(DType dtype = DType::kInt8, bool per_channel = false, bool bias = true,
                          bool keep_num_dims = false);
// x [1,7,7,3] -> AVERAGE_POOL_2D / MAX_POOL_2D (filter 3x2, stride 2) -> y.
Graph Pool2DGraph(OpKind kind = OpKind::kAveragePool2D, DType dtype = DType::kInt8, Padding padding = Padding::kValid);
// a, b -> ADD -> y, with the broadcast output shape.
// MUL, SUB, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE, PRELU (its alpha a constant) with a broadcast input.
Graph BinaryGraph(OpKind kind, DType dtype = DType::kInt8);
// RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU (alpha 0.2).
Graph UnaryGraph(OpKind kind, DType dtype = DType::kInt8);
Graph AddGraph(DType dtype = DType::kInt8, std::vector<int32_t> a = {1, 4, 4, 3},
               std::vector<int32_t> b = {1, 4, 4, 3});
// x [2,10] -> SOFTMAX -> y (scale 1/256).
Graph SoftmaxGraph(DType dtype = DType::kInt8, float beta = 1.0f);
// x [1,2,3,4] -> RESHAPE -> y [1,24], with or without the constant shape input.
Graph ReshapeGraph(DType dtype = DType::kInt8, bool shape_input = true);
// x [1,3,4,2] -> PAD ([[0,0],[1,2],[0,1],[0,0]], optional constant value) -> y.
Graph PadGraph(DType dtype = DType::kInt8, bool value_input = false);
// x [1,3,4,5] -> TRANSPOSE (perm [0,3,1,2]) -> y [1,5,3,4].
Graph TransposeGraph(DType dtype = DType::kInt8);
// CONCATENATION of x [1, 3, 4] with itself on axis 2: [1, 3, 8].
Graph ConcatenationGraph(DType dtype = DType::kInt8);
// STRIDED_SLICE of x [1, 6, 4]: begin [0, 1, 0], end [1, 6, 4], strides [1, 2, 1], shrink axis 0: [3, 4].
Graph StridedSliceGraph(DType dtype = DType::kInt8);
// x [1,5,5,8] -> MEAN (axes [1,2]) -> y [1,8] or [1,1,1,8].
Graph MeanGraph(DType dtype = DType::kInt8, bool keep_dims = false);
// MEAN, SUM, REDUCE_MAX or REDUCE_MIN over axes 1, 2 of [1, 5, 5, 8].
Graph ReduceGraph(OpKind kind, DType dtype = DType::kInt8, bool keep_dims = false);
// ARG_MAX or ARG_MIN over `axis` of `shape` (by default the last axis of [1, 3, 4, 6]).
Graph ArgMinMaxGraph(OpKind kind, DType dtype = DType::kInt8, DType output_type = DType::kInt64,
                     const std::vector<int32_t>& shape = {1, 3, 4, 6}, int32_t axis = -1);
// RESIZE_BILINEAR of [1, 3, 4, 2] to 7x5.
Graph ResizeBilinearGraph(DType dtype = DType::kInt8, bool align_corners = false, bool half_pixel_centers = false);
// x [1,16] -> QUANTIZE -> y.
// x[1,16] -> QUANTIZE -> y (x may be float32, without quantization).
Graph QuantizeGraph(DType from = DType::kUInt8, DType to = DType::kInt8);
// int8 x[1,16] -> DEQUANTIZE -> float32 y.
Graph DequantizeGraph(DType from = DType::kInt8);
// A small network using several ops in a chain, ending in SOFTMAX.
Graph ChainGraph();
// A valid graph whose only op is of kind `kind` (the first variant of the builders above).
Graph GraphWithOp(OpKind kind);

// Compares everything ImportTflite(WriteTflite(g)) must preserve: tensors (name, dtype, shape, exact
// quantization, constness, data), ops (kind, version, tensors, attrs) and graph inputs/outputs. Returns
// "" when equal, else the first difference.
std::string GraphDifference(const Graph& a, const Graph& b);

}  // namespace tinyfuse::testing
