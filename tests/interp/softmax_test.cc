// SOFTMAX against naive references written here, tolerance zero: the TFLite Micro fixed-point kernel
// transcribed element by element (no tables), and TFLite's float-table kernel as plain float code.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
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

// ---- A naive gemmlowp-style fixed-point number: raw int32 with `ib` integer bits. ----
struct Fx {
  int32_t raw;
  int ib;
};
int32_t SatShift(int32_t x, int e) {  // x * 2^e, e > 0 saturating, e < 0 rounding
  if (e < 0) return RoundingDivideByPOT(x, -e);
  const int64_t v = static_cast<int64_t>(x) * (int64_t{1} << e);
  if (v > std::numeric_limits<int32_t>::max()) return std::numeric_limits<int32_t>::max();
  if (v < std::numeric_limits<int32_t>::min()) return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(v);
}
Fx Mul(Fx a, Fx b) { return {SaturatingRoundingDoublingHighMul(a.raw, b.raw), a.ib + b.ib}; }
Fx Add(Fx a, Fx b) { return {a.raw + b.raw, a.ib}; }
Fx Sub(Fx a, Fx b) { return {a.raw - b.raw, a.ib}; }
Fx Rescale(Fx a, int ib) { return {SatShift(a.raw, a.ib - ib), ib}; }
Fx One0() { return {std::numeric_limits<int32_t>::max(), 0}; }

Fx ExpQuarter(Fx a) {  // a in [-1/4, 0), Q0.31
  const Fx c = {1895147668, 0};  // exp(-1/8)
  const Fx third = {715827883, 0};
  const Fx x = Add(a, {1 << 28, 0});
  const Fx x2 = Mul(x, x), x3 = Mul(x2, x), x4 = Mul(x2, x2);
  const Fx x4_4 = {SatShift(x4.raw, -2), 0};
  const Fx poly = {SatShift(Add(Mul(Add(x4_4, x3), third), x2).raw, -1), 0};
  return Add(c, Mul(c, Add(x, poly)));
}

Fx NaiveExp(Fx a) {  // a <= 0 with a.ib integer bits
  const int frac = 31 - a.ib;
  const int32_t quarter = 1 << (frac - 2);
  const Fx amq = {(a.raw & (quarter - 1)) - quarter, a.ib};
  Fx result = ExpQuarter(Rescale(amq, 0));
  const int32_t rem = Sub(amq, a).raw;
  const int32_t mults[] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
  for (int e = -2; e <= 4; ++e) {
    if (a.ib > e && (rem & (1 << (frac + e)))) result = Mul(result, {mults[e + 2], 0});
  }
  if (a.raw == 0) result = One0();
  return result;
}

Fx NaiveOneOverOnePlusX(Fx a) {
  const int64_t s = static_cast<int64_t>(a.raw) + std::numeric_limits<int32_t>::max();
  const Fx half_den = {static_cast<int32_t>((s + (s >= 0 ? 1 : -1)) / 2), 0};
  Fx x = Add({1515870810, 2}, Mul(half_den, {-1010580540, 2}));
  for (int i = 0; i < 3; ++i) {
    const Fx hx = Mul(half_den, x);
    const Fx om = Sub({1 << 29, 2}, hx);
    x = Add(x, Rescale(Mul(x, om), 2));
  }
  return Rescale({x.raw, 1}, 0);
}

// TFLite Micro reference softmax, one element at a time.
std::vector<int32_t> NaiveTflm(const std::vector<int32_t>& x, int depth, float scale, float beta, bool is_int8) {
  const double real = std::min(static_cast<double>(beta) * scale * (1 << 26), double((1LL << 31) - 1));
  const QuantizedMultiplier m = QuantizeMultiplier(real);
  const int diff_min = -static_cast<int>(std::floor(31.0 * (1LL << 26) / static_cast<double>(1LL << m.shift)));
  const int32_t qmin = is_int8 ? -128 : 0, qmax = is_int8 ? 127 : 255;
  std::vector<int32_t> y(x.size());
  for (size_t r = 0; r < x.size() / depth; ++r) {
    const int32_t* row = &x[r * depth];
    int32_t mx = qmin;
    for (int c = 0; c < depth; ++c) mx = std::max(mx, row[c]);
    auto exp_of = [&](int32_t v) {
      const int32_t diff = v - mx;
      const int32_t scaled = SaturatingRoundingDoublingHighMul(diff * (1 << m.shift), m.multiplier);
      return NaiveExp({scaled, 5});
    };
    Fx sum = {0, 12};
    for (int c = 0; c < depth; ++c) {
      if (row[c] - mx >= diff_min) sum = Add(sum, Rescale(exp_of(row[c]), 12));
    }
    const int hp1 = __builtin_clz(static_cast<uint32_t>(sum.raw));
    const int nbou = 12 - hp1;
    const Fx recip = NaiveOneOverOnePlusX(
        {static_cast<int32_t>((static_cast<uint32_t>(sum.raw) << hp1) - (1u << 31)), 0});
    for (int c = 0; c < depth; ++c) {
      if (row[c] - mx >= diff_min) {
        // Beyond TFLM's exponent limit of 31 (it aborts), the exact quotient by 2^32 rounds to 0.
        const int exponent = nbou + 31 - 8;
        const int32_t v = (exponent > 31 ? 0 : RoundingDivideByPOT(Mul(recip, exp_of(row[c])).raw, exponent)) + qmin;
        y[r * depth + c] = std::clamp(v, qmin, qmax);
      } else {
        y[r * depth + c] = qmin;
      }
    }
  }
  return y;
}

// TFLite's optimized kernel as the non-NEON build runs it, computing each exp directly.
std::vector<int32_t> NaiveTflite(const std::vector<int32_t>& x, int depth, float scale, float beta, bool is_int8,
                                 float out_scale, int32_t out_zp) {
  const int32_t qmin = is_int8 ? -128 : 0, qmax = is_int8 ? 127 : 255;
  const float k = -scale * beta;
  std::vector<int32_t> y(x.size());
  for (size_t r = 0; r < x.size() / depth; ++r) {
    const int32_t* row = &x[r * depth];
    int32_t mx = qmin;
    for (int c = 0; c < depth; ++c) mx = std::max(mx, row[c]);
    float sum = 0.0f;
    for (int c = 0; c < depth; ++c) sum += std::exp(k * static_cast<float>(mx - row[c]));
    const float inv = 1.0f / (sum * out_scale);
    for (int c = 0; c < depth; ++c) {
      const float prob = std::exp(k * static_cast<float>(mx - row[c])) * inv;
      const int32_t q = is_int8 ? static_cast<int32_t>(std::round(prob)) + out_zp : static_cast<int32_t>(prob + 0.5f);
      y[r * depth + c] = std::clamp(q, qmin, qmax);
    }
  }
  return y;
}

struct Case {
  DType dtype;
  Arith arith;
  std::vector<int32_t> shape;
  float scale;
  float beta;
};

std::vector<int32_t> RunSoftmax(const Case& c, const std::vector<int32_t>& x, float out_scale = 1.0f / 256,
                                int32_t out_zp_override = 1000) {
  const bool i8 = c.dtype == DType::kInt8;
  Graph g;
  const int32_t out_zp = out_zp_override != 1000 ? out_zp_override : (i8 ? -128 : 0);
  const int in = g.AddActivation(c.dtype, c.shape, Quantization{{c.scale}, {i8 ? 3 : 130}, 0});
  const int out = g.AddActivation(c.dtype, c.shape, Quantization{{out_scale}, {out_zp}, 0});
  testing::AddOnlyOp(g, OpKind::kSoftmax, {in}, {out}, SoftmaxAttrs{c.beta});
  std::vector<uint8_t> bytes(x.size());
  for (size_t i = 0; i < x.size(); ++i) bytes[i] = static_cast<uint8_t>(x[i]);
  const std::vector<uint8_t> got = testing::RunGraph(g, c.arith, {bytes}, /*round_trip=*/false);
  std::vector<int32_t> y(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    const uint8_t b = got[i];
    y[i] = i8 ? static_cast<int8_t>(b) : b;
  }
  return y;
}

void Check(const Case& c, const std::vector<int32_t>& x, const std::string& label) {
  const int depth = c.shape.back();
  const bool i8 = c.dtype == DType::kInt8;
  const std::vector<int32_t> want = c.arith == Arith::kTflm
                                        ? NaiveTflm(x, depth, c.scale, c.beta, i8)
                                        : NaiveTflite(x, depth, c.scale, c.beta, i8, 1.0f / 256, i8 ? -128 : 0);
  const std::vector<int32_t> got = RunSoftmax(c, x);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i], want[i]) << label << " element " << i << " input " << x[i];
  }
  // Sanity against real softmax: within 2 LSB (catches errors a transcription could share).
  const int32_t zp_out = i8 ? -128 : 0;
  for (size_t r = 0; r < x.size() / depth; ++r) {
    double mx = -1e9, sum = 0;
    for (int k = 0; k < depth; ++k) mx = std::max(mx, double(x[r * depth + k]));
    for (int k = 0; k < depth; ++k) sum += std::exp(double(c.beta) * c.scale * (x[r * depth + k] - mx));
    for (int k = 0; k < depth; ++k) {
      const double p = std::exp(double(c.beta) * c.scale * (x[r * depth + k] - mx)) / sum;
      const double q = std::min(std::max(p * 256 + zp_out, double(zp_out)), double(zp_out + 255));
      ASSERT_NEAR(got[r * depth + k], q, 2.0) << label << " element " << r * depth + k;
    }
  }
}

std::vector<int32_t> Random(size_t n, bool i8, uint32_t seed, int lo = -1000, int hi = 1000) {
  std::mt19937 rng(seed);
  const int qmin = i8 ? -128 : 0, qmax = i8 ? 127 : 255;
  lo = std::max(lo, qmin);
  hi = std::min(hi, qmax);
  std::vector<int32_t> v(n);
  for (auto& e : v) e = lo + static_cast<int>(rng() % static_cast<uint32_t>(hi - lo + 1));
  return v;
}

class SoftmaxFlavours : public ::testing::TestWithParam<std::tuple<DType, Arith>> {};

TEST_P(SoftmaxFlavours, SaturatedAndEdgeRows) {
  const auto [dtype, arith] = GetParam();
  const bool i8 = dtype == DType::kInt8;
  const int32_t lo = i8 ? -128 : 0, hi = i8 ? 127 : 255;
  for (float beta : {1.0f, 0.5f, 2.0f}) {
    for (float scale : {0.00390625f, 0.1f, 1.0f}) {
      for (int depth : {1, 2, 3, 10, 1001}) {
        const Case c{dtype, arith, {2, depth}, scale, beta};
        const std::string label = "beta=" + std::to_string(beta) + " scale=" + std::to_string(scale) +
                                  " depth=" + std::to_string(depth);
        std::vector<int32_t> x(2 * depth);
        for (int k = 0; k < depth; ++k) {  // row 0: all equal; row 1: all the minimum
          x[k] = 7;
          x[depth + k] = lo;
        }
        Check(c, x, label + " equal/min");
        for (int k = 0; k < depth; ++k) {  // one max among minima (diff 255, below diff_min when steep)
          x[k] = (k == depth / 2) ? hi : lo;
          x[depth + k] = (k == 0) ? hi : hi - 1;
        }
        Check(c, x, label + " one max");
        Check(c, Random(2 * depth, i8, 17u + depth), label + " random");
        Check(c, Random(2 * depth, i8, 99u + depth, hi - 20, hi), label + " random near max");
      }
    }
  }
}

TEST_P(SoftmaxFlavours, RankFourRowsOfOneThousandAndOne) {
  const auto [dtype, arith] = GetParam();
  const Case c{dtype, arith, {1, 1, 3, 1001}, 0.0625f, 1.0f};
  Check(c, Random(3 * 1001, dtype == DType::kInt8, 5u), "1x1x3x1001");
}

TEST_P(SoftmaxFlavours, DiffBelowDiffMinIsSkipped) {
  // input_scale * beta = 1: diff_min = -15, so a difference of 16 or more contributes nothing.
  const auto [dtype, arith] = GetParam();
  const bool i8 = dtype == DType::kInt8;
  const int32_t base = i8 ? 0 : 100;
  const Case c{dtype, arith, {1, 6}, 1.0f, 1.0f};
  std::vector<int32_t> x = {base, base - 14, base - 15, base - 16, base - 17, base - 40};
  Check(c, x, "diff_min");
  if (arith == Arith::kTflm) {
    const std::vector<int32_t> y = RunSoftmax(c, x);
    EXPECT_EQ(y[3], i8 ? -128 : 0);
    EXPECT_EQ(y[5], i8 ? -128 : 0);
  }
}

TEST(Softmax, TflmSumOfExpsOf512OrMoreGivesTheMinimum) {
  // 600 equal int8 inputs: the sum of exps is 600 (exponent 32, where TFLM aborts); 1/600 * 256 < 0.5.
  const Case c{DType::kInt8, Arith::kTflm, {1, 600}, 0.1f, 1.0f};
  const std::vector<int32_t> y = RunSoftmax(c, std::vector<int32_t>(600, 5));
  EXPECT_EQ(y, std::vector<int32_t>(600, -128));
  // 511 equal inputs stay within TFLM's range: 256 / 511 rounds to 1.
  const Case d{DType::kInt8, Arith::kTflm, {1, 511}, 0.1f, 1.0f};
  EXPECT_EQ(RunSoftmax(d, std::vector<int32_t>(511, 5)), std::vector<int32_t>(511, -127));
}

INSTANTIATE_TEST_SUITE_P(All, SoftmaxFlavours,
                         ::testing::Combine(::testing::Values(DType::kInt8, DType::kUInt8),
                                            ::testing::Values(Arith::kTflm, Arith::kTflite)));

TEST(Softmax, TflmRejectsAnOutputScaleOtherThanOne256th) {
  const Case c{DType::kInt8, Arith::kTflm, {1, 4}, 0.1f, 1.0f};
  EXPECT_THROW(RunSoftmax(c, {1, 2, 3, 4}, 1.0f / 128), Error);
  EXPECT_THROW(RunSoftmax(c, {1, 2, 3, 4}, 1.0f / 256, 0), Error);
}

TEST(Softmax, TflmRejects4096Classes) {
  // 4096 exps of 1.0 overflow the Q12.19 int32 sum.
  const Case c{DType::kInt8, Arith::kTflm, {1, 4096}, 0.1f, 1.0f};
  EXPECT_THROW(RunSoftmax(c, std::vector<int32_t>(4096, 0)), Error);
  const Case d{DType::kInt8, Arith::kTflite, {1, 4096}, 0.1f, 1.0f};
  EXPECT_NO_THROW(RunSoftmax(d, std::vector<int32_t>(4096, 0)));
}

TEST(Softmax, TfliteUint8IgnoresTheOutputZeroPoint) {
  // TFLite's non-aarch64 uint8 path rounds by +0.5 truncation and never adds the zero point.
  const Case c{DType::kUInt8, Arith::kTflite, {1, 4}, 0.1f, 1.0f};
  const std::vector<int32_t> x = {10, 20, 30, 40};
  EXPECT_EQ(RunSoftmax(c, x, 1.0f / 256, 5), RunSoftmax(c, x, 1.0f / 256, 0));
}

}  // namespace
}  // namespace tinyfuse
