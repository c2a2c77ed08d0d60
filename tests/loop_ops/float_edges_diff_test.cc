// The float edges and several inputs/outputs: generated C against the interpreter, tolerance zero.
// QUANTIZE float32 -> int8 on ties, saturation, signed zeros, subnormals, infinities and NaN; DEQUANTIZE
// int8/uint8 -> float32 standalone and fused after SOFTMAX; a float -> QUANTIZE -> SOFTMAX -> DEQUANTIZE
// chain; and all of them bundled into one model with several float and 8-bit inputs and outputs, written
// as a .tflite by our writer and imported back.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "differential.h"
#include "loop/lower.h"
#include "op_models.h"
#include "test_models.h"
#include "tflite/importer.h"
#include "tflite/writer.h"

namespace tinyfuse::loopops {
namespace {

using codegen::DiffAgainstInterpreter;

Quantization PerTensorQ(float scale, int32_t zp) { return Quantization{{scale}, {zp}, 0}; }

void AddOp(Graph& g, OpKind kind, int in, int out) {
  Op op;
  op.kind = kind;
  op.inputs = {in};
  op.outputs = {out};
  g.AddOp(op);
}

Graph QuantizeFromFloat(std::vector<int32_t> shape, float scale, int32_t zp) {
  Graph g;
  const int in = g.AddActivation(DType::kFloat32, shape, {}, "x");
  const int out = g.AddActivation(DType::kInt8, shape, PerTensorQ(scale, zp), "q");
  AddOp(g, OpKind::kQuantize, in, out);
  g.inputs = {in};
  g.outputs = {out};
  return g;
}

Graph DequantizeTo(DType dtype, std::vector<int32_t> shape, float scale, int32_t zp) {
  Graph g;
  const int in = g.AddActivation(dtype, shape, PerTensorQ(scale, zp), "q");
  const int out = g.AddActivation(DType::kFloat32, shape, {}, "y");
  AddOp(g, OpKind::kDequantize, in, out);
  g.inputs = {in};
  g.outputs = {out};
  return g;
}

// `g`'s output 0 dequantized to float32 (the new output).
Graph ThenDequantize(Graph g) {
  const Tensor& t = g.tensor(g.outputs[0]);
  const int out = g.AddActivation(DType::kFloat32, t.shape, {}, "dequantized");
  AddOp(g, OpKind::kDequantize, g.outputs[0], out);
  g.outputs = {out};
  return g;
}

// float -> QUANTIZE -> SOFTMAX -> DEQUANTIZE: model_runner_model's edges around one op.
Graph FloatSoftmaxFloat() {
  Graph g;
  const int x = g.AddActivation(DType::kFloat32, {2, 12}, {}, "x");
  const int q = g.AddActivation(DType::kInt8, {2, 12}, PerTensorQ(0.08f, 3), "xq");
  const int p = g.AddActivation(DType::kInt8, {2, 12}, PerTensorQ(1.0f / 256, -128), "p");
  const int y = g.AddActivation(DType::kFloat32, {2, 12}, {}, "y");
  AddOp(g, OpKind::kQuantize, x, q);
  Op softmax;
  softmax.kind = OpKind::kSoftmax;
  softmax.inputs = {q};
  softmax.outputs = {p};
  softmax.attrs = SoftmaxAttrs{1.0f};
  g.AddOp(softmax);
  AddOp(g, OpKind::kDequantize, p, y);
  g.inputs = {x};
  g.outputs = {y};
  return g;
}

// Edge floats for every float input (cycled, then scaled ramps), random bytes for the others.
std::vector<codegen::InputSet> FloatEdgeInputs(const Graph& g, uint64_t seed) {
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> edges = {0.0f, -0.0f, 0.5f, -0.5f, 1.5f, -2.5f, 0.04f, -0.04f, 0.12f, 1e-40f, -1e-40f,
                                    inf, -inf, std::numeric_limits<float>::quiet_NaN(), 3e38f, -3e38f, 1e9f, -1e9f,
                                    10.2f, -10.28f, 10.24f, 5.12f, -5.2f};
  std::vector<codegen::InputSet> sets;
  for (int s = 0; s < 3; ++s) {
    codegen::InputSet set = testmodels::RandomInputs(g, seed + static_cast<uint64_t>(s));
    for (size_t k = 0; k < g.inputs.size(); ++k) {
      const Tensor& t = g.tensor(g.inputs[k]);
      if (t.dtype != DType::kFloat32) continue;
      std::vector<float> v(static_cast<size_t>(t.num_elements()));
      for (size_t i = 0; i < v.size(); ++i) {
        v[i] = s == 0 ? edges[i % edges.size()] : (static_cast<float>(i % 61) - 30.0f) * 0.37f * static_cast<float>(s);
      }
      std::memcpy(set[k].data(), v.data(), set[k].size());
    }
    sets.push_back(std::move(set));
  }
  return sets;
}

TEST(FloatEdgesDiff, QuantizeFromFloat) {
  const Graph g = testmodels::Bundle({QuantizeFromFloat({1, 23}, 0.5f, 0), QuantizeFromFloat({2, 23}, 0.04f, -7),
                                      QuantizeFromFloat({46}, 1.0f / 256, 127), QuantizeFromFloat({3, 1, 23}, 3e37f, 1)});
  EXPECT_EQ(DiffAgainstInterpreter(g, Arith::kTflm, FloatEdgeInputs(g, 5)), "");
}

TEST(FloatEdgesDiff, Dequantize) {
  const Graph g = testmodels::Bundle({DequantizeTo(DType::kInt8, {1, 256}, 0.00390625f, -128),
                                      DequantizeTo(DType::kUInt8, {4, 64}, 0.0235f, 131),
                                      DequantizeTo(DType::kInt8, {256}, 1e-44f, 0),
                                      DequantizeTo(DType::kInt8, {2, 128}, 3e38f, 5)});
  EXPECT_EQ(DiffAgainstInterpreter(g, Arith::kTflm, EdgeInputs(g, 3, 17)), "");
}

TEST(FloatEdgesDiff, DequantizeFusesAfterSoftmax) {
  SoftmaxCase c;
  c.shape = {3, 17};
  const Graph g = ThenDequantize(SoftmaxModel(c));
  const loop::LoweredModel m = loop::LowerGraph(g, Arith::kTflm);
  ASSERT_EQ(m.kernels.size(), 1u) << "DEQUANTIZE should be the softmax kernel's epilogue";
  EXPECT_EQ(DiffAgainstInterpreter(g, Arith::kTflm, EdgeInputs(g, 3, 23)), "");
}

TEST(FloatEdgesDiff, SeveralInputsAndOutputsOfMixedDtypes) {
  SoftmaxCase c;
  c.dtype = DType::kUInt8;
  c.shape = {2, 9};
  const Graph g = testmodels::Bundle({FloatSoftmaxFloat(), DequantizeTo(DType::kUInt8, {5, 7}, 0.02f, 100),
                                      QuantizeFromFloat({1, 30}, 0.1f, -2), SoftmaxModel(c),
                                      ThenDequantize(SoftmaxModel(SoftmaxCase{}))});
  ASSERT_EQ(g.inputs.size(), 5u);
  ASSERT_EQ(g.outputs.size(), 5u);
  // Through the .tflite writer and importer: float32 tensors and DEQUANTIZE survive the round trip.
  const std::vector<uint8_t> file = WriteTflite(g);
  const Graph back = ImportTflite(file.data(), file.size());
  ASSERT_EQ(back.inputs.size(), 5u);
  EXPECT_EQ(back.tensor(back.inputs[0]).dtype, DType::kFloat32);
  EXPECT_EQ(DiffAgainstInterpreter(back, Arith::kTflm, FloatEdgeInputs(back, 29)), "");
}

}  // namespace
}  // namespace tinyfuse::loopops
