// DEPTHWISE_CONV_2D against a naive reference: depth multipliers 1 and 2, channel counts around tile sizes,
// SAME/VALID borders, strides 1 and 2, dilation 2, int8 per-channel and uint8 per-tensor weights, both flavours.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "graph/prepare/depthwise_conv.h"
#include "test_util.h"

namespace tinyfuse::testing {
namespace {

struct DwCase {
  DType dtype = DType::kInt8;
  int batches = 1, in_h = 6, in_w = 5, in_c = 3, mult = 1, k_h = 3, k_w = 3, stride = 1, dilation = 1;
  Padding padding = Padding::kSame;
  Activation act = Activation::kNone;
  bool bias = true;
  float s_in = 0.05f, s_out = 0.08f;
  int zp_in = -3, zp_out = 4, zp_w = 0;
  std::vector<float> s_w;
  uint64_t seed = 1;
  std::string Name() const {
    return std::string(DTypeLabel(dtype)) + " " + std::to_string(in_h) + "x" + std::to_string(in_w) + "x" +
           std::to_string(in_c) + " m" + std::to_string(mult) + " k" + std::to_string(k_h) + "x" + std::to_string(k_w) +
           " s" + std::to_string(stride) + " d" + std::to_string(dilation) + " " + PaddingName(padding) + " " +
           ActivationName(act);
  }
};

void Check(const DwCase& c) {
  Rng rng(c.seed);
  const int oc = c.in_c * c.mult;
  const int out_h = RefOutSize(c.padding, c.in_h, c.k_h, c.stride, c.dilation);
  const int out_w = RefOutSize(c.padding, c.in_w, c.k_w, c.stride, c.dilation);
  const std::vector<uint8_t> input = RandomBytes(rng, static_cast<size_t>(c.batches * c.in_h * c.in_w * c.in_c), c.dtype);
  const std::vector<uint8_t> weights = RandomBytes(rng, static_cast<size_t>(c.k_h * c.k_w * oc), c.dtype);
  std::vector<int32_t> bias;
  for (int o = 0; o < oc; ++o) bias.push_back(rng.Uniform(-2000, 2000));
  auto s_w = [&](int o) { return c.s_w[c.s_w.size() == 1 ? 0 : static_cast<size_t>(o)]; };

  Graph g;
  const int x = g.AddActivation(c.dtype, {c.batches, c.in_h, c.in_w, c.in_c}, PerTensor(c.s_in, c.zp_in));
  const int w = g.AddConstant(c.dtype, {1, c.k_h, c.k_w, oc},
                              c.dtype == DType::kInt8 ? PerChannel(c.s_w, 3) : PerTensor(c.s_w[0], c.zp_w), weights);
  int b = -1;
  if (c.bias) {
    std::vector<float> bs;
    for (int o = 0; o < oc; ++o) bs.push_back(c.s_in * s_w(o));
    b = g.AddConstant(DType::kInt32, {oc}, c.dtype == DType::kInt8 ? PerChannel(bs, 0) : PerTensor(bs[0], 0),
                      BytesOf(bias));
  }
  const int y = g.AddActivation(c.dtype, {c.batches, out_h, out_w, oc}, PerTensor(c.s_out, c.zp_out));
  Op op;
  op.kind = OpKind::kDepthwiseConv2D;
  op.inputs = {x, w, b};
  op.outputs = {y};
  DepthwiseConv2DAttrs a;
  a.padding = c.padding;
  a.stride_h = a.stride_w = c.stride;
  a.dilation_h = a.dilation_w = c.dilation;
  a.depth_multiplier = c.mult;
  a.activation = c.act;
  op.attrs = a;
  g.AddOp(op);
  g.inputs = {x};
  g.outputs = {y};

  const int pad_h = RefPadBefore(c.padding, c.in_h, c.k_h, c.stride, c.dilation);
  const int pad_w = RefPadBefore(c.padding, c.in_w, c.k_w, c.stride, c.dilation);
  const int zp_w = c.dtype == DType::kUInt8 ? c.zp_w : 0;
  const auto [lo, hi] = RefActivationRange(c.act, c.dtype, c.s_out, c.zp_out);
  for (Arith arith : {Arith::kTflm, Arith::kTflite}) {
    SCOPED_TRACE(c.Name() + " " + ArithName(arith));
    std::vector<uint8_t> want;
    for (int n = 0; n < c.batches; ++n) {
      for (int oy = 0; oy < out_h; ++oy) {
        for (int ox = 0; ox < out_w; ++ox) {
          for (int o = 0; o < oc; ++o) {
            int32_t acc = c.bias ? bias[static_cast<size_t>(o)] : 0;
            for (int ky = 0; ky < c.k_h; ++ky) {
              for (int kx = 0; kx < c.k_w; ++kx) {
                const int iy = oy * c.stride - pad_h + ky * c.dilation, ix = ox * c.stride - pad_w + kx * c.dilation;
                if (iy < 0 || iy >= c.in_h || ix < 0 || ix >= c.in_w) continue;
                acc += (Get(input, static_cast<size_t>(((n * c.in_h + iy) * c.in_w + ix) * c.in_c + o / c.mult), c.dtype) - c.zp_in) *
                       (Get(weights, static_cast<size_t>((ky * c.k_w + kx) * oc + o), c.dtype) - zp_w);
              }
            }
            const int32_t v = RefRequantize(acc, arith, c.s_in, s_w(o), c.s_out, false) + c.zp_out;
            want.push_back(Put(std::min(hi, std::max(lo, v))));
          }
        }
      }
    }
    EXPECT_TRUE(SameBytes(RunGraph(g, arith, {input}), want, c.dtype));
  }
}

std::vector<float> Scales(Rng& rng, int n) {
  std::vector<float> s;
  for (int i = 0; i < n; ++i) s.push_back(rng.Scale(0.002f, 0.03f));
  return s;
}

TEST(DepthwiseConv2D, ChannelsMultipliersBordersStrides) {
  Rng rng(21);
  uint64_t seed = 1000;
  for (int ch : {1, 3, 4, 5, 8, 16, 17}) {
    for (int mult : {1, 2}) {
      for (Padding pad : {Padding::kSame, Padding::kValid}) {
        for (int stride : {1, 2}) {
          DwCase c;
          c.in_c = ch;
          c.mult = mult;
          c.padding = pad;
          c.stride = stride;
          c.in_h = 5 + stride;
          c.s_w = Scales(rng, ch * mult);
          c.seed = ++seed;
          Check(c);
        }
      }
    }
  }
}

TEST(DepthwiseConv2D, Uint8DilationAndKernelShapes) {
  Rng rng(22);
  uint64_t seed = 2000;
  for (DType t : {DType::kUInt8, DType::kInt8}) {
    for (int dilation : {1, 2}) {
      for (auto [kh, kw] : {std::pair{3, 3}, std::pair{1, 1}, std::pair{2, 4}}) {
        for (Padding pad : {Padding::kSame, Padding::kValid}) {
          DwCase c;
          c.dtype = t;
          c.batches = 2;
          c.in_h = 8;
          c.in_w = 9;
          c.in_c = 5;
          c.mult = 2;
          c.k_h = kh;
          c.k_w = kw;
          c.dilation = dilation;
          c.padding = pad;
          c.zp_in = t == DType::kUInt8 ? 128 : 5;
          c.zp_out = t == DType::kUInt8 ? 110 : -2;
          c.zp_w = 133;
          c.s_w = t == DType::kInt8 ? Scales(rng, 10) : std::vector<float>{0.01f};
          c.seed = ++seed;
          Check(c);
        }
      }
    }
  }
}

TEST(DepthwiseConv2D, ActivationsAndNoBias) {
  Rng rng(23);
  uint64_t seed = 3000;
  for (DType t : {DType::kInt8, DType::kUInt8}) {
    for (Activation act : {Activation::kRelu, Activation::kRelu6, Activation::kReluN1To1}) {
      DwCase c;
      c.dtype = t;
      c.act = act;
      c.in_c = 4;
      c.bias = act != Activation::kRelu;
      c.s_in = 0.5f;
      c.s_out = 0.05f;
      c.zp_in = t == DType::kUInt8 ? 128 : 0;
      c.zp_out = t == DType::kUInt8 ? 30 : -90;
      c.zp_w = 128;
      c.s_w = t == DType::kInt8 ? Scales(rng, 4) : std::vector<float>{0.02f};
      c.seed = ++seed;
      Check(c);
    }
  }
}

TEST(DepthwiseConv2D, TinyChannelScaleHasZeroMultiplier) {
  DwCase c;
  c.in_c = 3;
  c.s_w = {0.01f, 1e-11f, 0.01f};
  Check(c);
}

TEST(DepthwiseConv2D, RejectsWrongDepthMultiplier) {
  DwCase c;
  c.s_w = {0.01f, 0.01f, 0.01f};
  Graph g;
  const int x = g.AddActivation(DType::kInt8, {1, 4, 4, 3}, PerTensor(0.1f, 0));
  const int w = g.AddConstant(DType::kInt8, {1, 3, 3, 3}, PerChannel(c.s_w, 3), std::vector<uint8_t>(27, 1));
  const int y = g.AddActivation(DType::kInt8, {1, 4, 4, 3}, PerTensor(0.1f, 0));
  Op op;
  op.kind = OpKind::kDepthwiseConv2D;
  op.inputs = {x, w, -1};
  op.outputs = {y};
  DepthwiseConv2DAttrs a;
  a.depth_multiplier = 2;
  op.attrs = a;
  g.AddOp(op);
  EXPECT_THROW(PrepareDepthwiseConv2D(g, g.ops[0], Arith::kTflm), Error);
}

}  // namespace
}  // namespace tinyfuse::testing
