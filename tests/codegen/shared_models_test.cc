// Every classifier model (../shared/models) and every claimed breadth model (../shared/breadth/models, see
// tests/goldens/breadth_claims.txt), found through TINYFUSE_SHARED_DIR (skipped loudly when absent, a
// failure when TINYFUSE_REQUIRE_SHARED=1), compiled to C, built with the host compiler (-O2, -Werror
// -pedantic) and run on every case of its MANIFEST.tsv: every output's bytes must equal the golden bytes
// (tolerance zero). Unclaimed breadth models are tried and reported, one line each. The arithmetic is
// ChooseArith's (TFLite Micro for int8 models, TFLite for the uint8 ones), as the goldens were made.
// Also: every kernel of every model has the workspace its kind allows (zero for conv, depthwise, FC,
// pooling and ADD: one loop nest with register accumulators).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "codegen/c_emitter.h"
#include "codegen/host_runner.h"
#include "driver/goldens.h"
#include "driver/io.h"
#include "loop/lower.h"
#include "loop/workspace.h"
#include "driver/pipeline.h"
#include "tflite/importer.h"

namespace tinyfuse::codegen {
namespace {

std::string TestName(const ::testing::TestParamInfo<GoldenModel>& info) {
  std::string s;
  for (char c : info.param.name) s += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return s;
}

// Compiles `graph` to C and runs every case; returns the cases whose every output is byte-identical and
// describes the first failure in `*first_error`.
int RunCases(const Graph& graph, const std::string& dir, const std::vector<GoldenCase>& cases,
             std::string* first_error) {
  const loop::LoweredModel m = loop::LowerGraph(graph, ChooseArith(graph));
  const HostProgram prog = HostProgram::Build(EmitC(m, SequentialLayout(m), "model"));
  int matched = 0;
  for (const GoldenCase& k : cases) {
    std::vector<std::vector<uint8_t>> inputs;
    for (const std::string& f : k.inputs) inputs.push_back(ReadFileBytes(dir + "/" + f));
    const auto got = prog.Run(inputs);
    std::string error = got.size() == k.outputs.size() ? "" : std::to_string(got.size()) + " outputs";
    for (size_t o = 0; error.empty() && o < k.outputs.size(); ++o) {
      const std::vector<uint8_t> want = ReadFileBytes(dir + "/" + k.outputs[o]);
      int first = -1, count = 0;
      for (size_t i = 0; i < want.size() && i < got[o].size(); ++i) {
        if (got[o][i] != want[i]) {
          if (first < 0) first = static_cast<int>(i);
          ++count;
        }
      }
      if (count != 0 || got[o].size() != want.size()) {
        error = "output " + std::to_string(o) + ": " + std::to_string(count) + " of " + std::to_string(want.size()) +
                " bytes differ, first at " + std::to_string(first);
      }
    }
    if (error.empty()) {
      ++matched;
    } else if (first_error->empty()) {
      *first_error = k.name + " " + error;
    }
  }
  return matched;
}

class SharedModel : public ::testing::TestWithParam<GoldenModel> {
 protected:
  void SetUp() override {
    shared_ = SharedDirFromEnv();
    if (shared_.empty()) {
      if (SharedRequired()) GTEST_FAIL() << "TINYFUSE_REQUIRE_SHARED=1 but the shared golden corpus is absent";
      GTEST_SKIP() << "TINYFUSE_SHARED_DIR is not set or has no goldens: shared-model test SKIPPED";
    }
    graph_ = LoadModel(GoldenModelPath(shared_, GetParam().corpus, GetParam().name));  // verified, folded
    arith_ = ChooseArith(graph_);
  }
  std::string shared_;
  Graph graph_;
  Arith arith_ = Arith::kTflm;
};

TEST_P(SharedModel, GeneratedCMatchesEveryGolden) {
  const std::string& model = GetParam().name;
  const auto manifest = ReadGoldenManifest(shared_, GetParam().corpus);
  auto it = manifest.find(model);
  ASSERT_NE(it, manifest.end()) << "no golden cases for " << model;
  std::string first_error;
  const int matched = RunCases(graph_, GoldenDir(shared_, GetParam().corpus), it->second, &first_error);
  EXPECT_EQ(matched, static_cast<int>(it->second.size())) << model << ": first failure " << first_error;
  std::cout << "[ golden ] " << GoldenCorpusName(GetParam().corpus) << " " << model << " (" << ArithName(arith_)
            << "): " << matched << "/" << it->second.size() << " cases byte-identical\n";
}

// The breadth models not claimed: each is tried and reported in one line; none fails the test.
TEST(SharedModelUnclaimed, Report) {
  const std::string shared = SharedDirFromEnv();
  if (shared.empty()) GTEST_SKIP() << "SKIPPED LOUDLY: the shared golden corpus is absent";
  const std::vector<std::string> claims = ReadGoldenClaims(TINYFUSE_BREADTH_CLAIMS);
  const std::string dir = GoldenDir(shared, GoldenCorpus::kBreadth);
  for (const auto& [model, cases] : ReadGoldenManifest(shared, GoldenCorpus::kBreadth)) {
    if (std::find(claims.begin(), claims.end(), model) != claims.end()) continue;
    std::string error;
    try {
      const Graph g = LoadModel(GoldenModelPath(shared, GoldenCorpus::kBreadth, model));
      const int passed = RunCases(g, dir, cases, &error);
      if (error.empty()) error = "all " + std::to_string(passed) + " cases pass: claim it";
    } catch (const std::exception& e) {
      error = e.what();
    }
    std::cout << "not claimed: " << model << ": " << error << "\n";
  }
}

TEST_P(SharedModel, KernelWorkspaceWithinBounds) {
  const loop::LoweredModel m = loop::LowerGraph(graph_, arith_);
  for (const loop::Kernel& k : m.kernels) {
    const loop::KernelWorkspace w = loop::AnalyzeWorkspace(k.func);
    EXPECT_EQ(w.scratch_bytes, k.workspace_bytes) << k.func.name;
    bool must_be_zero = false;
    for (int op : k.ops) {
      switch (graph_.ops[static_cast<size_t>(op)].kind) {
        case OpKind::kConv2D:
        case OpKind::kDepthwiseConv2D:
        case OpKind::kFullyConnected:
        case OpKind::kAveragePool2D:
        case OpKind::kMaxPool2D:
        case OpKind::kAdd: must_be_zero = true; break;
        default: break;
      }
    }
    if (must_be_zero) {
      EXPECT_EQ(w.scratch_bytes, 0) << GetParam().name << " kernel " << k.func.name;
      EXPECT_LE(w.largest_allocate, 4) << GetParam().name << " kernel " << k.func.name << ": only scalar accumulators";
    } else {
      // Softmax, MEAN, QUANTIZE, TRANSPOSE, PAD: at most one int32 row of their output's last axis.
      const Tensor& out = graph_.tensor(k.func.params.back()->tensor_id);
      EXPECT_LE(w.scratch_bytes, 4 * static_cast<int64_t>(out.shape.empty() ? 1 : out.shape.back()))
          << GetParam().name << " kernel " << k.func.name;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Shared, SharedModel, ::testing::ValuesIn(ClaimedGoldenModels(TINYFUSE_BREADTH_CLAIMS)),
                         TestName);

}  // namespace
}  // namespace tinyfuse::codegen
