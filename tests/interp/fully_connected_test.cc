// FULLY_CONNECTED against a naive reference: batches, accumulation depths around tile sizes, per-tensor and
// per-channel int8 weights, uint8 weights with a zero point, no bias (input -1), keep_num_dims, both flavours.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "graph/prepare/fully_connected.h"
#include "test_util.h"

namespace tinyfuse::testing {
namespace {

struct FcCase {
  DType dtype = DType::kInt8;
  std::vector<int32_t> in_shape = {2, 5};
  int out_depth = 3;
  bool per_channel = false, bias = true, keep_num_dims = false;
  Activation act = Activation::kNone;
  float s_in = 0.1f, s_out = 0.2f;
  int zp_in = 7, zp_out = -3, zp_w = 0;
  uint64_t seed = 1;
};

void Check(const FcCase& c) {
  Rng rng(c.seed);
  int64_t elems = 1;
  for (int32_t d : c.in_shape) elems *= d;
  const int depth = c.in_shape.back();
  const int batches = static_cast<int>(elems / depth);
  std::vector<float> s_w;
  for (int o = 0; o < (c.per_channel ? c.out_depth : 1); ++o) s_w.push_back(rng.Scale(0.003f, 0.03f));
  auto sw = [&](int o) { return s_w[c.per_channel ? static_cast<size_t>(o) : 0]; };
  const std::vector<uint8_t> input = RandomBytes(rng, static_cast<size_t>(elems), c.dtype);
  const std::vector<uint8_t> weights = RandomBytes(rng, static_cast<size_t>(c.out_depth * depth), c.dtype);
  std::vector<int32_t> bias;
  for (int o = 0; o < c.out_depth; ++o) bias.push_back(rng.Uniform(-5000, 5000));

  Graph g;
  const int x = g.AddActivation(c.dtype, c.in_shape, PerTensor(c.s_in, c.zp_in));
  const int w = g.AddConstant(c.dtype, {c.out_depth, depth},
                              c.per_channel ? PerChannel(s_w, 0) : PerTensor(s_w[0], c.dtype == DType::kUInt8 ? c.zp_w : 0),
                              weights);
  int b = -1;
  if (c.bias) b = g.AddConstant(DType::kInt32, {c.out_depth}, PerTensor(c.s_in * s_w[0], 0), BytesOf(bias));
  std::vector<int32_t> out_shape = {batches, c.out_depth};
  if (c.keep_num_dims) {
    out_shape = c.in_shape;
    out_shape.back() = c.out_depth;
  }
  const int y = g.AddActivation(c.dtype, out_shape, PerTensor(c.s_out, c.zp_out));
  Op op;
  op.kind = OpKind::kFullyConnected;
  op.inputs = {x, w, b};
  op.outputs = {y};
  FullyConnectedAttrs a;
  a.activation = c.act;
  a.keep_num_dims = c.keep_num_dims;
  op.attrs = a;
  g.AddOp(op);
  g.inputs = {x};
  g.outputs = {y};

  const int zp_w = c.dtype == DType::kUInt8 ? c.zp_w : 0;
  const auto [lo, hi] = RefActivationRange(c.act, c.dtype, c.s_out, c.zp_out);
  for (Arith arith : {Arith::kTflm, Arith::kTflite}) {
    SCOPED_TRACE(std::string(DTypeLabel(c.dtype)) + " batches " + std::to_string(batches) + " depth " +
                 std::to_string(depth) + " out " + std::to_string(c.out_depth) + (c.per_channel ? " per-channel" : "") +
                 (c.bias ? "" : " nobias") + " " + ArithName(arith));
    std::vector<uint8_t> want;
    for (int n = 0; n < batches; ++n) {
      for (int o = 0; o < c.out_depth; ++o) {
        int32_t acc = c.bias ? bias[static_cast<size_t>(o)] : 0;
        for (int d = 0; d < depth; ++d) {
          acc += (Get(input, static_cast<size_t>(n * depth + d), c.dtype) - c.zp_in) *
                 (Get(weights, static_cast<size_t>(o * depth + d), c.dtype) - zp_w);
        }
        // Per-tensor weights take TFLite's legacy multiplier (float product of the scales).
        const int32_t v = RefRequantize(acc, arith, c.s_in, sw(o), c.s_out, /*legacy_product=*/!c.per_channel) + c.zp_out;
        want.push_back(Put(std::min(hi, std::max(lo, v))));
      }
    }
    EXPECT_TRUE(SameBytes(RunGraph(g, arith, {input}), want, c.dtype));
  }
}

TEST(FullyConnected, DepthsBatchesAndGranularity) {
  uint64_t seed = 10;
  for (DType t : {DType::kInt8, DType::kUInt8}) {
    for (int depth : {1, 3, 4, 5, 8, 16, 17}) {
      for (int batches : {1, 3}) {
        for (bool per_channel : {false, true}) {
          if (per_channel && t == DType::kUInt8) continue;
          FcCase c;
          c.dtype = t;
          c.in_shape = {batches, depth};
          c.out_depth = (depth * 5) % 17 + 1;
          c.per_channel = per_channel;
          c.zp_in = t == DType::kUInt8 ? 128 : -4;
          c.zp_out = t == DType::kUInt8 ? 125 : 6;
          c.zp_w = 120;
          c.seed = ++seed;
          Check(c);
        }
      }
    }
  }
}

TEST(FullyConnected, WithoutBias) {
  for (DType t : {DType::kInt8, DType::kUInt8}) {
    FcCase c;
    c.dtype = t;
    c.bias = false;
    c.zp_in = t == DType::kUInt8 ? 130 : 2;
    c.zp_out = t == DType::kUInt8 ? 128 : 0;
    c.zp_w = 125;
    c.seed = 77;
    Check(c);
  }
}

TEST(FullyConnected, HigherRankInputAndKeepNumDims) {
  FcCase c;
  c.in_shape = {2, 3, 4};
  c.keep_num_dims = true;
  c.seed = 78;
  Check(c);
  c.keep_num_dims = false;  // output [6, out]
  Check(c);
}

TEST(FullyConnected, Activations) {
  uint64_t seed = 90;
  for (DType t : {DType::kInt8, DType::kUInt8}) {
    for (Activation act : {Activation::kRelu, Activation::kRelu6, Activation::kReluN1To1}) {
      FcCase c;
      c.dtype = t;
      c.act = act;
      c.in_shape = {4, 16};
      c.out_depth = 8;
      c.s_in = 0.5f;
      c.s_out = 0.05f;
      c.zp_in = t == DType::kUInt8 ? 128 : 0;
      c.zp_out = t == DType::kUInt8 ? 20 : -110;
      c.zp_w = 128;
      c.seed = ++seed;
      Check(c);
    }
  }
}

TEST(FullyConnected, RejectsWrongDepth) {
  Graph g;
  const int x = g.AddActivation(DType::kInt8, {2, 5}, PerTensor(0.1f, 0));
  const int w = g.AddConstant(DType::kInt8, {3, 4}, PerTensor(0.1f, 0), std::vector<uint8_t>(12, 1));
  const int y = g.AddActivation(DType::kInt8, {2, 3}, PerTensor(0.1f, 0));
  Op op;
  op.kind = OpKind::kFullyConnected;
  op.inputs = {x, w, -1};
  op.outputs = {y};
  op.attrs = FullyConnectedAttrs{};
  g.AddOp(op);
  EXPECT_THROW(PrepareFullyConnected(g, g.ops[0], Arith::kTflm), Error);
}

}  // namespace
}  // namespace tinyfuse::testing
