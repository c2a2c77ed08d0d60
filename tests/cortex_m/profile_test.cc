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
#include <fstream>
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

// Per-owner counts from QEMU's own execution log, independent of the plugin: with one instruction per
// translation block (-singlestep) and no chaining, `-d exec` logs every executed instruction's PC. The
// same attribution rule as documented in cortex_m.h (unranged code goes to the owner that ran last).
std::vector<uint64_t> CountsFromExecLog(const std::string& log_path, const CortexMProgram& program,
                                        const std::vector<std::pair<std::string, int>>& owners, size_t num_owners) {
  std::vector<CortexMRange> ranges;
  for (const CortexMFunction& f : program.functions) {
    for (const auto& [name, owner] : owners) {
      if (f.name == name || f.name.rfind(name + ".", 0) == 0) ranges.push_back({f.address, f.address + f.size, owner});
    }
  }
  std::vector<uint64_t> counts(num_owners, 0);
  std::ifstream log(log_path);
  bool in_region = false;
  int owner = 0;
  for (std::string line; std::getline(log, line);) {
    const size_t slash = line.find('/');
    if (line.rfind("Trace", 0) != 0 || slash == std::string::npos) continue;
    const uint64_t pc = std::stoull(line.substr(slash + 1, 8), nullptr, 16) & ~uint64_t{1};
    if (pc == program.marker_start) in_region = true;
    if (pc == program.marker_end) break;
    if (!in_region) continue;
    for (const CortexMRange& r : ranges) {
      if (pc >= r.begin && pc < r.end) owner = r.owner;
    }
    counts[static_cast<size_t>(owner)] += 1;
  }
  return counts;
}

TEST(CortexMProfile, HelloWorldCountsMatchQemusExecutionLog) {
  const std::string shared = SharedDirFromEnv();
  SKIP_WITHOUT_TOOLCHAIN_OR_CORPUS(shared);
  const Graph g = LoadModel(GoldenModelPath(shared, GoldenCorpus::kClassifier, "hello_world_int8"));
  CompileOptions co;
  co.dsp = DspOfTarget("cortex-m4");
  const CompiledModel m = Compile(g, co);
  const fs::path dir = fs::temp_directory_path() / ("tinyfuse-profile-log-" + std::to_string(::getpid()));
  fs::create_directories(dir / "gen");
  codegen::WriteGeneratedC(m.c, (dir / "gen").string());
  CortexMOptions o;
  o.work_dir = (dir / "build").string();
  const CortexMModel model = CortexMModel::Build((dir / "gen").string(), m.c.prefix, o);
  const ModelProfile p = ProfileBuiltModel(g, m, model, {std::vector<uint8_t>{17}});

  // The run above left input0.bin in the work directory; run the same ELF again, logging every instruction.
  const std::string command = "cd '" + model.dir() +
                              "' && timeout 120 qemu-system-arm -M mps2-an386 -cpu cortex-m4 -nographic -monitor "
                              "none -serial null -icount shift=0 -singlestep -d exec,nochain -D exec.log "
                              "-semihosting-config enable=on,target=native -kernel app.elf >qemu.log 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  std::vector<std::pair<std::string, int>> owners = {{m.c.prefix + "_invoke", 0}};
  for (size_t i = 0; i < m.lowered.kernels.size(); ++i) {
    owners.push_back({m.c.prefix + "_" + m.lowered.kernels[i].func.name, static_cast<int>(i) + 1});
  }
  const std::vector<uint64_t> logged =
      CountsFromExecLog((fs::path(model.dir()) / "exec.log").string(), model.program(), owners, owners.size());
  std::error_code ignored;
  fs::remove_all(dir, ignored);

  ASSERT_EQ(p.kernels.size() + 1, logged.size());
  EXPECT_EQ(p.glue.instructions, logged[0]);
  for (size_t i = 0; i < p.kernels.size(); ++i) EXPECT_EQ(p.kernels[i].counts.instructions, logged[i + 1]) << i;
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
