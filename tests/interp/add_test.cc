// ADD against naive references of both methods: TFLite Micro's 20-bit rescale with double rounding, and the
// XNNPACK add (21-bit multipliers, ties up) that TFLite-WASM runs; equal shapes, broadcasting, activations.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "common/error.h"
#include "graph/prepare/add.h"
#include "test_util.h"

namespace tinyfuse::testing {
namespace {

struct AddCase {
  DType dtype = DType::kInt8;
  std::vector<int32_t> shape1 = {1, 3, 4, 5}, shape2 = {1, 3, 4, 5};
  float s1 = 0.1f, s2 = 0.07f, s_out = 0.15f;
  int zp1 = 3, zp2 = -9, zp_out = 1;
  Activation act = Activation::kNone;
  uint64_t seed = 1;
};

// TFLite Micro: inputs rescaled to a common 2^-20 fixed point, summed, rescaled, double rounding throughout.
int32_t RefTflm(const AddCase& c, int32_t x1, int32_t x2) {
  const double twice_max = 2.0 * static_cast<double>(std::max(c.s1, c.s2));
  const RefMultiplier m1 = RefQuantize(static_cast<double>(c.s1) / twice_max);
  const RefMultiplier m2 = RefQuantize(static_cast<double>(c.s2) / twice_max);
  const RefMultiplier mo = RefQuantize(twice_max / (1048576.0 * static_cast<double>(c.s_out)));
  const int32_t a = RefDoubleRounding((x1 - c.zp1) * 1048576, m1);
  const int32_t b = RefDoubleRounding((x2 - c.zp2) * 1048576, m2);
  return RefDoubleRounding(a + b, mo) + c.zp_out;
}

// XNNPACK: ratios r = s / s_out in float; shift = 20 - exponent of the larger; multipliers r * 2^shift rounded
// half to even (built by adding to the float's exponent bits, as XNNPACK does); ties of the sum round up.
int32_t RefXnnpack(const AddCase& c, int32_t x1, int32_t x2) {
  const float r1 = c.s1 / c.s_out, r2 = c.s2 / c.s_out;
  const float rmax = std::max(r1, r2);
  uint32_t bits;
  std::memcpy(&bits, &rmax, 4);
  const int exponent = static_cast<int>(bits >> 23) - 127;
  const int shift = 20 - exponent;
  auto mult = [&](float r) {
    uint32_t u;
    std::memcpy(&u, &r, 4);
    u += static_cast<uint32_t>(shift) << 23;
    float f;
    std::memcpy(&f, &u, 4);
    return static_cast<int32_t>(std::nearbyint(f));
  };
  const int32_t m1 = mult(r1), m2 = mult(r2);
  const int64_t acc = static_cast<int64_t>(x1 - c.zp1) * m1 + static_cast<int64_t>(x2 - c.zp2) * m2;
  return static_cast<int32_t>((acc + (int64_t{1} << (shift - 1))) >> shift) + c.zp_out;
}

void Check(const AddCase& c) {
  Rng rng(c.seed);
  const size_t rank = std::max(c.shape1.size(), c.shape2.size());
  std::vector<int32_t> out_shape(rank);
  for (size_t k = 0; k < rank; ++k) {
    const int32_t d1 = k < rank - c.shape1.size() ? 1 : c.shape1[k - (rank - c.shape1.size())];
    const int32_t d2 = k < rank - c.shape2.size() ? 1 : c.shape2[k - (rank - c.shape2.size())];
    out_shape[k] = std::max(d1, d2);
  }
  auto count = [](const std::vector<int32_t>& s) {
    int64_t n = 1;
    for (int32_t d : s) n *= d;
    return static_cast<size_t>(n);
  };
  const std::vector<uint8_t> in1 = RandomBytes(rng, count(c.shape1), c.dtype);
  const std::vector<uint8_t> in2 = RandomBytes(rng, count(c.shape2), c.dtype);
  Graph g;
  const int a = g.AddActivation(c.dtype, c.shape1, PerTensor(c.s1, c.zp1));
  const int b = g.AddActivation(c.dtype, c.shape2, PerTensor(c.s2, c.zp2));
  const int y = g.AddActivation(c.dtype, out_shape, PerTensor(c.s_out, c.zp_out));
  Op op;
  op.kind = OpKind::kAdd;
  op.inputs = {a, b};
  op.outputs = {y};
  AddAttrs attrs;
  attrs.activation = c.act;
  op.attrs = attrs;
  g.AddOp(op);
  g.inputs = {a, b};
  g.outputs = {y};

  // Index of an output element in an input: right-aligned, broadcast dimensions read index 0.
  auto index_in = [&](const std::vector<int32_t>& s, size_t flat) {
    std::vector<int32_t> idx(rank);
    for (size_t k = rank; k-- > 0;) {
      idx[k] = static_cast<int32_t>(flat % static_cast<size_t>(out_shape[k]));
      flat /= static_cast<size_t>(out_shape[k]);
    }
    size_t off = 0;
    for (size_t k = 0; k < s.size(); ++k) {
      const int32_t i = idx[k + rank - s.size()];
      off = off * static_cast<size_t>(s[k]) + static_cast<size_t>(s[k] == 1 ? 0 : i);
    }
    return off;
  };
  const auto [lo, hi] = RefActivationRange(c.act, c.dtype, c.s_out, c.zp_out);
  for (Arith arith : {Arith::kTflm, Arith::kTflite}) {
    SCOPED_TRACE(std::string(DTypeLabel(c.dtype)) + " " + ActivationName(c.act) + " " + ArithName(arith));
    std::vector<uint8_t> want;
    for (size_t i = 0; i < count(out_shape); ++i) {
      const int32_t x1 = Get(in1, index_in(c.shape1, i), c.dtype), x2 = Get(in2, index_in(c.shape2, i), c.dtype);
      const int32_t v = arith == Arith::kTflm ? RefTflm(c, x1, x2) : RefXnnpack(c, x1, x2);
      want.push_back(Put(std::min(hi, std::max(lo, v))));
    }
    EXPECT_TRUE(SameBytes(RunGraph(g, arith, {in1, in2}), want, c.dtype));
  }
}

TEST(Add, EqualShapesScalesAndZeroPoints) {
  Rng rng(31);
  uint64_t seed = 100;
  for (DType t : {DType::kInt8, DType::kUInt8}) {
    for (int i = 0; i < 12; ++i) {
      AddCase c;
      c.dtype = t;
      c.s1 = rng.Scale(0.01f, 0.5f);
      c.s2 = i == 0 ? c.s1 : rng.Scale(0.01f, 0.5f);
      c.s_out = rng.Scale(0.02f, 0.8f);
      c.zp1 = rng.Uniform(QMin(t), QMax(t));
      c.zp2 = rng.Uniform(QMin(t), QMax(t));
      c.zp_out = rng.Uniform(QMin(t), QMax(t));
      c.seed = ++seed;
      Check(c);
    }
  }
}

TEST(Add, Broadcasting) {
  uint64_t seed = 200;
  for (auto [s1, s2] : {std::pair<std::vector<int32_t>, std::vector<int32_t>>{{1, 4, 4, 3}, {1, 1, 1, 3}},
                        {{2, 3}, {3}},
                        {{1}, {2, 2, 5}},
                        {{3, 1, 5}, {1, 4, 1}}}) {
    AddCase c;
    c.shape1 = s1;
    c.shape2 = s2;
    c.seed = ++seed;
    Check(c);
  }
}

TEST(Add, ActivationsClampBothSides) {
  uint64_t seed = 300;
  for (DType t : {DType::kInt8, DType::kUInt8}) {
    for (Activation act : {Activation::kRelu, Activation::kRelu6, Activation::kReluN1To1}) {
      AddCase c;
      c.dtype = t;
      c.act = act;
      c.s1 = 0.2f;
      c.s2 = 0.3f;
      c.s_out = 0.04f;
      c.zp1 = t == DType::kUInt8 ? 128 : 0;
      c.zp2 = t == DType::kUInt8 ? 128 : 0;
      c.zp_out = t == DType::kUInt8 ? 10 : -100;
      c.seed = ++seed;
      Check(c);
    }
  }
}

// Scales XNNPACK declines (ratio >= 256): the kTflite flavour falls back to the rescale method.
TEST(Add, XnnpackFallbackForExtremeScales) {
  AddCase c;
  c.s1 = 10.0f;
  c.s2 = 0.01f;
  c.s_out = 0.01f;
  Graph g;
  const int a = g.AddActivation(DType::kInt8, {4}, PerTensor(c.s1, 0));
  const int b = g.AddActivation(DType::kInt8, {4}, PerTensor(c.s2, 0));
  const int y = g.AddActivation(DType::kInt8, {4}, PerTensor(c.s_out, 0));
  Op op;
  op.kind = OpKind::kAdd;
  op.inputs = {a, b};
  op.outputs = {y};
  op.attrs = AddAttrs{};
  g.AddOp(op);
  EXPECT_EQ(PrepareAdd(g, g.ops[0], Arith::kTflite).method, AddParams::Method::kRescale);
  EXPECT_EQ(PrepareAdd(g, g.ops[0], Arith::kTflm).method, AddParams::Method::kRescale);
  g.tensor(a).quant.scale = {0.02f};
  EXPECT_EQ(PrepareAdd(g, g.ops[0], Arith::kTflite).method, AddParams::Method::kXnnpack);
}

TEST(Add, RejectsShapesThatDoNotBroadcast) {
  Graph g;
  const int a = g.AddActivation(DType::kInt8, {2, 3}, PerTensor(0.1f, 0));
  const int b = g.AddActivation(DType::kInt8, {2, 4}, PerTensor(0.1f, 0));
  const int y = g.AddActivation(DType::kInt8, {2, 4}, PerTensor(0.1f, 0));
  Op op;
  op.kind = OpKind::kAdd;
  op.inputs = {a, b};
  op.outputs = {y};
  op.attrs = AddAttrs{};
  g.AddOp(op);
  EXPECT_THROW(PrepareAdd(g, g.ops[0], Arith::kTflm), Error);
}

}  // namespace
}  // namespace tinyfuse::testing
