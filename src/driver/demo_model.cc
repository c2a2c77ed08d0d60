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
  // One op writing a new uint8 activation of `shape`; returns that activation.
  int Layer(OpKind kind, std::vector<int> inputs, std::vector<int32_t> shape, Quantization q, const char* name,
            OpAttrs attrs) {
    const int out = g.AddActivation(DType::kUInt8, std::move(shape), std::move(q), name);
    Op op;
    op.kind = kind;
    op.inputs = std::move(inputs);
    op.outputs = {out};
    op.attrs = std::move(attrs);
    g.AddOp(op);
    return out;
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
  const Quantization act = PerTensor(kActScale, 0);
  const int in = g.AddActivation(DType::kUInt8, {1, 56, 56, 128}, act, "input");
  int x = AddSeedLayer(b, in);
  Conv2DAttrs pointwise;
  pointwise.padding = Padding::kSame;
  pointwise.activation = Activation::kRelu6;
  auto conv1x1 = [&](int input, int cin, int cout, int hw, const char* name) {
    const float ws = 0.012f;
    const int w = b.Weights({cout, 1, 1, cin}, ws, 131);
    const int bias = b.Bias(cout, kActScale * ws);
    return b.Layer(OpKind::kConv2D, {input, w, bias}, {1, hw, hw, cout}, act, name, pointwise);
  };
  x = conv1x1(x, 128, 128, 56, "pw1_out");
  {  // 3x3 depthwise, stride 2
    const int w = b.Weights({1, 3, 3, 128}, kDwScale, 125);
    const int bias = b.Bias(128, kActScale * kDwScale);
    DepthwiseConv2DAttrs a;
    a.padding = Padding::kSame;
    a.stride_h = a.stride_w = 2;
    a.activation = Activation::kRelu6;
    x = b.Layer(OpKind::kDepthwiseConv2D, {x, w, bias}, {1, 28, 28, 128}, act, "dw2_out", a);
  }
  x = conv1x1(x, 128, 256, 28, "pw2_out");
  {  // global average pool
    Pool2DAttrs a;
    a.padding = Padding::kValid;
    a.filter_h = a.filter_w = 28;
    a.stride_h = a.stride_w = 28;
    x = b.Layer(OpKind::kAveragePool2D, {x}, {1, 1, 1, 256}, act, "pool_out", a);
  }
  const int shape = g.AddConstant(DType::kInt32, {2}, {}, BytesOf(std::vector<int32_t>{1, 256}), "new_shape");
  x = b.Layer(OpKind::kReshape, {x, shape}, {1, 256}, act, "flat", NoAttrs{});
  {  // classifier
    const float ws = 0.01f;
    const int w = b.Weights({10, 256}, ws, 128);
    const int bias = b.Bias(10, kActScale * ws);
    x = b.Layer(OpKind::kFullyConnected, {x, w, bias}, {1, 10}, PerTensor(0.12f, 140), "logits",
                FullyConnectedAttrs{});
  }
  x = b.Layer(OpKind::kSoftmax, {x}, {1, 10}, PerTensor(1.0f / 256.0f, 0), "probabilities", SoftmaxAttrs{1.0f});
  g.inputs = {in};
  g.outputs = {x};
  return g;
}

}  // namespace tinyfuse
