// PAD against naive nested loops written here, tolerance zero.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "common/error.h"
#include "graph/graph.h"
#include "interp/interpreter.h"
#include "test_util.h"

namespace tinyfuse {
namespace {

std::vector<uint8_t> RunPad(DType dtype, const std::vector<int32_t>& shape, const std::vector<int32_t>& paddings,
                            int32_t zp, const std::vector<uint8_t>& x) {
  Graph g;
  std::vector<int32_t> out_shape = shape;
  for (size_t i = 0; i < shape.size(); ++i) out_shape[i] += paddings[2 * i] + paddings[2 * i + 1];
  const int in = g.AddActivation(dtype, shape, Quantization{{0.02f}, {zp}, 0});
  const int pads = g.AddConstant(DType::kInt32, {static_cast<int32_t>(shape.size()), 2}, {}, BytesOf(paddings));
  const int out = g.AddActivation(dtype, out_shape, Quantization{{0.02f}, {zp}, 0});
  testing::AddOnlyOp(g, OpKind::kPad, {in, pads}, {out});
  return testing::RunGraph(g, Arith::kTflm, {x}, /*round_trip=*/false);
}

std::vector<uint8_t> Iota(size_t n) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 7 + 1);
  return v;
}

TEST(Pad, Rank4EverySideWithNonzeroZeroPoint) {
  const int n = 2, h = 3, w = 4, c = 3;
  const int pn0 = 1, pn1 = 0, ph0 = 2, ph1 = 1, pw0 = 1, pw1 = 3, pc0 = 1, pc1 = 2;
  for (DType dtype : {DType::kInt8, DType::kUInt8}) {
    const int32_t zp = dtype == DType::kInt8 ? -14 : 131;
    const std::vector<uint8_t> x = Iota(n * h * w * c);
    const std::vector<uint8_t> got =
        RunPad(dtype, {n, h, w, c}, {pn0, pn1, ph0, ph1, pw0, pw1, pc0, pc1}, zp, x);
    const int on = n + pn0 + pn1, oh = h + ph0 + ph1, ow = w + pw0 + pw1, oc = c + pc0 + pc1;
    ASSERT_EQ(got.size(), static_cast<size_t>(on * oh * ow * oc));
    size_t k = 0;
    for (int b = 0; b < on; ++b) {
      for (int i = 0; i < oh; ++i) {
        for (int j = 0; j < ow; ++j) {
          for (int ch = 0; ch < oc; ++ch, ++k) {
            const int sb = b - pn0, si = i - ph0, sj = j - pw0, sc = ch - pc0;
            const bool inside = sb >= 0 && sb < n && si >= 0 && si < h && sj >= 0 && sj < w && sc >= 0 && sc < c;
            const uint8_t want = inside ? x[((sb * h + si) * w + sj) * c + sc] : static_cast<uint8_t>(zp);
            ASSERT_EQ(got[k], want) << "at " << b << "," << i << "," << j << "," << ch;
          }
        }
      }
    }
  }
}

TEST(Pad, MobileNetStyleSpatialOnly) {
  const std::vector<uint8_t> x = Iota(2 * 2 * 1);
  const std::vector<uint8_t> got = RunPad(DType::kInt8, {1, 2, 2, 1}, {0, 0, 1, 1, 1, 1, 0, 0}, -14, x);
  const uint8_t z = static_cast<uint8_t>(-14);
  const std::vector<uint8_t> want = {z, z, z, z, z, x[0], x[1], z, z, x[2], x[3], z, z, z, z, z};
  EXPECT_EQ(got, want);
}

TEST(Pad, LowerRanksAndNoPadding) {
  const std::vector<uint8_t> x = Iota(3);
  EXPECT_EQ(RunPad(DType::kUInt8, {3}, {2, 1}, 9, x), (std::vector<uint8_t>{9, 9, x[0], x[1], x[2], 9}));
  EXPECT_EQ(RunPad(DType::kUInt8, {3}, {0, 0}, 9, x), x);
  const std::vector<uint8_t> y = Iota(6);
  EXPECT_EQ(RunPad(DType::kInt8, {2, 3}, {1, 0, 0, 1}, 0, y),
            (std::vector<uint8_t>{0, 0, 0, 0, y[0], y[1], y[2], 0, y[3], y[4], y[5], 0}));
}

TEST(Pad, RejectsNegativePaddings) {
  EXPECT_THROW(RunPad(DType::kInt8, {4}, {-1, 1}, 0, Iota(4)), Error);
}

}  // namespace
}  // namespace tinyfuse
