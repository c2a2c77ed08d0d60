// SOFTMAX: generated C against the interpreter, tolerance zero, both dtypes and both arithmetic flavours
// (TFLite Micro's fixed point, TFLite's float table): rows of 1, 2, 10 and 1001 classes, one and several
// rows, input scales from tiny (every exp near 1: sums of 512 and more, the exponent-32 path) to large
// (most exps 0), beta != 1, saturated inputs, and a chained QUANTIZE. The float flavour is also compiled
// in GNU mode with FMA enabled (-std=gnu99 -mfma -ffp-contract=fast for gcc), where only the emitted
// no-contraction pragma keeps `table * inv + 0.5f` from becoming an FMA; the assembly is checked for it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "codegen/c_emitter.h"
#include "differential.h"
#include "loop/lower.h"
#include "op_models.h"
#include "test_models.h"

namespace tinyfuse::loopops {
namespace {

using codegen::DiffAgainstInterpreter;
using codegen::DiffOptions;

Graph Sweep(DType dtype) {
  std::vector<Graph> parts;
  auto add = [&](std::vector<int32_t> shape, float scale, int32_t zp, float beta, bool then) {
    SoftmaxCase c;
    c.dtype = dtype;
    c.shape = std::move(shape);
    c.input_scale = scale;
    c.input_zp = zp;
    c.beta = beta;
    if (then) c.then = Requant{true, dtype == DType::kInt8 ? DType::kUInt8 : DType::kInt8, 0.004f, 3};
    parts.push_back(SoftmaxModel(c));
  };
  const int32_t zp = dtype == DType::kInt8 ? -10 : 120;
  for (int32_t depth : {1, 2, 10, 1001}) {
    add({1, depth}, 0.1f, zp, 1.0f, false);
    add({3, depth}, 0.05f, zp, 1.0f, false);
    add({2, depth}, 0.0005f, zp, 1.0f, false);  // nearly flat rows: sums of many exps near 1
    add({2, depth}, 0.9f, zp, 1.0f, false);     // steep rows: most exps vanish
  }
  add({2, 1, 2, 10}, 0.1f, zp, 0.5f, false);
  add({4, 17}, 0.02f, zp, 2.0f, false);
  add({2, 600}, 0.001f, zp, 1.0f, false);
  add({2, 12}, 0.1f, zp, 1.0f, true);
  return testmodels::Bundle(parts);
}

class SoftmaxDiff : public ::testing::TestWithParam<std::tuple<DType, Arith>> {};

TEST_P(SoftmaxDiff, MatchesInterpreter) {
  const auto [dtype, arith] = GetParam();
  const Graph g = Sweep(dtype);
  EXPECT_EQ(DiffAgainstInterpreter(g, arith, EdgeInputs(g, 3, 71)), "");
}

INSTANTIATE_TEST_SUITE_P(All, SoftmaxDiff,
                         ::testing::Combine(::testing::Values(DType::kInt8, DType::kUInt8),
                                            ::testing::Values(Arith::kTflm, Arith::kTflite)),
                         [](const auto& info) {
                           return std::string(DTypeName(std::get<0>(info.param))) + "_" +
                                  ArithName(std::get<1>(info.param));
                         });

bool HostHasFma() {
  std::ifstream f("/proc/cpuinfo");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("flags", 0) == 0) return line.find(" fma") != std::string::npos;
  }
  return false;
}

TEST(SoftmaxFloat, NoContractionInGnuModeWithFma) {
  if (!HostHasFma()) GTEST_SKIP() << "host CPU has no FMA";
  for (DType dtype : {DType::kUInt8, DType::kInt8}) {
    const Graph g = Sweep(dtype);
    DiffOptions gcc;
    gcc.compilers = {"gcc"};
    gcc.extra_flags = "-std=gnu99 -mfma -ffp-contract=fast";
    EXPECT_EQ(DiffAgainstInterpreter(g, Arith::kTflite, EdgeInputs(g, 3, 81), gcc), "");
    DiffOptions clang;  // clang's default contraction (within a statement) honours the pragma
    clang.compilers = {"clang"};
    clang.sanitize_clang = false;
    clang.extra_flags = "-std=gnu99 -mfma";
    EXPECT_EQ(DiffAgainstInterpreter(g, Arith::kTflite, EdgeInputs(g, 3, 81), clang), "");
  }
}

TEST(SoftmaxFloat, AssemblyHasNoFma) {
  SoftmaxCase c;
  c.dtype = DType::kUInt8;
  c.shape = {1, 1001};
  const Graph g = SoftmaxModel(c);
  const loop::LoweredModel m = loop::LowerGraph(g, Arith::kTflite);
  const codegen::GeneratedC gen = codegen::EmitC(m, codegen::SequentialLayout(m), "tf");
  ASSERT_NE(gen.source.find("fp-contract=off"), std::string::npos);
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "tinyfuse_softmax_fma";
  std::filesystem::create_directories(dir);
  codegen::WriteGeneratedC(gen, dir.string());
  for (const std::string cc : {"gcc -std=gnu99 -ffp-contract=fast", "clang -std=gnu99"}) {
    const std::string s = (dir / "tf.s").string();
    const std::string cmd = cc + " -O2 -mfma -Wall -Wextra -Werror -pedantic -S -o " + s + " " +
                            (dir / "tf.c").string() + " 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    std::ifstream f(s);
    std::stringstream text;
    text << f.rdbuf();
    EXPECT_EQ(text.str().find("vfmadd"), std::string::npos) << cc;
    EXPECT_NE(text.str().find("vmulss"), std::string::npos) << cc;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tinyfuse::loopops
