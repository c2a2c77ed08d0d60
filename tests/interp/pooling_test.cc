// AVERAGE_POOL_2D and MAX_POOL_2D against naive references: every border of SAME and VALID, strides 1 and 2,
// filters 1x1 to 3x3, channel counts around tile sizes, activations; the average divides by the count of
// in-bounds taps rounding half away from zero, identical in both flavours.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "graph/prepare/pooling.h"
#include "test_util.h"

namespace tinyfuse::testing {
namespace {

struct PoolCase {
  DType dtype = DType::kInt8;
  bool average = true;
  int batches = 1, in_h = 5, in_w = 6, ch = 3, f_h = 2, f_w = 2, stride = 2;
  Padding padding = Padding::kSame;
  Activation act = Activation::kNone;
  float scale = 0.1f;
  int zp = -4;
  uint64_t seed = 1;
};

void Check(const PoolCase& c) {
  Rng rng(c.seed);
  const int out_h = RefOutSize(c.padding, c.in_h, c.f_h, c.stride, 1), out_w = RefOutSize(c.padding, c.in_w, c.f_w, c.stride, 1);
  const int pad_h = RefPadBefore(c.padding, c.in_h, c.f_h, c.stride, 1), pad_w = RefPadBefore(c.padding, c.in_w, c.f_w, c.stride, 1);
  const std::vector<uint8_t> input = RandomBytes(rng, static_cast<size_t>(c.batches * c.in_h * c.in_w * c.ch), c.dtype);
  Graph g;
  const int x = g.AddActivation(c.dtype, {c.batches, c.in_h, c.in_w, c.ch}, PerTensor(c.scale, c.zp));
  const int y = g.AddActivation(c.dtype, {c.batches, out_h, out_w, c.ch}, PerTensor(c.scale, c.zp));
  Op op;
  op.kind = c.average ? OpKind::kAveragePool2D : OpKind::kMaxPool2D;
  op.inputs = {x};
  op.outputs = {y};
  Pool2DAttrs a;
  a.padding = c.padding;
  a.stride_h = a.stride_w = c.stride;
  a.filter_h = c.f_h;
  a.filter_w = c.f_w;
  a.activation = c.act;
  op.attrs = a;
  g.AddOp(op);
  g.inputs = {x};
  g.outputs = {y};

  const auto [lo, hi] = RefActivationRange(c.act, c.dtype, c.scale, c.zp);
  std::vector<uint8_t> want;
  for (int n = 0; n < c.batches; ++n) {
    for (int oy = 0; oy < out_h; ++oy) {
      for (int ox = 0; ox < out_w; ++ox) {
        for (int k = 0; k < c.ch; ++k) {
          int32_t sum = 0, mx = -1000, count = 0;
          for (int fy = 0; fy < c.f_h; ++fy) {
            for (int fx = 0; fx < c.f_w; ++fx) {
              const int iy = oy * c.stride - pad_h + fy, ix = ox * c.stride - pad_w + fx;
              if (iy < 0 || iy >= c.in_h || ix < 0 || ix >= c.in_w) continue;
              const int32_t v = Get(input, static_cast<size_t>(((n * c.in_h + iy) * c.in_w + ix) * c.ch + k), c.dtype);
              sum += v;
              mx = std::max(mx, v);
              ++count;
            }
          }
          // round(sum / count), ties away from zero.
          const int32_t avg = static_cast<int32_t>(std::round(static_cast<double>(sum) / count));
          const int32_t v = c.average ? avg : mx;
          want.push_back(Put(std::min(hi, std::max(lo, v))));
        }
      }
    }
  }
  for (Arith arith : {Arith::kTflm, Arith::kTflite}) {
    SCOPED_TRACE(std::string(c.average ? "avg " : "max ") + DTypeLabel(c.dtype) + " " + std::to_string(c.in_h) + "x" +
                 std::to_string(c.in_w) + "x" + std::to_string(c.ch) + " f" + std::to_string(c.f_h) + "x" +
                 std::to_string(c.f_w) + " s" + std::to_string(c.stride) + " " + PaddingName(c.padding) + " " +
                 ActivationName(c.act) + " " + ArithName(arith));
    EXPECT_TRUE(SameBytes(RunGraph(g, arith, {input}), want, c.dtype));
  }
}

TEST(Pool2D, BordersStridesFiltersChannels) {
  uint64_t seed = 10;
  for (bool average : {true, false}) {
    for (DType t : {DType::kInt8, DType::kUInt8}) {
      for (int ch : {1, 3, 4, 5, 8, 16, 17}) {
        for (Padding pad : {Padding::kSame, Padding::kValid}) {
          for (int stride : {1, 2}) {
            for (auto [fh, fw] : {std::pair{2, 2}, std::pair{3, 3}, std::pair{1, 3}}) {
              PoolCase c;
              c.average = average;
              c.dtype = t;
              c.ch = ch;
              c.padding = pad;
              c.stride = stride;
              c.f_h = fh;
              c.f_w = fw;
              c.in_h = 5 + stride;
              c.zp = t == DType::kUInt8 ? 128 : -4;
              c.seed = ++seed;
              Check(c);
            }
          }
        }
      }
    }
  }
}

TEST(Pool2D, GlobalAverageAndActivations) {
  uint64_t seed = 500;
  for (DType t : {DType::kInt8, DType::kUInt8}) {
    for (Activation act : {Activation::kNone, Activation::kRelu, Activation::kRelu6, Activation::kReluN1To1}) {
      for (bool average : {true, false}) {
        PoolCase c;
        c.dtype = t;
        c.average = average;
        c.act = act;
        c.batches = 2;
        c.in_h = c.f_h = 7;
        c.in_w = c.f_w = 7;
        c.stride = 1;
        c.padding = Padding::kValid;
        c.scale = 0.03f;
        c.zp = t == DType::kUInt8 ? 100 : -20;
        c.seed = ++seed;
        Check(c);
      }
    }
  }
}

TEST(Pool2D, RejectsRequantizingPool) {
  Graph g;
  const int x = g.AddActivation(DType::kInt8, {1, 4, 4, 2}, PerTensor(0.1f, 0));
  const int y = g.AddActivation(DType::kInt8, {1, 2, 2, 2}, PerTensor(0.2f, 0));
  Op op;
  op.kind = OpKind::kAveragePool2D;
  op.inputs = {x};
  op.outputs = {y};
  Pool2DAttrs a;
  a.filter_h = a.filter_w = a.stride_h = a.stride_w = 2;
  op.attrs = a;
  g.AddOp(op);
  EXPECT_THROW(PreparePool2D(g, g.ops[0], Arith::kTflm), Error);
}

}  // namespace
}  // namespace tinyfuse::testing
