// The unary table family (RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU) and the binary elementwise operators (MUL,
// SUB, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE, PRELU) against naive references written here from TFLite
// Micro's definitions (test_util.h's reference arithmetic, not src/common/fixed_point), tolerance zero:
// every 8-bit input value, zero points at the ends of the dtype, rescale factors above and below one,
// negative and large alphas, fused activations, broadcasting of every rank. A float model of each op
// also bounds the result within one step, so the reference itself cannot drift far from the real value.
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
using testing::QMax;
using testing::QMin;
using testing::RefDoubleRounding;
using testing::RefMultiplier;
using testing::RefQuantize;

struct Q {
  float scale;
  int32_t zp;
};

// ---- Unary -------------------------------------------------------------------------------------------------

struct UnaryCase {
  OpKind op;
  DType dtype;
  Q in, out;
  float alpha = 0.0f;
};

std::string Label(const UnaryCase& c) {
  return std::string(OpName(c.op)) + " " + DTypeName(c.dtype) + " in " + std::to_string(c.in.scale) + "/" +
         std::to_string(c.in.zp) + " out " + std::to_string(c.out.scale) + "/" + std::to_string(c.out.zp) +
         " alpha " + std::to_string(c.alpha);
}

Graph UnaryGraph(const UnaryCase& c, int n) {
  Graph g;
  const int in = g.AddActivation(c.dtype, {1, n}, PerTensor(c.in.scale, c.in.zp), "x");
  const int out = g.AddActivation(c.dtype, {1, n}, PerTensor(c.out.scale, c.out.zp), "y");
  OpAttrs attrs;
  if (c.op == OpKind::kLeakyRelu) attrs = LeakyReluAttrs{c.alpha};
  testing::AddOnlyOp(g, c.op, {in}, {out}, attrs);
  return g;
}

// TFLite Micro's LEAKY_RELU, RELU, RELU6 (int8: a clamp of the stored value) and TFLite's RELU_N1_TO_1 /
// uint8 RELU6, written from their definitions.
int32_t NaiveUnary(const UnaryCase& c, int32_t x) {
  const int32_t lo = QMin(c.dtype), hi = QMax(c.dtype);
  const double identity = static_cast<double>(c.in.scale / c.out.scale);  // a float division, widened
  if (c.op == OpKind::kRelu6 && c.dtype == DType::kInt8) {
    const int32_t six = std::min<int32_t>(hi, static_cast<int32_t>(std::round(6.0f / c.in.scale)) + c.in.zp);
    return std::clamp(x, c.in.zp, six);
  }
  if (c.op == OpKind::kLeakyRelu) {
    const int32_t d = x - c.in.zp;
    int32_t v;
    if (d >= 0) {
      v = RefDoubleRounding(d, RefQuantize(identity));
    } else {
      const double alpha = static_cast<double>(c.in.scale * c.alpha / c.out.scale);
      const int32_t mag = RefDoubleRounding(d, RefQuantize(std::fabs(alpha)));
      v = alpha < 0 ? -mag : mag;
    }
    return std::clamp(c.out.zp + v, lo, hi);
  }
  const Activation act = c.op == OpKind::kRelu6 ? Activation::kRelu6
                         : c.op == OpKind::kReluN1To1 ? Activation::kReluN1To1 : Activation::kRelu;
  const auto [amin, amax] = testing::RefActivationRange(act, c.dtype, c.out.scale, c.out.zp);
  return std::clamp(c.out.zp + RefDoubleRounding(x - c.in.zp, RefQuantize(identity)), amin, amax);
}

// The real function, for the within-one-step bound.
double RealUnary(const UnaryCase& c, double r) {
  switch (c.op) {
    case OpKind::kLeakyRelu: return r >= 0 ? r : r * c.alpha;
    case OpKind::kRelu: return std::max(r, 0.0);
    case OpKind::kRelu6: return std::clamp(r, 0.0, 6.0);
    default: return std::clamp(r, -1.0, 1.0);
  }
}

std::vector<UnaryCase> UnaryCases() {
  std::vector<UnaryCase> cases;
  for (DType t : {DType::kInt8, DType::kUInt8}) {
    const int32_t lo = QMin(t), hi = QMax(t), mid = t == DType::kInt8 ? 0 : 128;
    const std::vector<std::pair<Q, Q>> quants = {
        {{0.05f, mid}, {0.05f, mid}},      // identity
        {{0.05f, lo}, {0.02f, hi}},        // ratio > 1, zero points at both ends
        {{0.02f, hi}, {0.09f, lo}},        // ratio < 1
        {{0.1f, mid + 7}, {0.003f, mid}},  // saturating
        {{0.0421f, lo + 3}, {0.0173f, mid - 5}},
    };
    for (const auto& [qi, qo] : quants) {
      for (OpKind k : {OpKind::kRelu, OpKind::kRelu6, OpKind::kReluN1To1}) cases.push_back({k, t, qi, qo});
      for (float alpha : {0.1f, 0.0f, -0.25f, 1.0f, 3.5f, 0.01f}) cases.push_back({OpKind::kLeakyRelu, t, qi, qo, alpha});
    }
  }
  return cases;
}

TEST(UnaryOps, EveryInputMatchesTheNaiveReference) {
  std::vector<uint8_t> all(256);
  for (int i = 0; i < 256; ++i) all[static_cast<size_t>(i)] = static_cast<uint8_t>(i);
  for (const UnaryCase& c : UnaryCases()) {
    const Graph g = UnaryGraph(c, 256);
    const std::vector<uint8_t> got = testing::RunGraph(g, Arith::kTflm, {all});
    for (size_t i = 0; i < 256; ++i) {
      const int32_t x = Get(all, i, c.dtype);
      const int32_t want = NaiveUnary(c, x);
      ASSERT_EQ(Get(got, i, c.dtype), want) << Label(c) << " x=" << x;
      if (c.op == OpKind::kRelu6 && c.dtype == DType::kInt8) continue;  // ignores the output quantization
      const double real = RealUnary(c, (x - c.in.zp) * static_cast<double>(c.in.scale));
      const double q = std::clamp(real / c.out.scale + c.out.zp, static_cast<double>(QMin(c.dtype)),
                                  static_cast<double>(QMax(c.dtype)));
      ASSERT_LE(std::fabs(want - q), 1.0) << Label(c) << " x=" << x << ": the reference drifted";
    }
  }
}

TEST(UnaryOps, BadAlphaAndDTypesAreErrors) {
  UnaryCase c{OpKind::kLeakyRelu, DType::kInt8, {0.05f, 0}, {0.05f, 0}, std::nanf("")};
  EXPECT_THROW(VerifyGraph(UnaryGraph(c, 4)), Error);
  Graph g;
  const int in = g.AddActivation(DType::kInt8, {4}, PerTensor(0.1f, 0), "x");
  const int out = g.AddActivation(DType::kUInt8, {4}, PerTensor(0.1f, 0), "y");
  testing::AddOnlyOp(g, OpKind::kRelu, {in}, {out});
  EXPECT_THROW(VerifyGraph(g), Error);
  Graph h;
  const int hin = h.AddActivation(DType::kInt8, {4}, PerTensor(0.1f, 0), "x");
  const int hout = h.AddActivation(DType::kInt8, {5}, PerTensor(0.1f, 0), "y");
  testing::AddOnlyOp(h, OpKind::kRelu6, {hin}, {hout});
  EXPECT_THROW(VerifyGraph(h), Error);
}

// LOGISTIC and TANH (int8, gemmlowp fixed point): no golden holds them, so every input is checked within
// one output step of the real function, the output is monotonic in the input, and 0 maps to the exact
// midpoint.
TEST(UnaryOps, LogisticAndTanhFollowTheRealFunctions) {
  std::vector<uint8_t> all(256);
  for (int i = 0; i < 256; ++i) all[static_cast<size_t>(i)] = static_cast<uint8_t>(i);
  for (OpKind k : {OpKind::kLogistic, OpKind::kTanh}) {
    for (const Q in : {Q{0.05f, 0}, Q{0.0031f, -128}, Q{0.2f, 127}, Q{0.0625f, -7}, Q{0.9f, 3}}) {
      const bool logistic = k == OpKind::kLogistic;
      const UnaryCase c{k, DType::kInt8, in, logistic ? Q{1.0f / 256, -128} : Q{1.0f / 128, 0}};
      const std::vector<uint8_t> got = testing::RunGraph(UnaryGraph(c, 256), Arith::kTflm, {all});
      int32_t previous = -129;
      for (int32_t x = -128; x <= 127; ++x) {
        const int32_t y = Get(got, static_cast<size_t>(static_cast<uint8_t>(x)), DType::kInt8);
        const double r = (x - in.zp) * static_cast<double>(in.scale);
        const double want = logistic ? 256.0 / (1.0 + std::exp(-r)) - 128.0 : 128.0 * std::tanh(r);
        EXPECT_LE(std::fabs(y - std::clamp(want, -128.0, 127.0)), 1.0) << Label(c) << " x=" << x;
        EXPECT_GE(y, previous) << Label(c) << " x=" << x << ": not monotonic";
        if (x == in.zp) {
          EXPECT_EQ(y, 0) << Label(c);
        }
        previous = y;
      }
    }
  }
  // TFLite Micro requires LOGISTIC's output zero point -128, and neither op has a uint8 kernel.
  const UnaryCase bad_zp{OpKind::kLogistic, DType::kInt8, {0.05f, 0}, {1.0f / 256, 0}};
  const Graph ga = UnaryGraph(bad_zp, 4);
  Interpreter a(ga, Arith::kTflm);
  EXPECT_THROW(a.Invoke(), Error);
  const UnaryCase uint8{OpKind::kTanh, DType::kUInt8, {0.05f, 128}, {1.0f / 128, 128}};
  const Graph gb = UnaryGraph(uint8, 4);
  Interpreter b(gb, Arith::kTflm);
  EXPECT_THROW(b.Invoke(), Error);
}

// ---- Binary ------------------------------------------------------------------------------------------------

struct BinaryCase {
  OpKind op;
  DType dtype;
  std::vector<int32_t> shape1, shape2;
  Q in1, in2, out;
  Activation act = Activation::kNone;
};

std::vector<int32_t> BroadcastShape(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
  const size_t rank = std::max(a.size(), b.size());
  std::vector<int32_t> s(rank, 1);
  for (size_t k = 0; k < rank; ++k) {
    const int32_t da = k < a.size() ? a[a.size() - 1 - k] : 1, db = k < b.size() ? b[b.size() - 1 - k] : 1;
    s[rank - 1 - k] = std::max(da, db);
  }
  return s;
}

Graph BinaryGraph(const BinaryCase& c) {
  Graph g;
  const int a = g.AddActivation(c.dtype, c.shape1, PerTensor(c.in1.scale, c.in1.zp), "a");
  const int b = g.AddActivation(c.dtype, c.shape2, PerTensor(c.in2.scale, c.in2.zp), "b");
  const int out = g.AddActivation(c.dtype, BroadcastShape(c.shape1, c.shape2), PerTensor(c.out.scale, c.out.zp), "y");
  Op op;
  op.kind = c.op;
  op.inputs = {a, b};
  op.outputs = {out};
  if (c.op == OpKind::kMul || c.op == OpKind::kSub) op.attrs = AddAttrs{c.act};
  g.AddOp(op);
  g.inputs = {a, b};
  g.outputs = {out};
  return g;
}

// TFLite Micro's formulas, written from their definitions.
int32_t NaiveBinary(const BinaryCase& c, int32_t x1, int32_t x2) {
  const int32_t d1 = x1 - c.in1.zp, d2 = x2 - c.in2.zp;
  const double s1 = c.in1.scale, s2 = c.in2.scale, so = c.out.scale;
  const auto [lo, hi] = testing::RefActivationRange(c.act, c.dtype, c.out.scale, c.out.zp);
  switch (c.op) {
    case OpKind::kMul:
      return std::clamp(RefDoubleRounding(d1 * d2, RefQuantize(s1 * s2 / so)) + c.out.zp, lo, hi);
    case OpKind::kSub: {
      const float twice = 2 * std::max(c.in1.scale, c.in2.scale);
      const int32_t r1 = RefDoubleRounding(d1 * (1 << 20), RefQuantize(c.in1.scale / twice));
      const int32_t r2 = RefDoubleRounding(d2 * (1 << 20), RefQuantize(c.in2.scale / twice));
      const RefMultiplier m = RefQuantize(twice / (1048576.0f * c.out.scale));
      return std::clamp(RefDoubleRounding(r1 - r2, m) + c.out.zp, lo, hi);
    }
    case OpKind::kSquaredDifference: {
      const double twice = 2.0 * std::max(s1, s2);
      const int32_t r1 = RefDoubleRounding(d1 * 128, RefQuantize(s1 / twice));
      const int32_t r2 = RefDoubleRounding(d2 * 128, RefQuantize(s2 / twice));
      const RefMultiplier m = RefQuantize(twice * twice / static_cast<double>(16384.0f * c.out.scale));
      return std::clamp(RefDoubleRounding((r1 - r2) * (r1 - r2), m) + c.out.zp, lo, hi);
    }
    case OpKind::kMaximum: return std::max(x1, x2);
    case OpKind::kMinimum: return std::min(x1, x2);
    case OpKind::kPrelu: {
      const int32_t v = d1 >= 0 ? RefDoubleRounding(d1, RefQuantize(s1 / so))
                                : RefDoubleRounding(d1 * d2, RefQuantize(s1 * s2 / so));
      return std::clamp(v + c.out.zp, lo, hi);
    }
    default: return 0;
  }
}

double RealBinary(OpKind op, double a, double b) {
  switch (op) {
    case OpKind::kMul: return a * b;
    case OpKind::kSub: return a - b;
    case OpKind::kSquaredDifference: return (a - b) * (a - b);
    case OpKind::kPrelu: return a >= 0 ? a : a * b;
    default: return 0;
  }
}

void CheckBinary(const BinaryCase& c, uint64_t seed) {
  const Graph g = BinaryGraph(c);
  testing::Rng rng(seed);
  const Tensor& t1 = g.tensor(g.inputs[0]);
  const Tensor& t2 = g.tensor(g.inputs[1]);
  std::vector<uint8_t> a = testing::RandomBytes(rng, static_cast<size_t>(t1.num_elements()), c.dtype);
  std::vector<uint8_t> b = testing::RandomBytes(rng, static_cast<size_t>(t2.num_elements()), c.dtype);
  const std::vector<uint8_t> got = testing::RunGraph(g, Arith::kTflm, {a, b});
  // Naive broadcasting: each output coordinate mapped to each input's by dropping broadcast dimensions.
  const std::vector<int32_t> shape = g.tensor(g.outputs[0]).shape;
  const size_t rank = shape.size();
  auto offset = [&](const std::vector<int32_t>& in_shape, const std::vector<int32_t>& idx) {
    int64_t o = 0;
    for (size_t k = 0; k < in_shape.size(); ++k) {
      const int32_t i = idx[rank - in_shape.size() + k];
      o = o * in_shape[k] + (in_shape[k] == 1 ? 0 : i);
    }
    return static_cast<size_t>(o);
  };
  std::vector<int32_t> idx(rank, 0);
  const std::string label = std::string(OpName(c.op)) + " " + DTypeName(c.dtype);
  for (size_t e = 0; e < got.size(); ++e) {
    const int32_t x1 = Get(a, offset(c.shape1, idx), c.dtype), x2 = Get(b, offset(c.shape2, idx), c.dtype);
    const int32_t want = NaiveBinary(c, x1, x2);
    ASSERT_EQ(Get(got, e, c.dtype), want) << label << " element " << e << " x1=" << x1 << " x2=" << x2;
    if (c.op != OpKind::kMaximum && c.op != OpKind::kMinimum && c.act == Activation::kNone) {
      const double real = RealBinary(c.op, (x1 - c.in1.zp) * static_cast<double>(c.in1.scale),
                                     (x2 - c.in2.zp) * static_cast<double>(c.in2.scale));
      const double q = std::clamp(real / c.out.scale + c.out.zp, static_cast<double>(QMin(c.dtype)),
                                  static_cast<double>(QMax(c.dtype)));
      ASSERT_LE(std::fabs(want - q), 1.0) << label << " element " << e << ": the reference drifted";
    }
    for (size_t k = rank; k-- > 0;) {
      if (++idx[k] < shape[k]) break;
      idx[k] = 0;
    }
  }
}

std::vector<BinaryCase> BinaryCases(DType t) {
  const int32_t lo = QMin(t), hi = QMax(t), mid = t == DType::kInt8 ? 0 : 128;
  std::vector<BinaryCase> cases;
  const std::vector<std::pair<std::vector<int32_t>, std::vector<int32_t>>> shapes = {
      {{16, 16}, {16, 16}},        {{1, 4, 5, 3}, {3}},          {{2, 1, 3}, {4, 1}},
      {{1, 1, 1, 3}, {1, 4, 5, 3}}, {{7}, {1}},                  {{2, 1, 2, 1, 3}, {1, 3, 1, 2, 1}},
      {{2, 2, 1, 2, 1, 3}, {2, 1, 1, 3}}};
  const std::vector<std::tuple<Q, Q, Q>> quants = {
      {{0.05f, 3}, {0.08f, -7}, {0.1f, 1}}, {{0.1f, lo}, {0.02f, hi}, {0.004f, mid}},
      {{0.02f, hi}, {0.5f, lo}, {0.9f, lo}}, {{0.2f, mid}, {0.2f, mid}, {0.01f, hi}}};
  for (OpKind op : {OpKind::kMul, OpKind::kSub, OpKind::kMaximum, OpKind::kMinimum, OpKind::kSquaredDifference,
                    OpKind::kPrelu}) {
    for (size_t s = 0; s < shapes.size(); ++s) {
      for (size_t qi = 0; qi < quants.size(); ++qi) {
        auto [q1, q2, qo] = quants[qi];
        if (t == DType::kUInt8) {  // uint8 zero points of the first row
          q1.zp = std::clamp(q1.zp + 128, 0, 255);
          q2.zp = std::clamp(q2.zp + 128, 0, 255);
          qo.zp = std::clamp(qo.zp + 128, 0, 255);
        }
        BinaryCase c{op, t, shapes[s].first, shapes[s].second, q1, q2, qo};
        if ((op == OpKind::kMul || op == OpKind::kSub) && (s + qi) % 3 == 1) c.act = Activation::kRelu;
        if ((op == OpKind::kMul || op == OpKind::kSub) && (s + qi) % 3 == 2) c.act = Activation::kReluN1To1;
        cases.push_back(c);
      }
    }
  }
  return cases;
}

class BinaryOps : public ::testing::TestWithParam<DType> {};

TEST_P(BinaryOps, MatchTheNaiveReference) {
  uint64_t seed = 1;
  for (const BinaryCase& c : BinaryCases(GetParam())) CheckBinary(c, seed++);
}

INSTANTIATE_TEST_SUITE_P(DTypes, BinaryOps, ::testing::Values(DType::kInt8, DType::kUInt8),
                         [](const auto& info) { return std::string(DTypeName(info.param)); });

TEST(BinaryOpsErrors, ShapesThatDoNotBroadcastAndMixedDTypes) {
  BinaryCase c{OpKind::kMul, DType::kInt8, {2, 3}, {4, 3}, {0.1f, 0}, {0.1f, 0}, {0.1f, 0}};
  EXPECT_THROW(VerifyGraph(BinaryGraph(c)), Error);  // [2,3] and [4,3] do not broadcast
  c.shape2 = {2, 3};
  Graph h = BinaryGraph(c);
  h.tensor(h.inputs[1]).dtype = DType::kUInt8;
  EXPECT_THROW(VerifyGraph(h), Error);
  // SUB whose output scale makes the output rescale factor reach one: TFLite Micro refuses it too.
  c.op = OpKind::kSub;
  c.out.scale = 1e-9f;
  const Graph s = BinaryGraph(c);
  Interpreter interp(s, Arith::kTflm);
  EXPECT_THROW(interp.Invoke(), Error);
}

}  // namespace
}  // namespace tinyfuse
