// CONV_2D: the interpreter against a naive reference written from the definition, zero tolerance, over
// channel counts around tile sizes, every border of SAME and VALID, strides 1 and 2, dilation 2, grouped
// convolution, int8 per-channel and uint8 per-tensor weights (nonzero weight zero point), both flavours.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "graph/prepare/conv.h"
#include "test_util.h"

namespace tinyfuse::testing {
namespace {

struct ConvCase {
  DType dtype = DType::kInt8;
  int batches = 1, in_h = 5, in_w = 6, in_c = 3, out_c = 4, k_h = 3, k_w = 3, groups = 1;
  int stride = 1, dilation = 1;
  Padding padding = Padding::kSame;
  Activation act = Activation::kNone;
  bool bias = true;
  float s_in = 0.05f, s_out = 0.1f;
  int zp_in = 3, zp_out = -5, zp_w = 0;  // zp_w: uint8 only
  std::vector<float> s_w;                // one per output channel (int8) or one (uint8)
  uint64_t seed = 1;

  std::string Name() const {
    return std::string(DTypeLabel(dtype)) + " " + std::to_string(in_h) + "x" + std::to_string(in_w) + "x" +
           std::to_string(in_c) + "->" + std::to_string(out_c) + " k" + std::to_string(k_h) + "x" +
           std::to_string(k_w) + " s" + std::to_string(stride) + " d" + std::to_string(dilation) + " g" +
           std::to_string(groups) + " " + PaddingName(padding) + " " + ActivationName(act) +
           (bias ? "" : " nobias");
  }
};

struct Built {
  Graph g;
  std::vector<uint8_t> input, weights;
  std::vector<int32_t> bias;
};

Built Build(const ConvCase& c) {
  Rng rng(c.seed);
  Built b;
  const int out_h = RefOutSize(c.padding, c.in_h, c.k_h, c.stride, c.dilation);
  const int out_w = RefOutSize(c.padding, c.in_w, c.k_w, c.stride, c.dilation);
  const int fic = c.in_c / c.groups;
  b.input = RandomBytes(rng, static_cast<size_t>(c.batches * c.in_h * c.in_w * c.in_c), c.dtype);
  b.weights = RandomBytes(rng, static_cast<size_t>(c.out_c * c.k_h * c.k_w * fic), c.dtype);
  const int x = b.g.AddActivation(c.dtype, {c.batches, c.in_h, c.in_w, c.in_c}, PerTensor(c.s_in, c.zp_in));
  const Quantization wq = c.dtype == DType::kInt8 ? PerChannel(c.s_w, 0) : PerTensor(c.s_w[0], c.zp_w);
  const int w = b.g.AddConstant(c.dtype, {c.out_c, c.k_h, c.k_w, fic}, wq, b.weights);
  int bias_id = -1;
  if (c.bias) {
    for (int o = 0; o < c.out_c; ++o) b.bias.push_back(rng.Uniform(-3000, 3000));
    std::vector<float> bs;
    for (int o = 0; o < c.out_c; ++o) bs.push_back(c.s_in * c.s_w[c.s_w.size() == 1 ? 0 : static_cast<size_t>(o)]);
    bias_id = b.g.AddConstant(DType::kInt32, {c.out_c},
                              bs.size() == 1 ? PerTensor(bs[0], 0) : PerChannel(bs, 0), BytesOf(b.bias));
  }
  const int y = b.g.AddActivation(c.dtype, {c.batches, out_h, out_w, c.out_c}, PerTensor(c.s_out, c.zp_out));
  Op op;
  op.kind = OpKind::kConv2D;
  op.inputs = {x, w, bias_id};
  op.outputs = {y};
  Conv2DAttrs a;
  a.padding = c.padding;
  a.stride_h = a.stride_w = c.stride;
  a.dilation_h = a.dilation_w = c.dilation;
  a.activation = c.act;
  op.attrs = a;
  b.g.AddOp(op);
  b.g.inputs = {x};
  b.g.outputs = {y};
  return b;
}

std::vector<uint8_t> Reference(const ConvCase& c, const Built& b, Arith arith) {
  const int out_h = RefOutSize(c.padding, c.in_h, c.k_h, c.stride, c.dilation);
  const int out_w = RefOutSize(c.padding, c.in_w, c.k_w, c.stride, c.dilation);
  const int pad_h = RefPadBefore(c.padding, c.in_h, c.k_h, c.stride, c.dilation);
  const int pad_w = RefPadBefore(c.padding, c.in_w, c.k_w, c.stride, c.dilation);
  const int fic = c.in_c / c.groups;
  const int per_group = c.out_c / c.groups;
  const int zp_w = c.dtype == DType::kUInt8 ? c.zp_w : 0;
  const auto [lo, hi] = RefActivationRange(c.act, c.dtype, c.s_out, c.zp_out);
  std::vector<uint8_t> out;
  for (int n = 0; n < c.batches; ++n) {
    for (int oy = 0; oy < out_h; ++oy) {
      for (int ox = 0; ox < out_w; ++ox) {
        for (int o = 0; o < c.out_c; ++o) {
          int32_t acc = c.bias ? b.bias[static_cast<size_t>(o)] : 0;
          for (int ky = 0; ky < c.k_h; ++ky) {
            for (int kx = 0; kx < c.k_w; ++kx) {
              const int iy = oy * c.stride - pad_h + ky * c.dilation;
              const int ix = ox * c.stride - pad_w + kx * c.dilation;
              if (iy < 0 || iy >= c.in_h || ix < 0 || ix >= c.in_w) continue;
              for (int i = 0; i < fic; ++i) {
                const int ic = (o / per_group) * fic + i;
                const int32_t xv = Get(b.input, static_cast<size_t>(((n * c.in_h + iy) * c.in_w + ix) * c.in_c + ic), c.dtype);
                const int32_t wv = Get(b.weights, static_cast<size_t>(((o * c.k_h + ky) * c.k_w + kx) * fic + i), c.dtype);
                acc += (xv - c.zp_in) * (wv - zp_w);
              }
            }
          }
          const float s_w = c.s_w[c.s_w.size() == 1 ? 0 : static_cast<size_t>(o)];
          int32_t v = RefRequantize(acc, arith, c.s_in, s_w, c.s_out, /*legacy_product=*/false) + c.zp_out;
          out.push_back(Put(std::min(hi, std::max(lo, v))));
        }
      }
    }
  }
  return out;
}

void Check(const ConvCase& c) {
  const Built b = Build(c);
  for (Arith arith : {Arith::kTflm, Arith::kTflite}) {
    SCOPED_TRACE(c.Name() + " " + ArithName(arith));
    const std::vector<uint8_t> got = RunGraph(b.g, arith, {b.input});
    EXPECT_TRUE(SameBytes(got, Reference(c, b, arith), c.dtype));
  }
}

std::vector<float> Scales(Rng& rng, int n, float lo, float hi) {
  std::vector<float> s;
  for (int i = 0; i < n; ++i) s.push_back(rng.Scale(lo, hi));
  return s;
}

TEST(Conv2D, ChannelCountsAndBordersInt8) {
  Rng rng(7);
  uint64_t seed = 100;
  for (int ch : {1, 3, 4, 5, 8, 16, 17}) {
    for (Padding pad : {Padding::kSame, Padding::kValid}) {
      for (int stride : {1, 2}) {
        ConvCase c;
        c.in_c = ch;
        c.out_c = (ch * 3) % 17 + 1;
        c.padding = pad;
        c.stride = stride;
        c.in_h = 6 + stride;
        c.in_w = 5;
        c.s_w = Scales(rng, c.out_c, 0.002f, 0.02f);
        c.seed = ++seed;
        Check(c);
      }
    }
  }
}

TEST(Conv2D, Uint8PerTensorWithWeightZeroPoint) {
  Rng rng(8);
  uint64_t seed = 200;
  for (int ch : {1, 4, 5, 16}) {
    for (Padding pad : {Padding::kSame, Padding::kValid}) {
      for (int stride : {1, 2}) {
        ConvCase c;
        c.dtype = DType::kUInt8;
        c.in_c = ch;
        c.out_c = ch + 2;
        c.padding = pad;
        c.stride = stride;
        c.zp_in = 128;
        c.zp_out = 120;
        c.zp_w = 117;
        c.s_w = {rng.Scale(0.002f, 0.02f)};
        c.seed = ++seed;
        Check(c);
      }
    }
  }
}

TEST(Conv2D, DilationKernelShapesAndBatches) {
  Rng rng(9);
  uint64_t seed = 300;
  for (DType t : {DType::kInt8, DType::kUInt8}) {
    for (int dilation : {1, 2}) {
      for (auto [kh, kw] : {std::pair{1, 1}, std::pair{3, 3}, std::pair{2, 3}, std::pair{5, 1}}) {
        for (Padding pad : {Padding::kSame, Padding::kValid}) {
          ConvCase c;
          c.dtype = t;
          c.batches = 2;
          c.in_h = 9;
          c.in_w = 8;
          c.k_h = kh;
          c.k_w = kw;
          c.dilation = dilation;
          c.padding = pad;
          c.zp_in = t == DType::kUInt8 ? 131 : -7;
          c.zp_out = t == DType::kUInt8 ? 100 : 9;
          c.zp_w = 140;
          c.s_w = t == DType::kInt8 ? Scales(rng, c.out_c, 0.002f, 0.02f) : std::vector<float>{0.01f};
          c.seed = ++seed;
          Check(c);
        }
      }
    }
  }
}

TEST(Conv2D, GroupedAndWithoutBias) {
  Rng rng(10);
  ConvCase c;
  c.in_c = 6;
  c.out_c = 4;
  c.groups = 2;
  c.s_w = Scales(rng, c.out_c, 0.002f, 0.02f);
  Check(c);
  c.bias = false;
  c.seed = 11;
  Check(c);
}

// Activation clamps: RELU6 active on both sides (output scale 0.05: 6.0 -> zp + 120 > 127 for int8 is cut to
// 127; use zp -100 so the clamp at zp + 120 = 20 bites), RELU, RELU_N1_TO_1, and large multipliers that push
// outputs to the dtype limits.
TEST(Conv2D, SaturatedActivationRanges) {
  Rng rng(12);
  uint64_t seed = 400;
  for (DType t : {DType::kInt8, DType::kUInt8}) {
    for (Activation act : {Activation::kNone, Activation::kRelu, Activation::kRelu6, Activation::kReluN1To1}) {
      ConvCase c;
      c.dtype = t;
      c.act = act;
      c.in_c = 8;
      c.out_c = 5;
      c.s_in = 0.5f;
      c.s_out = act == Activation::kReluN1To1 ? 0.02f : 0.05f;
      c.zp_in = t == DType::kUInt8 ? 128 : 0;
      c.zp_out = t == DType::kUInt8 ? 40 : -100;
      c.zp_w = 128;
      c.s_w = t == DType::kInt8 ? Scales(rng, c.out_c, 0.01f, 0.05f) : std::vector<float>{0.03f};
      c.seed = ++seed;
      const Built b = Build(c);
      Check(c);
      // The outputs really reach both clamp bounds.
      const std::vector<uint8_t> out = RunGraph(b.g, Arith::kTflm, {b.input}, /*round_trip=*/false);
      const auto [lo, hi] = RefActivationRange(act, t, c.s_out, c.zp_out);
      bool at_lo = false, at_hi = false;
      for (size_t i = 0; i < out.size(); ++i) {
        at_lo = at_lo || Get(out, i, t) == lo;
        at_hi = at_hi || Get(out, i, t) == hi;
      }
      EXPECT_TRUE(at_lo && at_hi) << ActivationName(act) << " " << DTypeLabel(t) << ": clamp [" << lo << ", " << hi
                                  << "] not reached on both sides";
    }
  }
}

// A per-channel scale so small that QuantizeMultiplier's shift falls below -31 (vww_96_int8 has weight
// scales ~2e-11 with huge biases): TFLite Micro's multiplier is 0, so the output is the zero point.
TEST(Conv2D, ShiftBelowMinus31GivesZeroMultiplier) {
  ConvCase c;
  c.in_c = 3;
  c.out_c = 3;
  c.s_w = {0.01f, 2e-11f, 0.01f};
  c.seed = 13;
  Check(c);
  const Built b = Build(c);
  const ConvParams p = PrepareConv2D(b.g, b.g.ops[0], Arith::kTflm);
  EXPECT_EQ(p.quant.multiplier(1).multiplier, 0);
  EXPECT_EQ(p.quant.multiplier(1).shift, 0);
}

// A real multiplier just below a power of two rounds its mantissa up to 2^31, which becomes 2^30 with the
// shift one higher: s_in * s_w / s_out = (2^23 - 1)(2^23 + 1) / 2^46 = 1 - 2^-46.
TEST(Conv2D, MultiplierRoundingUpToTwoToThe31) {
  ConvCase c;
  c.in_c = 2;
  c.out_c = 2;
  c.s_in = 8388607.0f;
  c.s_out = 70368744177664.0f;  // 2^46
  c.s_w = {8388609.0f, 8388609.0f};
  c.zp_in = 0;
  c.zp_out = 0;
  c.bias = false;
  c.seed = 14;
  Check(c);
  const Built b = Build(c);
  const ConvParams p = PrepareConv2D(b.g, b.g.ops[0], Arith::kTflm);
  EXPECT_EQ(p.quant.multiplier(0).multiplier, 1 << 30);
  EXPECT_EQ(p.quant.multiplier(0).shift, 1);
}

TEST(Conv2D, PaddingOffsetsMatchTflite) {
  // SAME with an odd total padding puts the extra row/column at the bottom/right.
  ConvCase c;
  c.in_h = 6;
  c.in_w = 7;
  c.stride = 2;
  c.k_h = 3;
  c.k_w = 4;
  c.s_w = {0.01f, 0.01f, 0.01f, 0.01f};
  const Built b = Build(c);
  const ConvParams p = PrepareConv2D(b.g, b.g.ops[0], Arith::kTflm);
  EXPECT_EQ(p.window.output_h, 3);
  EXPECT_EQ(p.window.output_w, 4);
  EXPECT_EQ(p.window.pad_h, 0);  // total 1
  EXPECT_EQ(p.window.pad_w, 1);  // total 3
}

TEST(Conv2D, RejectsHybridAndMismatchedShapes) {
  ConvCase c;
  c.s_w = {0.01f, 0.01f, 0.01f, 0.01f};
  Built b = Build(c);
  b.g.tensor(b.g.ops[0].outputs[0]).shape[3] = 5;
  EXPECT_THROW(PrepareConv2D(b.g, b.g.ops[0], Arith::kTflm), Error);
  Built h = Build(c);
  h.g.tensor(h.g.ops[0].inputs[1]).dtype = DType::kUInt8;
  EXPECT_THROW(PrepareConv2D(h.g, h.g.ops[0], Arith::kTflm), Error);
}

}  // namespace
}  // namespace tinyfuse::testing
