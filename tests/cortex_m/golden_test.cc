// Whole shared models on the emulated Cortex-M4 against the goldens (../shared/goldens through
// TINYFUSE_SHARED_DIR): `tinyfuse compile MODEL -o DIR --name m` as a user runs it (the built CLI, or
// $TINYFUSE_CLI), one ELF per model, every MANIFEST.tsv case run on mps2-an386, output bytes equal
// (tolerance zero). Prints per model the instructions per inference, flash and RAM, which the benchmark
// compares with TFLite Micro's.
//
// Skips loudly: without the toolchain (fails instead when TINYFUSE_REQUIRE_CORTEX_M is set) or the corpus
// (fails when TINYFUSE_REQUIRE_SHARED is set); while the CLI has no `compile` command; for a model whose
// compile says an op's lowering "is not implemented yet"; and, for the larger models only, when the model
// does not fit the board's 4 MiB of flash or RAM. Any other failure fails.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/error.h"
#include "driver/cortex_m.h"
#include "driver/goldens.h"

namespace tinyfuse {
namespace {

namespace fs = std::filesystem;

// The models the Cortex-M target must run (issue 5); the others are tried where the board allows.
const std::set<std::string> kMustFit = {
    "vww_96_int8",      "person_detect",          "pretrainedResnet_quant", "ad01_int8",
    "str_ww_ref_model", "micro_speech_quantized", "hello_world_int8",       "mobilenet_v1_0.25_128_quant",
};

bool Required(const char* env) {
  const char* v = std::getenv(env);
  return v != nullptr && *v != '\0' && std::string(v) != "0";
}

std::vector<uint8_t> ReadBytes(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw Error("cannot read " + path.string());
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// Runs a shell command with its output in `log`; returns the exit status.
int Shell(const std::string& command, const fs::path& log) {
  int rc = std::system((command + " >" + log.string() + " 2>&1").c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

std::string ReadText(const fs::path& path) {
  std::ifstream f(path);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "tinyfuse-cm-golden-XXXXXX").string();
    EXPECT_NE(mkdtemp(pattern.data()), nullptr);
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

class CortexMGolden : public testing::TestWithParam<GoldenModel> {};

TEST_P(CortexMGolden, OutputsEqualGoldens) {
  const std::string model = GetParam().name;
  const GoldenCorpus corpus = GetParam().corpus;
  std::string why;
  if (!CortexMToolchainAvailable(&why)) {
    if (Required("TINYFUSE_REQUIRE_CORTEX_M")) FAIL() << "Cortex-M toolchain absent: " << why;
    std::fprintf(stderr, "*** SKIPPING Cortex-M golden test: toolchain absent: %s\n", why.c_str());
    GTEST_SKIP() << "Cortex-M toolchain absent: " << why;
  }
  const std::string shared = SharedDirFromEnv();
  if (shared.empty()) {
    if (Required("TINYFUSE_REQUIRE_SHARED")) FAIL() << "the shared golden corpus is absent";
    GTEST_SKIP() << "SKIPPED LOUDLY: the shared golden corpus is absent (set TINYFUSE_SHARED_DIR)";
  }
  const char* cli_env = std::getenv("TINYFUSE_CLI");  // e.g. an installed tinyfuse
  const std::string cli = cli_env != nullptr && *cli_env != '\0' ? cli_env : TINYFUSE_CLI;
  ScratchDir scratch;
  const fs::path gen = scratch.path() / "gen";
  Shell("'" + cli + "' --help", scratch.path() / "help.log");
  if (ReadText(scratch.path() / "help.log").find("\n  compile ") == std::string::npos) {
    GTEST_SKIP() << "SKIPPED LOUDLY: " << cli << " has no `compile` command yet";
  }
  const fs::path model_file = GoldenModelPath(shared, corpus, model);
  if (Shell("timeout 900 '" + cli + "' compile '" + model_file.string() + "' -o '" + gen.string() +
                "' --name m",
            scratch.path() / "compile.log") != 0) {
    std::string log = ReadText(scratch.path() / "compile.log");
    if (log.find("not implemented yet") != std::string::npos) {
      GTEST_SKIP() << "SKIPPED LOUDLY: " << log.substr(0, log.find('\n'));
    }
    FAIL() << "tinyfuse compile failed: " << log;
  }

  CortexMOptions options;  // cortex-m4 on mps2-an386, the board's whole memories
  std::optional<CortexMModel> target;
  try {
    target.emplace(CortexMModel::Build(gen.string(), "m", options));
  } catch (const Error& e) {
    std::string message = e.what();
    if (!kMustFit.count(model) && message.find("does not fit") != std::string::npos) {
      GTEST_SKIP() << "SKIPPED LOUDLY: " << message;
    }
    FAIL() << message;
  }
  const std::vector<GoldenCase> cases = ReadGoldenManifest(shared, corpus)[model];
  ASSERT_FALSE(cases.empty()) << "claimed model " << model << " has no golden cases";
  const fs::path goldens = GoldenDir(shared, corpus);
  for (const GoldenCase& c : cases) {
    std::vector<std::vector<uint8_t>> inputs;
    for (const std::string& f : c.inputs) inputs.push_back(ReadBytes(goldens / f));
    CortexMResult r = target->Run(inputs);
    ASSERT_EQ(r.outputs.size(), c.outputs.size()) << model;
    for (size_t k = 0; k < c.outputs.size(); ++k) {
      EXPECT_TRUE(r.outputs[k] == ReadBytes(goldens / c.outputs[k])) << model << " " << c.name << " output " << k;
    }
    if (&c == &cases.front()) {
      std::printf(
          "cortex-m4 %s: %llu instructions, flash %lld bytes (code %lld), RAM %lld bytes "
          "(arena %lld, stack %lld)\n",
          model.c_str(), static_cast<unsigned long long>(r.instructions),
          static_cast<long long>(r.flash_bytes), static_cast<long long>(r.text_bytes),
          static_cast<long long>(r.ram_bytes), static_cast<long long>(r.arena_bytes),
          static_cast<long long>(r.stack_bytes));
      RecordProperty("instructions", std::to_string(r.instructions));
      RecordProperty("flash_bytes", std::to_string(r.flash_bytes));
      RecordProperty("ram_bytes", std::to_string(r.ram_bytes));
    }
  }
}

std::string ModelTestName(const testing::TestParamInfo<GoldenModel>& info) {
  std::string name = info.param.name;
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Models, CortexMGolden, testing::ValuesIn(ClaimedGoldenModels(TINYFUSE_BREADTH_CLAIMS)),
                         ModelTestName);

}  // namespace
}  // namespace tinyfuse
