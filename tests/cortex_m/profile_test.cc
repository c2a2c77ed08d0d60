// `tinyfuse profile` end to end on the emulated Cortex-M4 with a shared model: the per-kernel counts plus
// glue sum exactly to the count of a normal run of the same generated C on the same input, every kernel
// is attributed code and instructions, and the figures are the IR's. Skips loudly without the toolchain
// (fails under TINYFUSE_REQUIRE_CORTEX_M) or the shared corpus (fails under TINYFUSE_REQUIRE_SHARED).
// The plugin's attribution itself is checked instruction by instruction in cortex_m_test.cc
// (ProfileModeAttributesKnownProgramExactly).
#include "driver/profile.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "codegen/c_emitter.h"
#include "common/error.h"
#include "driver/goldens.h"
#include "driver/io.h"
#include "driver/pipeline.h"
#include "graph/stats.h"

namespace tinyfuse {
namespace {

namespace fs = std::filesystem;

bool Required(const char* var) {
  const char* v = std::getenv(var);
  return v != nullptr && *v != '\0' && std::string(v) != "0";
}

#define SKIP_WITHOUT_TOOLCHAIN_OR_CORPUS(shared)                                           \
  do {                                                                                     \
    std::string why;                                                                       \
    if (!CortexMToolchainAvailable(&why)) {                                                \
      if (Required("TINYFUSE_REQUIRE_CORTEX_M")) FAIL() << "Cortex-M toolchain absent: " << why; \
      GTEST_SKIP() << "SKIPPED LOUDLY: Cortex-M toolchain absent: " << why;                \
    }                                                                                      \
    if ((shared).empty()) {                                                                \
      if (SharedRequired()) FAIL() << "the shared golden corpus is absent";                \
      GTEST_SKIP() << "SKIPPED LOUDLY: the shared corpus is absent (set TINYFUSE_SHARED_DIR)"; \
    }                                                                                      \
  } while (0)

TEST(CortexMProfile, HelloWorldKernelsSumToTheNormalRunsCount) {
  const std::string shared = SharedDirFromEnv();
  SKIP_WITHOUT_TOOLCHAIN_OR_CORPUS(shared);
  const std::string model = GoldenModelPath(shared, GoldenCorpus::kClassifier, "hello_world_int8");
  const Graph g = LoadModel(model);
  CompileOptions co;
  co.prefix = "hw";
  co.dsp = DspOfTarget("cortex-m4");
  const CompiledModel m = Compile(g, co);
  const std::vector<std::vector<uint8_t>> inputs = {
      ReadFileBytes((fs::path(GoldenDir(shared)) / "hello_world_int8" / "in1.bin").string())};
  CortexMOptions o;
  const ModelProfile p = ProfileOnCortexM(g, m, inputs, o);

  // A normal run: the same C, built without any profiling, counted between the markers only.
  const fs::path dir = fs::temp_directory_path() / ("tinyfuse-profile-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  codegen::WriteGeneratedC(m.c, dir.string());
  const CortexMResult normal = RunOnCortexM(dir.string(), "hw", inputs, o);
  std::error_code ignored;
  fs::remove_all(dir, ignored);

  ASSERT_EQ(p.kernels.size(), m.lowered.kernels.size());
  uint64_t sum = p.glue.instructions;
  uint64_t cycles = p.glue.cycles_estimate;
  const GraphStats stats = ComputeStats(g);
  int64_t macs = 0;
  for (size_t i = 0; i < p.kernels.size(); ++i) {
    const KernelProfile& k = p.kernels[i];
    SCOPED_TRACE(k.name);
    EXPECT_EQ(k.name, m.lowered.kernels[i].func.name);
    EXPECT_GT(k.counts.instructions, 0u);
    EXPECT_GT(k.code_bytes, 0);
    // Every instruction costs at least one cycle in the timing table.
    EXPECT_GE(k.counts.cycles_estimate, k.counts.instructions);
    EXPECT_LE(k.counts.taken_branch, k.counts.branch);
    sum += k.counts.instructions;
    cycles += k.counts.cycles_estimate;
    macs += k.macs;
  }
  EXPECT_EQ(sum, p.instructions);
  EXPECT_EQ(p.instructions, normal.instructions);
  EXPECT_EQ(cycles, p.cycles_estimate);
  EXPECT_EQ(macs, stats.total_macs);
  EXPECT_GT(p.glue.instructions, 0u);  // the harness's call and P_invoke itself
  EXPECT_GT(p.glue_code_bytes, 0);

  const std::string table = ProfileTable(p);
  EXPECT_NE(table.find("ESTIMATE"), std::string::npos);
  EXPECT_NE(table.find(p.kernels[0].name), std::string::npos);
  const std::string json = ProfileJson(p);
  EXPECT_NE(json.find("\"cycles_are_estimates\": true"), std::string::npos);
  EXPECT_NE(json.find("\"instructions\": " + std::to_string(p.instructions)), std::string::npos);
}

TEST(CortexMProfile, UnknownTargetIsAnError) {
  const std::string shared = SharedDirFromEnv();
  SKIP_WITHOUT_TOOLCHAIN_OR_CORPUS(shared);
  const Graph g = LoadModel(GoldenModelPath(shared, GoldenCorpus::kClassifier, "hello_world_int8"));
  const CompiledModel m = Compile(g, CompileOptions{});
  CortexMOptions o;
  o.cpu = "cortex-m0";
  EXPECT_THROW(ProfileOnCortexM(g, m, {std::vector<uint8_t>(1)}, o), Error);
}

}  // namespace
}  // namespace tinyfuse
