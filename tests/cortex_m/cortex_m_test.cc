// The Cortex-M runner end to end on QEMU: hand-written models that follow the generated C contract
// round-trip bytes, the counting plugin's exact count on a known program, the flash/RAM/stack limits,
// timeouts and faults. Every test skips, saying what is missing, when the ARM toolchain or QEMU is absent.
#include "driver/cortex_m.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "common/error.h"

namespace tinyfuse {
namespace {

namespace fs = std::filesystem;

const fs::path kData = TINYFUSE_CORTEX_M_TESTDATA;

// Skips, saying what is missing, when the toolchain is absent; fails instead when the environment sets
// TINYFUSE_REQUIRE_CORTEX_M (CI, which installs it).
#define SKIP_WITHOUT_CORTEX_M_TOOLCHAIN()                                                      \
  do {                                                                                         \
    std::string why;                                                                           \
    if (!CortexMToolchainAvailable(&why)) {                                                    \
      const char* required = std::getenv("TINYFUSE_REQUIRE_CORTEX_M");                         \
      if (required != nullptr && *required != '\0' && std::string(required) != "0") {          \
        FAIL() << "Cortex-M toolchain absent: " << why;                                        \
      }                                                                                        \
      std::fprintf(stderr, "*** SKIPPING Cortex-M test: toolchain absent: %s\n", why.c_str()); \
      GTEST_SKIP() << "Cortex-M toolchain absent: " << why;                                    \
    }                                                                                          \
  } while (0)

// A fresh directory under the system temp dir, removed at the end of the test.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "tinyfuse-cm-test-XXXXXX").string();
    EXPECT_NE(mkdtemp(pattern.data()), nullptr);
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  std::string str() const { return path_.string(); }

 private:
  fs::path path_;
};

// Runs `body`, expecting tinyfuse::Error; returns its message (empty if nothing was thrown).
template <typename F>
std::string ErrorOf(F body) {
  try {
    body();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::vector<uint8_t> Bytes(std::initializer_list<int> values) {
  std::vector<uint8_t> out;
  for (int v : values) out.push_back(static_cast<uint8_t>(v));
  return out;
}

const std::vector<std::vector<uint8_t>> kAddOneInputs = {
    Bytes({0, 1, -1, 5, -128, 127, 126, 100, -100, 42, -42, 7, 8, 9, 10, 11}),
    Bytes({0, 1, 128, 254, 255}),
};
const std::vector<std::vector<uint8_t>> kAddOneOutputs = {
    Bytes({1, 2, 0, 6, -127, 127, 127, 101, -99, 43, -41, 8, 9, 10, 11, 12}),
    Bytes({1, 2, 129, 255, 0}),
};

class CortexMCoreTest : public testing::TestWithParam<std::string> {};

TEST_P(CortexMCoreTest, ContractModelRoundTripsBytes) {
  SKIP_WITHOUT_CORTEX_M_TOOLCHAIN();
  CortexMOptions options;
  options.cpu = GetParam();
  CortexMResult r = RunOnCortexM((kData / "add_one").string(), "addone", kAddOneInputs, options);
  EXPECT_EQ(r.outputs, kAddOneOutputs);
  EXPECT_EQ(r.arena_bytes, 48);
  EXPECT_GT(r.instructions, 20u);  // 21 values, at least one instruction each
  EXPECT_LT(r.instructions, 1000u);
  EXPECT_GT(r.flash_bytes, r.text_bytes);
  EXPECT_GT(r.text_bytes, 0);
  EXPECT_GT(r.stack_bytes, 0);
  EXPECT_LT(r.stack_bytes, 1024);
  EXPECT_LE(r.invoke_stack_bytes, r.stack_bytes);
  EXPECT_GE(r.ram_bytes, r.arena_bytes + r.stack_bytes);
  EXPECT_TRUE(r.work_dir.empty());
}

TEST_P(CortexMCoreTest, InstructionCountIsDeterministic) {
  SKIP_WITHOUT_CORTEX_M_TOOLCHAIN();
  CortexMOptions options;
  options.cpu = GetParam();
  CortexMResult a = RunOnCortexM((kData / "add_one").string(), "addone", kAddOneInputs, options);
  CortexMResult b = RunOnCortexM((kData / "add_one").string(), "addone", kAddOneInputs, options);
  EXPECT_EQ(a.instructions, b.instructions);
}

// count_loop.S documents both numbers instruction by instruction.
TEST_P(CortexMCoreTest, PluginCountsKnownProgramExactly) {
  SKIP_WITHOUT_CORTEX_M_TOOLCHAIN();
  ScratchDir dir;
  CortexMOptions options;
  options.cpu = GetParam();
  CortexMProgram program = BuildCortexMProgram({(kData / "count_loop.S").string()}, {}, dir.str(), options);
  CortexMRun run = RunCortexMProgram(program, dir.str(), options);
  EXPECT_EQ(run.exit_status, 0) << run.log;
  EXPECT_EQ(run.regions, (std::vector<uint64_t>{5003, 17}));
  EXPECT_GT(run.total_instructions, 5003u + 17u);
}

INSTANTIATE_TEST_SUITE_P(Cores, CortexMCoreTest, testing::Values("cortex-m4", "cortex-m7", "cortex-m55"));

// The range of function `name` of `program` with owner `owner`.
CortexMRange RangeOf(const CortexMProgram& program, const std::string& name, int owner) {
  for (const CortexMFunction& f : program.functions) {
    if (f.name == name) return {f.address, f.address + f.size, owner};
  }
  ADD_FAILURE() << "no function " << name;
  return {};
}

// profile_kernels.S derives every figure instruction by instruction.
TEST(CortexMTest, ProfileModeAttributesKnownProgramExactly) {
  SKIP_WITHOUT_CORTEX_M_TOOLCHAIN();
  ScratchDir dir;
  CortexMOptions options;
  CortexMProgram program = BuildCortexMProgram({(kData / "profile_kernels.S").string()}, {}, dir.str(), options);
  const std::vector<CortexMRange> ranges = {RangeOf(program, "main", 0), RangeOf(program, "kernel_a", 1),
                                            RangeOf(program, "kernel_b", 2)};
  CortexMRun run = RunCortexMProgram(program, dir.str(), options, ranges);
  EXPECT_EQ(run.exit_status, 0) << run.log;
  ASSERT_EQ(run.regions, (std::vector<uint64_t>{54}));
  ASSERT_EQ(run.owners.size(), 3u);
  const CortexMOwnerCounts& glue = run.owners[0];
  const CortexMOwnerCounts& a = run.owners[1];
  const CortexMOwnerCounts& b = run.owners[2];
  EXPECT_EQ(glue.instructions, 4u);
  EXPECT_EQ(glue.branch, 4u);
  EXPECT_EQ(glue.taken_branch, 4u);
  EXPECT_EQ(glue.cycles_estimate, 12u);
  EXPECT_EQ(a.instructions, 46u);
  EXPECT_EQ(a.load_store, 11u);
  EXPECT_EQ(a.multiply, 10u);
  EXPECT_EQ(a.divide, 1u);
  EXPECT_EQ(a.branch, 13u);
  EXPECT_EQ(a.taken_branch, 12u);
  EXPECT_EQ(a.cycles_estimate, 90u);
  EXPECT_EQ(b.instructions, 4u);
  EXPECT_EQ(b.multiply, 1u);
  EXPECT_EQ(b.divide, 1u);
  EXPECT_EQ(b.load_store, 1u);
  EXPECT_EQ(b.branch, 1u);
  EXPECT_EQ(b.taken_branch, 1u);
  EXPECT_EQ(b.cycles_estimate, 20u);

  // Without ranges the same program counts the same region.
  CortexMRun plain = RunCortexMProgram(program, dir.str(), options);
  EXPECT_EQ(plain.regions, run.regions);
  EXPECT_TRUE(plain.owners.empty());
}

TEST(CortexMTest, ProfileRangesMustBeValid) {
  SKIP_WITHOUT_CORTEX_M_TOOLCHAIN();
  ScratchDir dir;
  CortexMOptions options;
  CortexMProgram program = BuildCortexMProgram({(kData / "profile_kernels.S").string()}, {}, dir.str(), options);
  EXPECT_NE(ErrorOf([&] { RunCortexMProgram(program, dir.str(), options, {{8, 4, 0}}); }), "");
}

TEST(CortexMTest, OneBuildRunsManyInputs) {
  SKIP_WITHOUT_CORTEX_M_TOOLCHAIN();
  CortexMModel model = CortexMModel::Build((kData / "add_one").string(), "addone", CortexMOptions());
  EXPECT_TRUE(model.program().has_markers);
  EXPECT_EQ(model.Run(kAddOneInputs).outputs, kAddOneOutputs);
  // A failed run leaves no file behind that the next run could mistake for its own.
  EXPECT_NE(ErrorOf([&] { model.Run({kAddOneInputs[0], kAddOneInputs[1], Bytes({0})}); }), "");
  std::vector<std::vector<uint8_t>> zeros = {std::vector<uint8_t>(16, 0), std::vector<uint8_t>(5, 0)};
  CortexMResult r = model.Run(zeros);
  EXPECT_EQ(r.outputs,
            (std::vector<std::vector<uint8_t>>{std::vector<uint8_t>(16, 1), std::vector<uint8_t>(5, 1)}));
  std::string dir = model.dir();
  EXPECT_TRUE(fs::is_directory(dir));
  { CortexMModel moved = std::move(model); }
  EXPECT_FALSE(fs::exists(dir));
}

// The comma checks that paths reach QEMU's -plugin option escaped.
TEST(CortexMTest, KeepsWorkDirWithElfAndMapWhenAsked) {
  SKIP_WITHOUT_CORTEX_M_TOOLCHAIN();
  ScratchDir scratch;
  std::string dir = scratch.str() + "/with,comma";
  CortexMOptions options;
  options.work_dir = dir;
  CortexMResult r = RunOnCortexM((kData / "add_one").string(), "addone", kAddOneInputs, options);
  EXPECT_EQ(r.outputs, kAddOneOutputs);
  EXPECT_EQ(r.work_dir, dir);
  EXPECT_TRUE(fs::is_regular_file(dir + "/app.elf"));
  EXPECT_TRUE(fs::is_regular_file(dir + "/app.map"));
  EXPECT_TRUE(fs::is_regular_file(dir + "/icount.txt"));
}

TEST(CortexMTest, FlashOverflowNamesFlashAndTheExactExcess) {
  SKIP_WITHOUT_CORTEX_M_TOOLCHAIN();
  CortexMOptions options;
  CortexMResult fits = RunOnCortexM((kData / "big").string(), "big", {Bytes({1, 2, 3, 4})}, options);
  EXPECT_EQ(fits.outputs[0], Bytes({2, 4, 6, 8}));
  EXPECT_GT(fits.rodata_bytes, 300000);

  options.flash_size = 256 * 1024;
  std::string message = ErrorOf([&] {
    RunOnCortexM((kData / "big").string(), "big", {Bytes({1, 2, 3, 4})}, options);
  });
  std::string excess = std::to_string(fits.flash_bytes - options.flash_size);
  EXPECT_EQ(message, "cortex-m4: the program does not fit: flash overflowed by " + excess +
                         " bytes (limit 262144 bytes)");
}

TEST(CortexMTest, RamOverflowNamesRamAndTheExactExcess) {
  SKIP_WITHOUT_CORTEX_M_TOOLCHAIN();
  ScratchDir dir;
  CortexMOptions options;
  options.work_dir = dir.str();
  CortexMResult fits = RunOnCortexM((kData / "big").string(), "big", {Bytes({1, 2, 3, 4})}, options);
  int64_t needed = fits.ram_bytes - fits.stack_bytes + options.stack_size;  // data + bss + stack

  options.ram_size = 128 * 1024;
  std::string message = ErrorOf([&] {
    RunOnCortexM((kData / "big").string(), "big", {Bytes({1, 2, 3, 4})}, options);
  });
  EXPECT_EQ(message, "cortex-m4: the program does not fit: RAM overflowed by " +
                         std::to_string(needed - options.ram_size) +
                         " bytes (limit 131072 bytes, 16384-byte stack included)");
}

TEST(CortexMTest, BothOverflowsInOneLine) {
  SKIP_WITHOUT_CORTEX_M_TOOLCHAIN();
  CortexMOptions options;
  options.flash_size = 64 * 1024;
  options.ram_size = 64 * 1024;
  std::string message = ErrorOf([&] {
    RunOnCortexM((kData / "big").string(), "big", {Bytes({1, 2, 3, 4})}, options);
  });
  EXPECT_NE(message.find("flash overflowed by"), std::string::npos) << message;
  EXPECT_NE(message.find("; RAM overflowed by"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(CortexMTest, LimitsBeyondTheBoardAreRejected) {
  CortexMOptions options;
  options.flash_size = 5 * 1024 * 1024;
  EXPECT_EQ(ErrorOf([&] { BuildCortexMProgram({}, {}, "/nonexistent", options); }),
            "--flash-size 5242880 exceeds the 4 MiB of flash that cortex-m4 (mps2-an386) has");
  options.flash_size = 0;
  options.ram_size = 17 * 1024 * 1024;
  EXPECT_EQ(ErrorOf([&] { BuildCortexMProgram({}, {}, "/nonexistent", options); }),
            "--ram-size 17825792 exceeds the 16 MiB of RAM that cortex-m4 (mps2-an386) has");
}

TEST(CortexMTest, LargeRamUsesTheBoardsBiggerMemory) {
  SKIP_WITHOUT_CORTEX_M_TOOLCHAIN();
  CortexMOptions options;
  options.ram_size = 8 * 1024 * 1024;  // more than SSRAM2/3: the PSRAM at 0x21000000
  CortexMResult r = RunOnCortexM((kData / "add_one").string(), "addone", kAddOneInputs, options);
  EXPECT_EQ(r.outputs, kAddOneOutputs);
}

TEST(CortexMTest, ParsesMemorySizes) {
  EXPECT_EQ(ParseMemorySize("65536"), 65536);
  EXPECT_EQ(ParseMemorySize("320K"), 320 * 1024);
  EXPECT_EQ(ParseMemorySize("320KiB"), 320 * 1024);
  EXPECT_EQ(ParseMemorySize("1M"), 1024 * 1024);
  EXPECT_EQ(ParseMemorySize("2MiB"), 2 * 1024 * 1024);
  for (const char* bad : {"", "0", "-1", "1.5M", "1G", "12KB", "K", "99999999999999M"}) {
    EXPECT_EQ(ErrorOf([&] { ParseMemorySize(bad); }),
              "bad memory size '" + std::string(bad) + "' (want bytes, or a number with K, KiB, M or MiB)");
  }
}

TEST(CortexMTest, UnknownCoreIsAnError) {
  CortexMOptions options;
  options.cpu = "cortex-m99";
  EXPECT_EQ(ErrorOf([&] { RunOnCortexM(kData / "add_one", "addone", kAddOneInputs, options); }),
            "unknown Cortex-M core 'cortex-m99' (known: cortex-m4, cortex-m7, cortex-m55)");
}

TEST(CortexMTest, WrongInputSizeIsReportedByTheHarness) {
  SKIP_WITHOUT_CORTEX_M_TOOLCHAIN();
  std::vector<std::vector<uint8_t>> inputs = {Bytes({1, 2, 3}), kAddOneInputs[1]};
  EXPECT_EQ(ErrorOf([&] { RunOnCortexM(kData / "add_one", "addone", inputs, CortexMOptions()); }),
            "cortex-m4 (mps2-an386): harness: wrong size of input 0 (3 bytes given, the model takes "
            "16)");
}

TEST(CortexMTest, TooManyInputsIsReportedByTheHarness) {
  SKIP_WITHOUT_CORTEX_M_TOOLCHAIN();
  std::vector<std::vector<uint8_t>> inputs = kAddOneInputs;
  inputs.push_back(Bytes({1}));
  EXPECT_EQ(ErrorOf([&] { RunOnCortexM(kData / "add_one", "addone", inputs, CortexMOptions()); }),
            "cortex-m4 (mps2-an386): harness: too many inputs: the model takes 2");
}

TEST(CortexMTest, StackDepthOfInvokeIsMeasured) {
  SKIP_WITHOUT_CORTEX_M_TOOLCHAIN();
  std::vector<uint8_t> in = Bytes({0, 1, 2, 3, 4, 5, 6, 7});
  CortexMResult r = RunOnCortexM(kData / "deep_stack", "deep", {in}, CortexMOptions());
  EXPECT_EQ(r.outputs[0], Bytes({2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_GE(r.invoke_stack_bytes, 3000);
  EXPECT_LT(r.invoke_stack_bytes, 3200);
  EXPECT_GE(r.stack_bytes, r.invoke_stack_bytes);
}

TEST(CortexMTest, StackOverflowIsAnError) {
  SKIP_WITHOUT_CORTEX_M_TOOLCHAIN();
  CortexMOptions options;
  options.stack_size = 2048;
  std::vector<uint8_t> in = Bytes({0, 1, 2, 3, 4, 5, 6, 7});
  EXPECT_EQ(ErrorOf([&] { RunOnCortexM(kData / "deep_stack", "deep", {in}, options); }),
            "cortex-m4 (mps2-an386): the stack overflowed its 2048-byte reservation; raise the "
            "stack size");
}

TEST(CortexMTest, HangingProgramHitsTheTimeout) {
  SKIP_WITHOUT_CORTEX_M_TOOLCHAIN();
  ScratchDir dir;
  CortexMOptions options;
  options.timeout_s = 2;
  CortexMProgram program = BuildCortexMProgram({(kData / "hang.S").string()}, {}, dir.str(), options);
  EXPECT_EQ(ErrorOf([&] { RunCortexMProgram(program, dir.str(), options); }),
            "cortex-m4 (mps2-an386): QEMU did not finish within 2 s (raise the timeout, or the "
            "program hangs)");
}

TEST(CortexMTest, FaultExitsWithTheExceptionNumber) {
  SKIP_WITHOUT_CORTEX_M_TOOLCHAIN();
  ScratchDir dir;
  CortexMOptions options;
  CortexMProgram program = BuildCortexMProgram({(kData / "fault.S").string()}, {}, dir.str(), options);
  CortexMRun run = RunCortexMProgram(program, dir.str(), options);
  EXPECT_EQ(run.exit_status, 103);  // HardFault
  EXPECT_NE(run.log.find("exception 03"), std::string::npos) << run.log;
}

}  // namespace
}  // namespace tinyfuse
