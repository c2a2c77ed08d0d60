// Every shared model (../shared/models, found through TINYFUSE_SHARED_DIR; skipped loudly when absent),
// compiled to C, built with the host compiler (-O2, -Werror -pedantic) and run on every case of
// goldens/MANIFEST.tsv: output bytes must equal the golden bytes (tolerance zero). The arithmetic is
// ChooseArith's (TFLite Micro for int8 models, TFLite for the uint8 ones), as the goldens were made.
// Also: every kernel of every model has the workspace its kind allows (zero for conv, depthwise, FC,
// pooling and ADD: one loop nest with register accumulators).
#include <gtest/gtest.h>

#include <cstdlib>
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
#include "tflite/importer.h"

namespace tinyfuse::codegen {
namespace {

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string s;
  for (char c : info.param) s += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return s;
}

class SharedModel : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    shared_ = SharedDirFromEnv();
    if (shared_.empty()) GTEST_SKIP() << "TINYFUSE_SHARED_DIR is not set or has no goldens: shared-model test SKIPPED";
    graph_ = ImportTfliteFile(shared_ + "/models/" + GetParam() + ".tflite");
    arith_ = ChooseArith(graph_);
  }
  std::string shared_;
  Graph graph_;
  Arith arith_ = Arith::kTflm;
};

TEST_P(SharedModel, GeneratedCMatchesEveryGolden) {
  const auto manifest = ReadGoldenManifest(shared_);
  auto it = manifest.find(GetParam());
  ASSERT_NE(it, manifest.end()) << "no golden cases for " << GetParam();
  const loop::LoweredModel m = loop::LowerGraph(graph_, arith_);
  const GeneratedC c = EmitC(m, SequentialLayout(m), "model");
  const HostProgram prog = HostProgram::Build(c);
  int matched = 0;
  for (const GoldenCase& k : it->second) {
    const std::vector<uint8_t> input = ReadFileBytes(shared_ + "/goldens/" + k.input);
    const std::vector<uint8_t> want = ReadFileBytes(shared_ + "/goldens/" + k.output);
    const auto got = prog.Run({input});
    ASSERT_EQ(got.size(), 1u);
    int first = -1, count = 0;
    for (size_t i = 0; i < want.size() && i < got[0].size(); ++i) {
      if (got[0][i] != want[i]) {
        if (first < 0) first = static_cast<int>(i);
        ++count;
      }
    }
    EXPECT_EQ(count, 0) << GetParam() << " " << k.name << ": " << count << " of " << want.size()
                        << " bytes differ, first at " << first;
    matched += count == 0 && got[0].size() == want.size();
  }
  std::cout << "[ golden ] " << GetParam() << " (" << ArithName(arith_) << "): " << matched << "/" << it->second.size()
            << " cases byte-identical, " << m.kernels.size() << " kernels\n";
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
      EXPECT_EQ(w.scratch_bytes, 0) << GetParam() << " kernel " << k.func.name;
      EXPECT_LE(w.largest_allocate, 4) << GetParam() << " kernel " << k.func.name << ": only scalar accumulators";
    } else {
      // Softmax, MEAN, QUANTIZE, TRANSPOSE, PAD: at most one int32 row of their output's last axis.
      const Tensor& out = graph_.tensor(k.func.params.back()->tensor_id);
      EXPECT_LE(w.scratch_bytes, 4 * static_cast<int64_t>(out.shape.empty() ? 1 : out.shape.back()))
          << GetParam() << " kernel " << k.func.name;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Shared, SharedModel, ::testing::ValuesIn(GoldenModelNames()), TestName);

}  // namespace
}  // namespace tinyfuse::codegen
