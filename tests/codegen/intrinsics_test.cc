// The C helpers of every intrinsic against common/fixed_point.h, on edge values and a pseudo-random
// sweep, compiled with gcc and clang (-Werror -pedantic) and once more with UBSan.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

#include "codegen/c_emitter.h"
#include "codegen/host_runner.h"
#include "common/fixed_point.h"
#include "graph/prepare/common.h"
#include "graph/prepare/softmax.h"
#include "loop/ir.h"

namespace tinyfuse::codegen {
namespace {

using namespace tinyfuse::loop;  // NOLINT

constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax = std::numeric_limits<int32_t>::max();

std::vector<uint8_t> Int32Bytes(const std::vector<int32_t>& v) {
  std::vector<uint8_t> out;
  for (int32_t x : v) {
    const uint32_t u = static_cast<uint32_t>(x);
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(u >> (8 * i)));
  }
  return out;
}

// A one-kernel model: out[i] = op(a[i], b[i], c[i]) with a, b, c constant tables, and a dummy input.
LoweredModel IntrinsicModel(Intrinsic op, const std::vector<int32_t>& a, const std::vector<int32_t>& b,
                            const std::vector<int32_t>& c) {
  const int64_t n = static_cast<int64_t>(a.size());
  Buffer in = ArenaBuffer("dummy", ScalarType::kInt8, {1}, 0);
  Buffer out = ArenaBuffer("out", ScalarType::kInt32, {n}, 1);
  // Float arguments are given as bit patterns.
  const IntrinsicInfo& info = GetIntrinsicInfo(op);
  auto type = [&](size_t k) { return k < info.args.size() ? info.args[k] : ScalarType::kInt32; };
  Buffer ca = ConstantBuffer("a", type(0), {n}, a);
  Buffer cb = ConstantBuffer("b", type(1), {n}, b);
  Buffer cc = ConstantBuffer("c", type(2), {n}, c);
  Var i = MakeVar("i");
  std::vector<Expr> args = {Load(ca, i), Load(cb, i), Load(cc, i)};
  args.resize(static_cast<size_t>(info.num_args));
  LoweredModel m;
  m.kernels.push_back({PrimFunc{"k", {in, out}, 1, For(i, Imm(0), Imm(n), Store(out, i, Call(op, args)))}, {}, "", 0});
  m.inputs.push_back({0, "dummy", DType::kInt8, {1}, 1.0f, 0, 1});
  m.outputs.push_back({1, "out", DType::kInt32, {static_cast<int32_t>(n)}, 1.0f, 0, 4 * n});
  m.storage_bytes = {{0, 1}, {1, 4 * n}};
  return m;
}

struct Case {
  std::vector<int32_t> a, b, c, expected;
};

bool IsFloatOp(Intrinsic op) {
  return op == Intrinsic::kRequantizeFloat || op == Intrinsic::kFloatToInt32Trunc || op == Intrinsic::kFloatToInt32Round;
}

Case MakeCase(Intrinsic op) {
  std::mt19937 rng(1234);
  const std::vector<int32_t> edges = {0, 1, -1, 2, -2, 3, 127, -128, 255, 1 << 30, -(1 << 30), kMax, kMin, kMax - 1,
                                      kMin + 1, 12345678, -12345678};
  Case k;
  auto add = [&](int32_t a, int32_t b, int32_t c) {
    k.a.push_back(a);
    k.b.push_back(b);
    k.c.push_back(c);
  };
  const std::vector<float> fedges = {0.0f, -0.0f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f, 0.49999997f, -0.49999997f,
                                     8388607.5f, -8388607.5f, 8388608.0f, 16777217.0f, 2147483520.0f, 2147483648.0f,
                                     -2147483648.0f, -2147483904.0f, 3e9f, -3e9f, 1e-30f, 123.456f, -987.654f};
  if (op == Intrinsic::kFloatToInt32Trunc || op == Intrinsic::kFloatToInt32Round) {
    for (float f : fedges) add(BitsOfFloat(f), 0, 0);
    for (int r = 0; r < 3000; ++r) {
      const float f = static_cast<float>(static_cast<int32_t>(rng()) >> (rng() % 31)) / static_cast<float>(1 << (rng() % 8));
      add(BitsOfFloat(f), 0, 0);
    }
  } else if (op == Intrinsic::kRequantizeFloat) {
    for (int32_t x : edges) {
      for (float sc : {0.5f, 0.25f, 1.0f, 3.0f, 0.001f, 1e-9f, 255.9f, 0.0078125f, 0.1f}) add(x, BitsOfFloat(sc), 0);
    }
    for (int r = 0; r < 3000; ++r) {
      add(static_cast<int32_t>(rng()) >> (rng() % 31), BitsOfFloat(std::ldexp(static_cast<float>(rng() % 1000 + 1), -static_cast<int>(rng() % 24))), 0);
    }
  }
  for (int32_t x : IsFloatOp(op) ? std::vector<int32_t>{} : edges) {
    for (int32_t y : edges) {
      switch (op) {
        case Intrinsic::kRoundingDivideByPOT:
          for (int e : {0, 1, 2, 7, 15, 30, 31}) add(x, e, 0);
          break;
        case Intrinsic::kWrappingShiftLeft:
          for (int e : {0, 1, 2, 7, 15, 30, 31, 32, 40}) add(x, e, 0);
          break;
        case Intrinsic::kOneOverOnePlusX:
          add(x < 0 ? x & kMax : x, 0, 0);  // x in [0, 1) in Q0.31
          break;
        case Intrinsic::kMultiplyByQuantizedMultiplierDouble:
        case Intrinsic::kMultiplyByQuantizedMultiplierSingle:
          // Shifts from 31 on come from huge scale ratios (fuzzed models): x * 2^shift wraps to 0 from 32.
          for (int s : {-31, -20, -8, -1, 0, 1, 3, 10, 31, 32, 40, 122}) {
            add(x, y < 0 ? -(y / 2) : (y / 2 + (1 << 30)) & kMax, s);
          }
          break;
        default:
          add(x, y, static_cast<int32_t>(rng()));
          break;
      }
    }
  }
  for (int r = 0; r < (IsFloatOp(op) ? 0 : 2000); ++r) {
    const int32_t x = static_cast<int32_t>(rng()) >> (rng() % 31);
    switch (op) {
      case Intrinsic::kRoundingDivideByPOT:
      case Intrinsic::kWrappingShiftLeft: add(x, static_cast<int32_t>(rng() % 32), 0); break;
      case Intrinsic::kOneOverOnePlusX: add(static_cast<int32_t>(rng() & 0x7fffffffu), 0, 0); break;
      case Intrinsic::kMultiplyByQuantizedMultiplierDouble:
      case Intrinsic::kMultiplyByQuantizedMultiplierSingle:
        add(x, static_cast<int32_t>((1u << 30) + rng() % (1u << 30)), static_cast<int32_t>(rng() % 36) - 31);
        break;
      case Intrinsic::kClamp: {
        const int32_t lo = static_cast<int32_t>(rng() % 256) - 128;
        add(x >> 20, lo, lo + static_cast<int32_t>(rng() % 128));
        break;
      }
      default: add(x, static_cast<int32_t>(rng()) >> (rng() % 31), 0); break;
    }
  }
  for (size_t i = 0; i < k.a.size(); ++i) {
    const int32_t a = k.a[i], b = k.b[i], c = k.c[i];
    int32_t r = 0;
    switch (op) {
      case Intrinsic::kSaturatingRoundingDoublingHighMul: r = SaturatingRoundingDoublingHighMul(a, b); break;
      case Intrinsic::kRoundingDivideByPOT: r = RoundingDivideByPOT(a, b); break;
      case Intrinsic::kMultiplyByQuantizedMultiplierDouble: r = MultiplyByQuantizedMultiplierDouble(a, {b, c}); break;
      case Intrinsic::kMultiplyByQuantizedMultiplierSingle: r = MultiplyByQuantizedMultiplierSingle(a, {b, c}); break;
      case Intrinsic::kClamp: r = b > c ? b : Clamp(a, b, c); break;
      case Intrinsic::kWrappingAdd: r = static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b)); break;
      case Intrinsic::kRequantizeFloat: r = RequantizeFloat(a, FloatOfBits(b)); break;
      case Intrinsic::kFloatToInt32Trunc:
      case Intrinsic::kFloatToInt32Round: {
        const double f = op == Intrinsic::kFloatToInt32Trunc ? std::trunc(FloatOfBits(a)) : std::round(FloatOfBits(a));
        r = !(f > -2147483648.0) ? kMin : (f >= 2147483648.0 ? kMax : static_cast<int32_t>(f));
        break;
      }
      case Intrinsic::kCountLeadingZeros: r = a == 0 ? 32 : __builtin_clz(static_cast<uint32_t>(a)); break;
      case Intrinsic::kWrappingShiftLeft: r = WrappingShiftLeft(a, b); break;
      case Intrinsic::kOneOverOnePlusX: r = OneOverOnePlusX(a); break;
      case Intrinsic::kPack4:  // the packed 16-bit intrinsics have their own sweep: register_block_test.cc
      case Intrinsic::kSxtb16:
      case Intrinsic::kUxtb16:
      case Intrinsic::kSxtb16Ror8:
      case Intrinsic::kUxtb16Ror8:
      case Intrinsic::kSmlabb:
      case Intrinsic::kSmlatt:
      case Intrinsic::kAdd16:
      case Intrinsic::kSmlad: ADD_FAILURE() << "not in this sweep"; break;
    }
    if (op == Intrinsic::kClamp && b > c) k.c[i] = b;  // keep lo <= hi
    k.expected.push_back(r);
  }
  return k;
}

class IntrinsicC : public ::testing::TestWithParam<std::tuple<Intrinsic, std::string>> {};

TEST_P(IntrinsicC, MatchesFixedPoint) {
  const auto [op, compiler] = GetParam();
  const Case k = MakeCase(op);
  const LoweredModel m = IntrinsicModel(op, k.a, k.b, k.c);
  const GeneratedC c = EmitC(m, SequentialLayout(m), "t");
  HostCompileOptions opts;
  opts.compiler = compiler;
  if (compiler == "clang") opts.flags += " -fsanitize=undefined -fno-sanitize-recover=all";
  const auto out = RunGeneratedC(c, {{0}}, opts);
  ASSERT_EQ(out.size(), 1u);
  const std::vector<uint8_t> want = Int32Bytes(k.expected);
  ASSERT_EQ(out[0].size(), want.size());
  for (size_t i = 0; i < k.a.size(); ++i) {
    int32_t got = 0;
    for (int b = 0; b < 4; ++b) got |= static_cast<int32_t>(static_cast<uint32_t>(out[0][4 * i + b]) << (8 * b));
    ASSERT_EQ(got, k.expected[i]) << GetIntrinsicInfo(op).name << "(" << k.a[i] << ", " << k.b[i] << ", " << k.c[i]
                                  << ")";
  }
}

INSTANTIATE_TEST_SUITE_P(
    All, IntrinsicC,
    ::testing::Combine(::testing::Values(Intrinsic::kSaturatingRoundingDoublingHighMul, Intrinsic::kRoundingDivideByPOT,
                                         Intrinsic::kMultiplyByQuantizedMultiplierDouble,
                                         Intrinsic::kMultiplyByQuantizedMultiplierSingle, Intrinsic::kClamp,
                                         Intrinsic::kWrappingAdd, Intrinsic::kRequantizeFloat,
                                         Intrinsic::kFloatToInt32Trunc, Intrinsic::kFloatToInt32Round,
                                         Intrinsic::kCountLeadingZeros, Intrinsic::kWrappingShiftLeft,
                                         Intrinsic::kOneOverOnePlusX),
                       ::testing::Values(std::string("gcc"), std::string("clang"))),
    [](const auto& info) {
      return std::string(GetIntrinsicInfo(std::get<0>(info.param)).name) + "_" + std::get<1>(info.param);
    });

}  // namespace
}  // namespace tinyfuse::codegen
