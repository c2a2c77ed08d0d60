// The fixed-point reciprocal as lower_softmax.cc composes it from loop IR intrinsics,
//   recip = @one_over_one_plus_x(@wrapping_add(@wrapping_shl(sum, @clz(sum)), INT32_MIN)),
//   exponent = 35 - @clz(sum),
// compiled to C (gcc, clang + UBSan) and compared with graph/prepare's SoftmaxReciprocal over every sum a
// TFLite Micro softmax row can produce (1.0 to 4095.0 in Q12.19: 2^19 .. 4095 * 2^19), densely near the
// powers of two and pseudo-randomly elsewhere.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "codegen/c_emitter.h"
#include "codegen/host_runner.h"
#include "graph/prepare/softmax.h"
#include "loop/ir.h"

namespace tinyfuse::loopops {
namespace {

using namespace tinyfuse::loop;  // NOLINT

std::vector<int32_t> Sums() {
  std::vector<int32_t> v;
  for (int e = 19; e <= 30; ++e) {
    for (int64_t d = -40; d <= 40; ++d) {
      const int64_t s = (int64_t{1} << e) + d;
      if (s >= (1 << 19) && s <= 4095LL * (1 << 19)) v.push_back(static_cast<int32_t>(s));
    }
  }
  std::mt19937 rng(99);
  for (int i = 0; i < 20000; ++i) v.push_back(static_cast<int32_t>((1 << 19) + rng() % (4094u * (1u << 19))));
  v.push_back(4095 * (1 << 19));
  return v;
}

LoweredModel ReciprocalModel(const std::vector<int32_t>& sums) {
  const int64_t n = static_cast<int64_t>(sums.size());
  Buffer dummy = ArenaBuffer("dummy", ScalarType::kInt8, {1}, 0);
  Buffer out = ArenaBuffer("out", ScalarType::kInt32, {2 * n}, 1);
  Buffer table = ConstantBuffer("sums", ScalarType::kInt32, {n}, sums);
  Var i = MakeVar("i"), s = MakeVar("s"), h = MakeVar("h");
  const Expr shifted = Call(Intrinsic::kWrappingShiftLeft, {s, h});
  const Expr recip = Call(Intrinsic::kOneOverOnePlusX, {Call(Intrinsic::kWrappingAdd, {shifted, Imm(-2147483648LL)})});
  const Stmt body = LetStmt(
      s, Load(table, i),
      LetStmt(h, Call(Intrinsic::kCountLeadingZeros, {s}),
              Seq({Store(out, Mul(i, Imm(2)), recip), Store(out, Add(Mul(i, Imm(2)), Imm(1)), Sub(Imm(35), h))})));
  LoweredModel m;
  m.kernels.push_back({PrimFunc{"recip", {dummy, out}, 1, For(i, Imm(0), Imm(n), body)}, {}, "", 0});
  m.inputs.push_back({0, "dummy", DType::kInt8, {1}, 1.0f, 0, 1});
  m.outputs.push_back({1, "out", DType::kInt32, {static_cast<int32_t>(2 * n)}, 1.0f, 0, 8 * n});
  m.storage_bytes = {{0, 1}, {1, 8 * n}};
  return m;
}

class SoftmaxReciprocalC : public ::testing::TestWithParam<std::string> {};

TEST_P(SoftmaxReciprocalC, MatchesPrepareHelper) {
  const std::vector<int32_t> sums = Sums();
  const LoweredModel m = ReciprocalModel(sums);
  const codegen::GeneratedC c = codegen::EmitC(m, codegen::SequentialLayout(m), "t");
  codegen::HostCompileOptions opts;
  opts.compiler = GetParam();
  if (opts.compiler == "clang") opts.flags += " -fsanitize=undefined -fno-sanitize-recover=all";
  const auto out = codegen::RunGeneratedC(c, {{0}}, opts);
  ASSERT_EQ(out[0].size(), 8 * sums.size());
  auto word = [&](size_t k) {
    uint32_t u = 0;
    for (int b = 0; b < 4; ++b) u |= static_cast<uint32_t>(out[0][4 * k + static_cast<size_t>(b)]) << (8 * b);
    return static_cast<int32_t>(u);
  };
  for (size_t k = 0; k < sums.size(); ++k) {
    int num_bits_over_unit = 0;
    const int32_t want = SoftmaxReciprocal(sums[k], &num_bits_over_unit);
    ASSERT_EQ(word(2 * k), want) << "sum " << sums[k];
    ASSERT_EQ(word(2 * k + 1), num_bits_over_unit + 31 - 8) << "sum " << sums[k];
  }
}

INSTANTIATE_TEST_SUITE_P(All, SoftmaxReciprocalC, ::testing::Values(std::string("gcc"), std::string("clang")),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace tinyfuse::loopops
