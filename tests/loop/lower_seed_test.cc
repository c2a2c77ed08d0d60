// The seed of tinyfuse (TVM issue 8717) as a test: the quantized depthwise conv of MobileNet v1 with its
// whole epilogue must be ONE loop nest over 8-bit tensors with a register accumulator. TVM's version of
// this layer allocated a padded int16 input copy (430592 x 2 bytes) and an int32 output copy
// (401408 x 4 bytes): 2,466,816 bytes of workspace.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "loop/lower.h"
#include "loop/visitor.h"
#include "loop/workspace.h"
#include "test_models.h"

namespace tinyfuse::loop {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kTvmWorkspaceBytes = 430592 * 2 + 401408 * 4;

class LowerSeed : public ::testing::TestWithParam<Arith> {};

TEST_P(LowerSeed, OneLoopNestPaddingAsConditionRegisterAccumulator) {
  // The kernel as lowering writes it (before the schedule passes): what `tinyfuse lower` explains.
  const LoweredModel m = LowerGraph(testmodels::SeedLayer(), GetParam(), {.schedule = false});
  ASSERT_EQ(m.kernels.size(), 1u);
  const Kernel& k = m.kernels[0];
  const std::string text = PrintKernel(k);
  // One loop nest: the body is a single outermost loop, the only store to the output is inside it.
  EXPECT_EQ(k.func.body->kind, StmtKind::kFor);
  const std::string requant = GetParam() == Arith::kTflm ? "@mbqm_double((acc[0] + bias[c]), 1175103104, -4)"
                                                         : "@requantize_float((acc[0] + bias[c]), ";
  EXPECT_THAT(text, HasSubstr("primfn dwconv2d_rq_n0(input: Buffer(uint8, [1, 56, 56, 128]), "
                              "output: Buffer(uint8, [1, 56, 56, 128])) {\n"
                              "  constants = {filter: Buffer(uint8, [1, 3, 3, 128]), bias: Buffer(int32, [128])}\n"
                              "  for (oy: int32, 0, 56) {\n"
                              "    for (ox: int32, 0, 56) {\n"
                              "      for (c: int32, 0, 128) {\n"
                              "        allocate(acc, int32, [1]) {\n"
                              "          acc[0] = 0\n"
                              "          for (ky: int32, 0, 3) {\n"
                              "            let iy: int32 = ((oy + ky) - 1)\n"
                              "            if (((0 <= iy) && (iy < 56))) {\n"
                              "              for (kx: int32, 0, 3) {\n"
                              "                let ix: int32 = ((ox + kx) - 1)\n"
                              "                if (((0 <= ix) && (ix < 56))) {\n"
                              "                  acc[0] = (acc[0] + ((cast(int32, input[((((iy * 56) + ix) * 128) + c)]) - "
                              "128) * (cast(int32, filter[((((ky * 3) + kx) * 128) + c)]) - 122)))\n"
                              "                }\n"
                              "              }\n"
                              "            }\n"
                              "          }\n"
                              "          output[((((oy * 56) + ox) * 128) + c)] = cast(uint8, @clamp("));
  EXPECT_THAT(text, HasSubstr(requant));
  // Workspace: nothing beyond the arena tensors; the accumulator is one int32 scalar.
  const KernelWorkspace w = AnalyzeWorkspace(k.func);
  EXPECT_EQ(w.scratch_bytes, 0);
  EXPECT_EQ(k.workspace_bytes, 0);
  EXPECT_EQ(w.scalars, 1);
  EXPECT_LE(w.largest_allocate, 4);
  EXPECT_EQ(w.input_bytes, 56 * 56 * 128);
  EXPECT_EQ(w.output_bytes, 56 * 56 * 128);
  EXPECT_THAT(text, HasSubstr("// workspace: 0 bytes (1 scalar in registers); arena: 401408 bytes in, 401408 bytes "
                              "out\n"));
  EXPECT_GT(kTvmWorkspaceBytes, 2400000);
}

// Counts the ifs of a statement.
int CountIfs(const Stmt& s) {
  struct Counter : IRVisitor {
    int n = 0;
    void VisitStmt(const Stmt& x) override {
      if (x && x->kind == StmtKind::kIfThenElse) ++n;
      IRVisitor::VisitStmt(x);
    }
  } c;
  c.VisitStmt(s);
  return c.n;
}

TEST_P(LowerSeed, ScheduledKernelTestsNoTapAndStillNeedsNoWorkspace) {
  const LoweredModel m = LowerGraph(testmodels::SeedLayer(), GetParam());
  ASSERT_EQ(m.kernels.size(), 1u);
  const Kernel& k = m.kernels[0];
  // partition-loops: five nests (top rows, left column, interior, right column, bottom rows); only the
  // interior one (54 x 54 of the 56 x 56 outputs) is free of tests.
  ASSERT_EQ(k.func.body->kind, StmtKind::kSeq);
  EXPECT_EQ(As<SeqNode>(k.func.body)->stmts.size(), 3u);  // oy: [0, 1), [1, 55), [55, 56)
  const std::string text = PrintKernel(k);
  EXPECT_THAT(text, HasSubstr("  for (oy: int32, 1, 54) {\n    for (ox: int32, 0, 1) {\n"));
  // register-block (register_block.h) then computes the interior's 54 columns two at a time (and two
  // channels per iteration): 27 iterations of a tap-test-free body.
  const size_t interior = text.find("    for (ox_1: int32, 0, 27) {\n");
  ASSERT_NE(interior, std::string::npos);
  const size_t right = text.find("    for (ox: int32, 55, 1) {\n", interior);
  EXPECT_EQ(text.substr(interior, right - interior).find("if ("), std::string::npos);
  EXPECT_EQ(CountIfs(k.func.body), 2 + 1 + 1 + 2);  // iy and ix tests at the top and bottom, ix at the sides
  const KernelWorkspace w = AnalyzeWorkspace(k.func);
  EXPECT_EQ(w.scratch_bytes, 0);
  EXPECT_LE(w.largest_allocate, 4);
}

INSTANTIATE_TEST_SUITE_P(Arith, LowerSeed, ::testing::Values(Arith::kTflm, Arith::kTflite),
                         [](const auto& info) { return std::string(ArithName(info.param)); });

}  // namespace
}  // namespace tinyfuse::loop
