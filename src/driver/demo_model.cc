#include "driver/demo_model.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "common/splitmix64.h"
#include "graph/quantization.h"

namespace tinyfuse {
namespace {

// The demo weights: splitmix64.
class SplitMix : public SplitMix64 {
 public:
  using SplitMix64::SplitMix64;
  // Roughly bell-shaped uint8 around `center` (sum of four uniforms), as trained weights look.
  uint8_t Weight(int center) {
    int s = 0;
    for (int i = 0; i < 4; ++i) s += static_cast<int>(Next() & 63);
    const int v = center + s - 126;
    return static_cast<uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v));
  }
};

struct Builder {
  Graph g;
  SplitMix rng{8717};

  int Weights(std::vector<int32_t> shape, float scale, int zp) {
    int64_t n = 1;
    for (int32_t d : shape) n *= d;
    std::vector<uint8_t> w(static_cast<size_t>(n));
    for (auto& x : w) x = rng.Weight(zp);
    return g.AddConstant(DType::kUInt8, std::move(shape), PerTensor(scale, zp), std::move(w));
  }
  int Bias(int n, float scale) {
    std::vector<int32_t> b(static_cast<size_t>(n));
    for (auto& x : b) x = static_cast<int32_t>(rng.Next() % 4001) - 2000;
    return g.AddConstant(DType::kInt32, {n}, PerTensor(scale, 0), BytesOf(b));
  }
};

// The seed layer's quantization: input as MobileNet v1's intermediate activations (RELU6 range),
// weights uint8 per-tensor.
constexpr float kActScale = 6.0f / 255.0f;
constexpr float kDwScale = 0.021f;

int AddSeedLayer(Builder& b, int input) {
  const int w = b.Weights({1, 3, 3, 128}, kDwScale, 122);
  const int bias = b.Bias(128, kActScale * kDwScale);
  const int out = b.g.AddActivation(DType::kUInt8, {1, 56, 56, 128}, PerTensor(kActScale, 0), "seed_dw_out");
  Op op;
  op.kind = OpKind::kDepthwiseConv2D;
  op.version = 1;
  op.inputs = {input, w, bias};
  op.outputs = {out};
  DepthwiseConv2DAttrs a;
  a.padding = Padding::kSame;
  a.activation = Activation::kRelu6;
  op.attrs = a;
  b.g.AddOp(op);
  return out;
}

}  // namespace

Graph BuildSeedLayer() {
  Builder b;
  const int in = b.g.AddActivation(DType::kUInt8, {1, 56, 56, 128}, PerTensor(kActScale, 0), "input");
  const int out = AddSeedLayer(b, in);
  b.g.inputs = {in};
  b.g.outputs = {out};
  return b.g;
}

Graph BuildDemoModel() {
  Builder b;
  Graph& g = b.g;
  const int in = g.AddActivation(DType::kUInt8, {1, 56, 56, 128}, PerTensor(kActScale, 0), "input");
  int x = AddSeedLayer(b, in);

  auto conv1x1 = [&](int input, int cin, int cout, int hw, const char* name) {
    const float ws = 0.012f;
    const int w = b.Weights({cout, 1, 1, cin}, ws, 131);
    const int bias = b.Bias(cout, kActScale * ws);
    const int out = g.AddActivation(DType::kUInt8, {1, hw, hw, cout}, PerTensor(kActScale, 0), name);
    Op op;
    op.kind = OpKind::kConv2D;
    op.inputs = {input, w, bias};
    op.outputs = {out};
    Conv2DAttrs a;
    a.padding = Padding::kSame;
    a.activation = Activation::kRelu6;
    op.attrs = a;
    g.AddOp(op);
    return out;
  };

  x = conv1x1(x, 128, 128, 56, "pw1_out");
  {  // 3x3 depthwise, stride 2
    const int w = b.Weights({1, 3, 3, 128}, kDwScale, 125);
    const int bias = b.Bias(128, kActScale * kDwScale);
    const int out = g.AddActivation(DType::kUInt8, {1, 28, 28, 128}, PerTensor(kActScale, 0), "dw2_out");
    Op op;
    op.kind = OpKind::kDepthwiseConv2D;
    op.inputs = {x, w, bias};
    op.outputs = {out};
    DepthwiseConv2DAttrs a;
    a.padding = Padding::kSame;
    a.stride_h = a.stride_w = 2;
    a.activation = Activation::kRelu6;
    op.attrs = a;
    g.AddOp(op);
    x = out;
  }
  x = conv1x1(x, 128, 256, 28, "pw2_out");
  {  // global average pool
    const int out = g.AddActivation(DType::kUInt8, {1, 1, 1, 256}, PerTensor(kActScale, 0), "pool_out");
    Op op;
    op.kind = OpKind::kAveragePool2D;
    op.inputs = {x};
    op.outputs = {out};
    Pool2DAttrs a;
    a.padding = Padding::kValid;
    a.filter_h = a.filter_w = 28;
    a.stride_h = a.stride_w = 28;
    op.attrs = a;
    g.AddOp(op);
    x = out;
  }
  {  // reshape to [1, 256]
    const int shape = g.AddConstant(DType::kInt32, {2}, {}, BytesOf(std::vector<int32_t>{1, 256}), "new_shape");
    const int out = g.AddActivation(DType::kUInt8, {1, 256}, PerTensor(kActScale, 0), "flat");
    Op op;
    op.kind = OpKind::kReshape;
    op.inputs = {x, shape};
    op.outputs = {out};
    g.AddOp(op);
    x = out;
  }
  {  // classifier
    const float ws = 0.01f;
    const float out_scale = 0.12f;
    const int w = b.Weights({10, 256}, ws, 128);
    const int bias = b.Bias(10, kActScale * ws);
    const int out = g.AddActivation(DType::kUInt8, {1, 10}, PerTensor(out_scale, 140), "logits");
    Op op;
    op.kind = OpKind::kFullyConnected;
    op.inputs = {x, w, bias};
    op.outputs = {out};
    op.attrs = FullyConnectedAttrs{};
    g.AddOp(op);
    x = out;
  }
  {
    const int out = g.AddActivation(DType::kUInt8, {1, 10}, PerTensor(1.0f / 256.0f, 0), "probabilities");
    Op op;
    op.kind = OpKind::kSoftmax;
    op.inputs = {x};
    op.outputs = {out};
    op.attrs = SoftmaxAttrs{1.0f};
    g.AddOp(op);
    x = out;
  }
  g.inputs = {in};
  g.outputs = {x};
  return g;
}

}  // namespace tinyfuse
