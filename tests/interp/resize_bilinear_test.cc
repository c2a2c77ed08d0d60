// RESIZE_BILINEAR against naive references written here from the two definitions (TFLite Micro's Q10
// integer kernel for kTflm; XNNPACK's Q11 indirection and ibilinear microkernel for kTflite), tolerance
// zero: upscale, downscale, non-integer ratios, 1-pixel inputs and outputs, align_corners x
// half_pixel_centers, both dtypes, extreme and random values; and the bad-input errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "common/error.h"
#include "graph/graph.h"
#include "graph/verifier.h"
#include "interp/interpreter.h"
#include "test_util.h"

namespace tinyfuse {
namespace {

using testing::Get;

struct Case {
  DType dtype;
  int n, h, w, c, oh, ow;
  bool align_corners, half_pixel;
};

Graph Build(const Case& k) {
  Graph g;
  const Quantization q{{0.05f}, {k.dtype == DType::kInt8 ? -4 : 128}, 0};
  const int in = g.AddActivation(k.dtype, {k.n, k.h, k.w, k.c}, q);
  const int size = g.AddConstant(DType::kInt32, {2}, {}, BytesOf(std::vector<int32_t>{k.oh, k.ow}));
  const int out = g.AddActivation(k.dtype, {k.n, k.oh, k.ow, k.c}, q);
  testing::AddOnlyOp(g, OpKind::kResizeBilinear, {in, size}, {out}, ResizeBilinearAttrs{k.align_corners, k.half_pixel});
  g.ops[0].version = k.half_pixel ? 3 : 2;
  return g;
}

// TFLite Micro: Q10 source coordinate, two taps and their weights per axis.
struct Src {
  int lo, hi;
  int64_t w_lo, w_hi;  // weights in units of 1/1024 (w_lo + w_hi = 1024)
};
Src TflmSrc(int o, int in, int out, bool ac, bool hp) {
  int64_t scale = (1024LL * in + out / 2) / out;
  if (ac && out > 1) scale = (1024LL * (in - 1) + (out - 1) / 2) / (out - 1);
  const int64_t v = hp ? o * scale + scale / 2 - 512 : o * scale;
  // The reference's truncating divisions, spelled with explicit signs.
  const int64_t trunc = v >= 0 ? v / 1024 : -((-v) / 1024);
  const int lo = static_cast<int>(std::max<int64_t>(trunc, 0));
  const int64_t up = v + 1023;
  const int hi = static_cast<int>(std::min<int64_t>(up >= 0 ? up / 1024 : -((-up) / 1024), in - 1));
  const int64_t frac = v - 1024 * lo;
  return {lo, hi, 1024 - frac, frac};
}

// XNNPACK: float source coordinate, Q11 weight of the second tap.
struct XSrc {
  int lo, hi;
  int32_t alpha;
};
XSrc XnnSrc(int o, int in, int out, bool ac, bool hp) {
  const int adj = (ac && out != 1) ? 1 : 0;
  const volatile float scale = static_cast<float>(in - adj) / static_cast<float>(out - adj);
  volatile float c = static_cast<float>(o) * scale;
  if (!ac && hp) {
    const volatile float offset = 0.5f * scale - 0.5f;
    c = c + offset;
    c = std::fmin(std::fmax(c, 0.0f), static_cast<float>(in - 1));
  }
  const int lo = static_cast<int>(c);
  return {lo, std::min(lo + 1, in - 1), static_cast<int32_t>(std::lrint(static_cast<float>(c - static_cast<float>(lo)) * 2048.0f))};
}

std::vector<uint8_t> Naive(const Case& k, const std::vector<uint8_t>& x, Arith arith) {
  auto at = [&](int b, int y, int xx, int ch) { return Get(x, static_cast<size_t>(((b * k.h + y) * k.w + xx) * k.c + ch), k.dtype); };
  std::vector<uint8_t> out;
  for (int b = 0; b < k.n; ++b) {
    for (int y = 0; y < k.oh; ++y) {
      for (int xx = 0; xx < k.ow; ++xx) {
        for (int ch = 0; ch < k.c; ++ch) {
          int64_t v;
          if (arith == Arith::kTflm) {
            const Src sy = TflmSrc(y, k.h, k.oh, k.align_corners, k.half_pixel);
            const Src sx = TflmSrc(xx, k.w, k.ow, k.align_corners, k.half_pixel);
            const int64_t acc = at(b, sy.lo, sx.lo, ch) * sy.w_lo * sx.w_lo + at(b, sy.hi, sx.lo, ch) * sy.w_hi * sx.w_lo +
                                at(b, sy.lo, sx.hi, ch) * sy.w_lo * sx.w_hi + at(b, sy.hi, sx.hi, ch) * sy.w_hi * sx.w_hi;
            // Round half away from zero.
            v = acc >= 0 ? (acc + (1 << 19)) >> 20 : -((-acc + (1 << 19)) >> 20);
          } else {
            const XSrc sy = XnnSrc(y, k.h, k.oh, k.align_corners, k.half_pixel);
            const XSrc sx = XnnSrc(xx, k.w, k.ow, k.align_corners, k.half_pixel);
            const int64_t top = at(b, sy.lo, sx.lo, ch) * (2048 - sx.alpha) + at(b, sy.lo, sx.hi, ch) * sx.alpha;
            const int64_t bottom = at(b, sy.hi, sx.lo, ch) * (2048 - sx.alpha) + at(b, sy.hi, sx.hi, ch) * sx.alpha;
            const int64_t acc = top * (2048 - sy.alpha) + bottom * sy.alpha;
            v = static_cast<int64_t>(std::floor((static_cast<double>(acc) + 2097152.0) / 4194304.0));
          }
          out.push_back(testing::Put(static_cast<int32_t>(v)));
        }
      }
    }
  }
  return out;
}

std::vector<Case> Cases() {
  std::vector<Case> cases;
  const std::vector<std::vector<int>> sizes = {
      {1, 3, 4, 2, 7, 5},  {1, 4, 4, 3, 8, 8},   {2, 5, 7, 1, 3, 2},  {1, 1, 1, 4, 3, 5},  {1, 3, 3, 2, 1, 1},
      {1, 6, 9, 3, 6, 9},  {1, 2, 3, 5, 13, 11}, {1, 17, 17, 2, 65, 65}, {1, 65, 65, 1, 17, 17}, {1, 33, 33, 4, 129, 129},
      {1, 10, 1, 2, 3, 1}, {1, 5, 5, 2, 513, 2}};
  for (DType dtype : {DType::kInt8, DType::kUInt8}) {
    for (const auto& s : sizes) {
      for (int mode = 0; mode < 3; ++mode) {
        cases.push_back({dtype, s[0], s[1], s[2], s[3], s[4], s[5], mode == 1, mode == 2});
      }
    }
  }
  return cases;
}

// Whether TFLite Micro's rounded Q10 scale sends a source index past the input (its kernel then reads
// outside the tensor; tinyfuse rejects the op).
bool TflmOverruns(const Case& k) {
  for (int y = 0; y < k.oh; ++y) {
    if (TflmSrc(y, k.h, k.oh, k.align_corners, k.half_pixel).lo > k.h - 1) return true;
  }
  for (int x = 0; x < k.ow; ++x) {
    if (TflmSrc(x, k.w, k.ow, k.align_corners, k.half_pixel).lo > k.w - 1) return true;
  }
  return false;
}

TEST(ResizeBilinear, AgainstNaiveInBothFlavours) {
  testing::Rng rng(21);
  int overruns = 0;
  for (const Case& k : Cases()) {
    const size_t n = static_cast<size_t>(k.n * k.h * k.w * k.c);
    std::vector<uint8_t> alternating(n);
    for (size_t i = 0; i < n; ++i) alternating[i] = testing::Put(i % 3 ? testing::QMax(k.dtype) : testing::QMin(k.dtype));
    for (const auto& x : {testing::RandomBytes(rng, n, k.dtype), alternating,
                          std::vector<uint8_t>(n, testing::Put(testing::QMin(k.dtype)))}) {
      for (Arith arith : {Arith::kTflm, Arith::kTflite}) {
        if (arith == Arith::kTflm && TflmOverruns(k)) {
          EXPECT_THROW(testing::RunGraph(Build(k), arith, {x}, false), Error);
          ++overruns;
          continue;
        }
        EXPECT_TRUE(testing::SameBytes(testing::RunGraph(Build(k), arith, {x}), Naive(k, x, arith), k.dtype))
            << ArithName(arith) << " " << DTypeName(k.dtype) << " " << k.h << "x" << k.w << " -> " << k.oh << "x" << k.ow
            << " align_corners " << k.align_corners << " half_pixel " << k.half_pixel;
      }
    }
  }
  EXPECT_GT(overruns, 0);  // 5 -> 513 rows: the rounded scale 10 maps row 512 to input row 5
}

TEST(ResizeBilinear, IdentitySizeCopiesTheInput) {
  for (Arith arith : {Arith::kTflm, Arith::kTflite}) {
    const Case k{DType::kInt8, 1, 4, 5, 3, 4, 5, false, false};
    testing::Rng rng(3);
    const std::vector<uint8_t> x = testing::RandomBytes(rng, 60, k.dtype);
    EXPECT_TRUE(testing::SameBytes(testing::RunGraph(Build(k), arith, {x}), x, k.dtype)) << ArithName(arith);
  }
}

TEST(ResizeBilinear, XnnpackPathRejectsARequantization) {
  Graph g = Build({DType::kUInt8, 1, 3, 3, 2, 5, 5, true, false});
  g.tensors[2].quant.zero_point = {100};
  const std::vector<uint8_t> x(18, 7);
  EXPECT_THROW(testing::RunGraph(g, Arith::kTflite, {x}, false), Error);
  EXPECT_NO_THROW(testing::RunGraph(g, Arith::kTflm, {x}, false));  // TFLite Micro ignores the quantization
}

TEST(ResizeBilinear, RejectsBadOptionsAndShapes) {
  Graph g = Build({DType::kInt8, 1, 3, 3, 2, 5, 5, true, true});  // both flags
  EXPECT_THROW(VerifyGraph(g), Error);
  g = Build({DType::kInt8, 1, 3, 3, 2, 5, 5, false, false});
  g.tensors[1].data = BytesOf(std::vector<int32_t>{5, 0});  // a zero size
  EXPECT_THROW(VerifyGraph(g), Error);
  g = Build({DType::kInt8, 1, 3, 3, 2, 5, 5, false, false});
  g.tensors[2].shape = {1, 5, 4, 2};  // output disagrees with the size
  EXPECT_THROW(VerifyGraph(g), Error);
  g = Build({DType::kInt8, 1, 3, 3, 2, 5, 5, false, false});
  g.tensors[0].shape = {3, 3, 2};  // not NHWC
  g.tensors[2].shape = {5, 5, 2};
  EXPECT_THROW(VerifyGraph(g), Error);
}

}  // namespace
}  // namespace tinyfuse
