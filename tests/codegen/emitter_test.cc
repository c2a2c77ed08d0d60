#include "codegen/c_emitter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "codegen/host_runner.h"
#include "common/error.h"

namespace tinyfuse::codegen {
namespace {

using namespace tinyfuse::loop;  // NOLINT
using ::testing::HasSubstr;
using ::testing::Not;

// out[h, c] = clamp(sum_k in[h + k - 1, c] (guarded) + bias[c], -128, 127): a 1-D "conv" with padding.
PrimFunc SmallKernel() {
  Buffer in = ArenaBuffer("input", ScalarType::kInt8, {4, 3}, 0);
  Buffer out = ArenaBuffer("output", ScalarType::kInt8, {4, 3}, 1);
  Buffer bias = ConstantBuffer("bias", ScalarType::kInt32, {3}, {-2147483647 - 1, 0, 7});
  Buffer acc = LocalBuffer("acc", ScalarType::kInt32, {1});
  Var h = MakeVar("h"), c = MakeVar("c"), k = MakeVar("k"), ih = MakeVar("ih");
  Stmt tap = LetStmt(ih, Add(Add(h, k), Imm(-1)),
                     IfThenElse(And(Le(Imm(0), ih), Lt(ih, Imm(4))),
                                Store(acc, Imm(0),
                                      Add(Load(acc, Imm(0)), Cast(ScalarType::kInt32, Load(in, Add(Mul(ih, Imm(3)), c)))))));
  Stmt body = For(h, Imm(0), Imm(4),
                  For(c, Imm(0), Imm(3),
                      Allocate(acc, Seq({Store(acc, Imm(0), Max(Load(bias, c), Imm(-1000))), For(k, Imm(0), Imm(3), tap),
                                         Store(out, Add(Mul(h, Imm(3)), c),
                                               Cast(ScalarType::kInt8, Call(Intrinsic::kClamp, {Load(acc, Imm(0)),
                                                                                                Imm(-128), Imm(127)})))}))));
  return PrimFunc{"conv1d_n0", {in, out}, 1, body};
}

LoweredModel SmallModel() {
  LoweredModel m;
  m.kernels.push_back({SmallKernel(), {0}, "CONV(acc, bias, clamp, cast)", 0});
  m.inputs.push_back({0, "input", DType::kInt8, {4, 3}, 0.5f, -3, 12});
  m.outputs.push_back({1, "output", DType::kInt8, {4, 3}, 1.0f, 0, 12});
  m.storage_bytes = {{0, 12}, {1, 12}};
  return m;
}

TEST(CEmitter, KernelText) {
  EXPECT_EQ(EmitKernelC(SmallKernel(), "m"),
            "static const int32_t m_conv1d_n0_bias[3] = {\n"
            "    (-2147483647 - 1), 0, 7\n"
            "};\n"
            "static inline int32_t m_max(int32_t a, int32_t b) { return a > b ? a : b; }\n"
            "#if defined(__ARM_FEATURE_DSP) && defined(__ARM_FEATURE_SIMD32)\n"
            "#include <arm_acle.h>\n"
            "#define m_HAVE_DSP 1\n"
            "#else\n"
            "#define m_HAVE_DSP 0\n"
            "#endif\n"
            "/* x clamped to [lo, hi]; the 8-bit ranges by one saturating instruction where the target has it. */\n"
            "static inline int32_t m_clamp(int32_t x, int32_t lo, int32_t hi) {\n"
            "#if m_HAVE_DSP && defined(__ARM_FEATURE_SAT)\n"
            "  if (lo == -128 && hi == 127) return __ssat(x, 8);\n"
            "  if (lo == 0 && hi == 255) return (int32_t)__usat(x, 8);\n"
            "#endif\n"
            "  return x < lo ? lo : (x > hi ? hi : x);\n"
            "}\n"
            "static m_NOINLINE void m_conv1d_n0(const int8_t *input, int8_t *output) {\n"
            "  for (int32_t h = 0; h < 4; ++h) {\n"
            "    for (int32_t c = 0; c < 3; ++c) {\n"
            "      int32_t acc;\n"
            "      acc = m_max(m_conv1d_n0_bias[c], -1000);\n"
            "      for (int32_t k = 0; k < 3; ++k) {\n"
            "        const int32_t ih = h + k - 1;\n"
            "        if (0 <= ih && ih < 4) {\n"
            "          acc = acc + (int32_t)input[ih * 3 + c];\n"
            "        }\n"
            "      }\n"
            "      output[h * 3 + c] = (int8_t)m_clamp(acc, -128, 127);\n"
            "    }\n"
            "  }\n"
            "}\n");
}

TEST(CEmitter, HeaderFollowsTheContract) {
  const LoweredModel m = SmallModel();
  const GeneratedC c = EmitC(m, SequentialLayout(m), "net");
  EXPECT_THAT(c.header, HasSubstr("#define net_ARENA_SIZE 32\n#define net_ARENA_ALIGN 8\n"));
  EXPECT_THAT(c.header, HasSubstr("#define net_NUM_INPUTS 1\n#define net_NUM_OUTPUTS 1\n"));
  EXPECT_THAT(c.header, HasSubstr("#define net_INPUT0_SIZE 12\n#define net_INPUT0_TYPE int8_t\n"
                                  "#define net_INPUT0_SCALE 0.5f\n#define net_INPUT0_ZERO_POINT -3\n"
                                  "#define net_INPUT0_OFFSET 0\n#define net_INPUT0_RANK 2\n#define net_INPUT0_DIMS {4, 3}\n"));
  EXPECT_THAT(c.header, HasSubstr("#define net_OUTPUT0_SCALE 1.0f\n"));
  EXPECT_THAT(c.header, HasSubstr("#define net_OUTPUT0_OFFSET 16\n"));
  EXPECT_THAT(c.header, HasSubstr("int net_invoke(const int8_t *input0, int8_t *output0, uint8_t *arena);"));
  EXPECT_THAT(c.source, HasSubstr("  net_conv1d_n0((const int8_t *)(arena + 0), (int8_t *)(arena + 16));\n"));
  EXPECT_THAT(c.source, Not(HasSubstr("#include <stdio.h>")));
}

TEST(CEmitter, SameModelSameBytes) {
  const LoweredModel m = SmallModel();
  const GeneratedC a = EmitC(m, SequentialLayout(m), "net");
  const GeneratedC b = EmitC(SmallModel(), SequentialLayout(m), "net");
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.header, b.header);
}

TEST(CEmitter, RejectsBadPrefixAndUnverifiableKernels) {
  const LoweredModel m = SmallModel();
  EXPECT_THROW(EmitC(m, SequentialLayout(m), "9lives"), Error);
  EXPECT_THROW(EmitC(m, SequentialLayout(m), "a-b"), Error);
  LoweredModel bad = SmallModel();
  bad.kernels[0].func.params.pop_back();  // output no longer a param
  EXPECT_THROW(EmitC(bad, SequentialLayout(m), "net"), Error);
}

TEST(CEmitter, RejectsMisalignedLayout) {
  const LoweredModel m = SmallModel();
  ArenaLayout layout = SequentialLayout(m);
  layout.offsets[1] = 13;
  EXPECT_THROW(EmitC(m, layout, "net"), Error);
}

class CompileAndRun : public ::testing::TestWithParam<std::string> {};

TEST_P(CompileAndRun, ComputesTheKernel) {
  const LoweredModel m = SmallModel();
  HostCompileOptions opts;
  opts.compiler = GetParam();
  std::vector<uint8_t> in(12);
  for (int i = 0; i < 12; ++i) in[static_cast<size_t>(i)] = static_cast<uint8_t>(i * 37 - 100);
  const auto out = RunGeneratedC(EmitC(m, SequentialLayout(m), "net"), {in}, opts);
  ASSERT_EQ(out.size(), 1u);
  const int32_t bias[3] = {-1000, 0, 7};
  for (int h = 0; h < 4; ++h) {
    for (int c = 0; c < 3; ++c) {
      int32_t acc = bias[c];
      for (int k = 0; k < 3; ++k) {
        const int ih = h + k - 1;
        if (ih >= 0 && ih < 4) acc += static_cast<int8_t>(in[static_cast<size_t>(ih * 3 + c)]);
      }
      acc = acc < -128 ? -128 : (acc > 127 ? 127 : acc);
      EXPECT_EQ(static_cast<int8_t>(out[0][static_cast<size_t>(h * 3 + c)]), acc) << h << "," << c;
    }
  }
}

TEST_P(CompileAndRun, ModelWithoutInputsOutputsOrKernelsIsWarningFree) {
  LoweredModel m;  // what an empty graph lowers to: the entry point must still compile with -Werror
  HostCompileOptions opts;
  opts.compiler = GetParam();
  const GeneratedC c = EmitC(m, SequentialLayout(m), "empty");
  EXPECT_THAT(c.source, HasSubstr("(void)arena;"));
  EXPECT_TRUE(RunGeneratedC(c, {}, opts).empty());
}

INSTANTIATE_TEST_SUITE_P(Compilers, CompileAndRun, ::testing::Values("gcc", "clang"));

}  // namespace
}  // namespace tinyfuse::codegen
