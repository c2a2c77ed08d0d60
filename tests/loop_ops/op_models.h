// Single-op models built in code for the differential tests of the non-conv lowerings (pooling, ADD,
// QUANTIZE, SOFTMAX, MEAN, TRANSPOSE, PAD), each optionally followed by a QUANTIZE (which the fusion pass
// chains into the op's kernel), plus input sets that hit the edges: pseudo-random bytes, every byte at the
// dtype's minimum, at its maximum, and alternating minimum/maximum (out of phase between inputs).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "graph/graph.h"

namespace tinyfuse::loopops {

// A QUANTIZE appended to a model's single output: output dtype, scale and zero point.
struct Requant {
  bool enabled = false;
  DType dtype = DType::kInt8;
  float scale = 0.1f;
  int32_t zero_point = 0;
};

struct PoolCase {
  bool average = true;
  DType dtype = DType::kInt8;
  int batches = 1, height = 7, width = 6, channels = 3;
  int filter_h = 3, filter_w = 3, stride_h = 1, stride_w = 1;
  Padding padding = Padding::kSame;
  Activation activation = Activation::kNone;
  float scale = 0.05f;
  int32_t zero_point = 3;
  Requant then;
  std::string Name() const;
};
Graph PoolModel(const PoolCase& c);

struct AddCase {
  DType dtype = DType::kInt8;
  std::vector<int32_t> shape1 = {1, 4, 5, 3}, shape2 = {1, 4, 5, 3};
  float scale1 = 0.05f, scale2 = 0.08f, scale_out = 0.1f;
  int32_t zp1 = 3, zp2 = -7, zp_out = 1;
  Activation activation = Activation::kNone;
  Requant then;
};
Graph AddModel(const AddCase& c);

struct SoftmaxCase {
  DType dtype = DType::kInt8;
  std::vector<int32_t> shape = {2, 10};
  float input_scale = 0.1f;
  int32_t input_zp = 0;
  float beta = 1.0f;
  Requant then;
};
Graph SoftmaxModel(const SoftmaxCase& c);

// MEAN, SUM, REDUCE_MAX or REDUCE_MIN (the last two keep the input's quantization: in_scale, in_zp).
struct MeanCase {
  OpKind kind = OpKind::kMean;
  DType dtype = DType::kInt8;
  std::vector<int32_t> shape = {1, 5, 4, 3};
  std::vector<int32_t> axes = {1, 2};
  bool keep_dims = true;
  float in_scale = 0.05f, out_scale = 0.04f;
  int32_t in_zp = 5, out_zp = -3;
  Requant then;
};
Graph MeanModel(const MeanCase& c);

// RESIZE_BILINEAR of an NHWC input to out_h x out_w (no requantization), optionally followed by a QUANTIZE.
struct ResizeCase {
  DType dtype = DType::kInt8;
  std::vector<int32_t> shape = {1, 3, 4, 2};
  int out_h = 7, out_w = 5;
  bool align_corners = false, half_pixel_centers = false;
  Requant then;
};
Graph ResizeBilinearModel(const ResizeCase& c);

Graph TransposeModel(DType dtype, const std::vector<int32_t>& shape, const std::vector<int32_t>& perm,
                     const Requant& then = {});

// PAD with paddings[axis] = {before, after}; the pad value is the zero point.
Graph PadModel(DType dtype, const std::vector<int32_t>& shape, const std::vector<std::pair<int, int>>& paddings,
               int32_t zero_point, const Requant& then = {});

struct QuantizeCase {
  DType in_dtype = DType::kInt8, out_dtype = DType::kUInt8;
  std::vector<int32_t> shape = {1, 3, 4, 5};
  float in_scale = 0.05f, out_scale = 0.05f;
  int32_t in_zp = -3, out_zp = 125;
};
Graph QuantizeModel(const QuantizeCase& c);

// An 8-bit unary op (RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU) on a graph input, or appended to the output of
// `producer` (a model from test_models.h, say) so that the fusion pass can take it as an epilogue.
struct UnaryCase {
  OpKind op = OpKind::kLeakyRelu;
  DType dtype = DType::kInt8;
  std::vector<int32_t> shape = {1, 4, 5, 3};
  float in_scale = 0.05f, out_scale = 0.04f;
  int32_t in_zp = 3, out_zp = -2;
  float alpha = 0.1f;
  Requant then;
};
Graph UnaryModel(const UnaryCase& c);
// Appends `op` (with c's output quantization and alpha) to the single output of `g`.
void AppendUnary(Graph& g, const UnaryCase& c);

// A binary elementwise op (MUL, SUB, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE, PRELU); input 2 may be a
// constant (PRELU's alpha), filled with pseudo-random bytes.
struct BinaryCase {
  OpKind op = OpKind::kMul;
  DType dtype = DType::kInt8;
  std::vector<int32_t> shape1 = {1, 4, 5, 3}, shape2 = {1, 4, 5, 3};
  float scale1 = 0.05f, scale2 = 0.08f, scale_out = 0.1f;
  int32_t zp1 = 3, zp2 = -7, zp_out = 1;
  Activation activation = Activation::kNone;  // MUL, SUB
  bool const_input2 = false;
  Requant then;
};
Graph BinaryModel(const BinaryCase& c);

// Input sets for every graph input: `random_sets` pseudo-random ones, then all-minimum, all-maximum and
// alternating minimum/maximum bytes of each input's dtype.
std::vector<std::vector<std::vector<uint8_t>>> EdgeInputs(const Graph& g, int random_sets, uint64_t seed);

}  // namespace tinyfuse::loopops
