// MEAN against a naive reference written here (explicit loops over a 4-D NHWC tensor), tolerance zero.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/fixed_point.h"
#include "graph/graph.h"
#include "interp/interpreter.h"
#include "test_util.h"

namespace tinyfuse {
namespace {

struct Quant {
  float scale;
  int32_t zp;
};

// Runs MEAN over `axes` of an NHWC tensor and returns the output as integers.
std::vector<int32_t> RunMean(DType dtype, const std::vector<int32_t>& shape, const std::vector<int32_t>& axes,
                             bool keep_dims, Quant qin, Quant qout, const std::vector<int32_t>& x,
                             const std::vector<int32_t>& out_shape, Arith arith = Arith::kTflm) {
  Graph g;
  const int in = g.AddActivation(dtype, shape, Quantization{{qin.scale}, {qin.zp}, 0});
  const int ax = g.AddConstant(DType::kInt32, {static_cast<int32_t>(axes.size())}, {}, BytesOf(axes));
  const int out = g.AddActivation(dtype, out_shape, Quantization{{qout.scale}, {qout.zp}, 0});
  testing::AddOnlyOp(g, OpKind::kMean, {in, ax}, {out}, MeanAttrs{keep_dims});
  std::vector<uint8_t> bytes(x.size());
  for (size_t i = 0; i < x.size(); ++i) bytes[i] = static_cast<uint8_t>(x[i]);
  std::vector<int32_t> y;
  for (uint8_t b : testing::RunGraph(g, arith, {bytes}, /*round_trip=*/false)) y.push_back(dtype == DType::kInt8 ? static_cast<int8_t>(b) : b);
  return y;
}

// TFLite Micro's MEAN over H and W of NHWC, written out for that case only.
std::vector<int32_t> NaiveMeanHW(DType dtype, int n, int h, int w, int c, Quant qin, Quant qout,
                                 const std::vector<int32_t>& x) {
  const int32_t qmin = dtype == DType::kInt8 ? -128 : 0, qmax = dtype == DType::kInt8 ? 127 : 255;
  const int count = h * w;
  // Fold 1/count into the multiplier as TFLM does.
  QuantizedMultiplier m = QuantizeMultiplier(double(qin.scale) / double(qout.scale));
  int k = 0;
  while ((2LL << k) <= count) ++k;  // floor(log2(count))
  k = std::min({k, 32, 31 + m.shift});
  const QuantizedMultiplier folded{static_cast<int32_t>((int64_t{m.multiplier} << k) / count), m.shift - k};
  std::vector<int32_t> y;
  for (int b = 0; b < n; ++b) {
    for (int ch = 0; ch < c; ++ch) {
      int32_t sum = 0;
      for (int i = 0; i < h; ++i) {
        for (int j = 0; j < w; ++j) sum += x[((b * h + i) * w + j) * c + ch];
      }
      const int32_t v = MultiplyByQuantizedMultiplierDouble(sum - qin.zp * count, folded) + qout.zp;
      y.push_back(std::clamp(v, qmin, qmax));
    }
  }
  return y;
}

std::vector<int32_t> Random(size_t n, DType dtype, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<int32_t> v(n);
  for (auto& e : v) e = static_cast<int32_t>(rng() % 256) + (dtype == DType::kInt8 ? -128 : 0);
  return v;
}

struct MeanCase {
  DType dtype;
  int n, h, w, c;
  Quant qin, qout;
};

class MeanHW : public ::testing::TestWithParam<MeanCase> {};

TEST_P(MeanHW, KeepDimsAndNotAgainstNaive) {
  const MeanCase& mc = GetParam();
  const std::vector<int32_t> x = Random(static_cast<size_t>(mc.n * mc.h * mc.w * mc.c), mc.dtype, 7u + mc.c);
  const std::vector<int32_t> want = NaiveMeanHW(mc.dtype, mc.n, mc.h, mc.w, mc.c, mc.qin, mc.qout, x);
  const std::vector<int32_t> shape = {mc.n, mc.h, mc.w, mc.c};
  EXPECT_EQ(RunMean(mc.dtype, shape, {1, 2}, true, mc.qin, mc.qout, x, {mc.n, 1, 1, mc.c}), want);
  EXPECT_EQ(RunMean(mc.dtype, shape, {1, 2}, false, mc.qin, mc.qout, x, {mc.n, mc.c}), want);
  EXPECT_EQ(RunMean(mc.dtype, shape, {2, 1}, true, mc.qin, mc.qout, x, {mc.n, 1, 1, mc.c}), want);
  EXPECT_EQ(RunMean(mc.dtype, shape, {-2, -3, 1}, false, mc.qin, mc.qout, x, {mc.n, mc.c}), want);
  // Sanity against the real mean: within one output step.
  for (int b = 0; b < mc.n; ++b) {
    for (int ch = 0; ch < mc.c; ++ch) {
      double sum = 0;
      for (int i = 0; i < mc.h * mc.w; ++i) sum += x[(b * mc.h * mc.w + i) * mc.c + ch];
      const double real = mc.qin.scale * (sum / (mc.h * mc.w) - mc.qin.zp);
      const double q = real / mc.qout.scale + mc.qout.zp;
      const double lo = mc.dtype == DType::kInt8 ? -128 : 0;
      EXPECT_NEAR(want[b * mc.c + ch], std::clamp(q, lo, lo + 255), 1.0);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MeanHW,
    ::testing::Values(MeanCase{DType::kInt8, 1, 7, 7, 1280, {0.0235f, -3}, {0.0190778f, -128}},  // tf2_mobilenet-like
                      MeanCase{DType::kInt8, 1, 7, 7, 64, {0.07f, -9}, {0.07f, -9}},             // equal quantization
                      MeanCase{DType::kInt8, 2, 3, 5, 17, {0.05f, 10}, {0.02f, -5}},
                      MeanCase{DType::kInt8, 1, 1, 1, 8, {0.05f, 10}, {0.05f, 11}},
                      MeanCase{DType::kInt8, 1, 16, 16, 8, {0.5f, 0}, {0.001f, 0}},  // saturating output
                      MeanCase{DType::kUInt8, 1, 4, 6, 9, {0.1f, 128}, {0.1f, 128}},
                      MeanCase{DType::kUInt8, 2, 5, 3, 4, {0.1f, 120}, {0.08f, 100}}));

TEST(Mean, EqualQuantizationRoundsToNearest) {
  // Sum -5 over 3 elements (-1.67): TFLM at the goldens' commit requantizes even when the quantization is
  // unchanged, giving -2; the older truncating division would give -1.
  const std::vector<int32_t> y =
      RunMean(DType::kInt8, {1, 1, 3, 1}, {1, 2}, true, {0.1f, 0}, {0.1f, 0}, {-1, -2, -2}, {1, 1, 1, 1});
  EXPECT_EQ(y, std::vector<int32_t>{-2});
}

TEST(Mean, ReducesTheLastAxisToo) {
  const std::vector<int32_t> x = {1, 2, 3, 4, 5, 6};
  EXPECT_EQ(RunMean(DType::kInt8, {2, 3}, {1}, false, {1.0f, 0}, {1.0f, 0}, x, {2}), (std::vector<int32_t>{2, 5}));
  // Means 2.5, 3.5, 4.5: positive ties round up.
  EXPECT_EQ(RunMean(DType::kInt8, {2, 3}, {0}, true, {1.0f, 0}, {1.0f, 0}, x, {1, 3}), (std::vector<int32_t>{3, 4, 5}));
}

TEST(Mean, RejectsTheTfliteFlavour) {
  EXPECT_THROW(RunMean(DType::kInt8, {1, 2, 2, 1}, {1, 2}, true, {0.1f, 0}, {0.2f, 0}, {1, 2, 3, 4}, {1, 1, 1, 1},
                       Arith::kTflite),
               Error);
}

TEST(Mean, RejectsAnAxisOutOfRange) {
  EXPECT_THROW(RunMean(DType::kInt8, {1, 2, 2, 1}, {4}, true, {0.1f, 0}, {0.2f, 0}, {1, 2, 3, 4}, {1, 2, 2, 1}),
               Error);
}

}  // namespace
}  // namespace tinyfuse
