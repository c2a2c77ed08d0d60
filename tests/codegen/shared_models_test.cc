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
#include "loop/lower.h"
#include "loop/workspace.h"
#include "tflite/importer.h"

namespace tinyfuse::codegen {
namespace {

std::string SharedDir() {
  const char* env = std::getenv("TINYFUSE_SHARED_DIR");
  if (env == nullptr || *env == '\0') return "";
  const std::string dir = env;
  return std::ifstream(dir + "/goldens/MANIFEST.tsv").good() ? dir : "";
}

std::vector<uint8_t> ReadBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

struct GoldenCase {
  std::string name, input, output;
};

// model -> its cases, from MANIFEST.tsv (columns: model, case, input_files, output_files, ...).
std::map<std::string, std::vector<GoldenCase>> Manifest(const std::string& shared) {
  std::map<std::string, std::vector<GoldenCase>> m;
  std::ifstream f(shared + "/goldens/MANIFEST.tsv");
  std::string line;
  std::getline(f, line);  // header
  while (std::getline(f, line)) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() >= 4) m[cols[0]].push_back({cols[1], cols[2], cols[3]});
  }
  return m;
}

const std::vector<std::string>& Models() {
  static const std::vector<std::string> kModels = {
      "hello_world_int8",       "micro_speech_quantized",      "ad01_int8",
      "str_ww_ref_model",       "person_detect",               "vww_96_int8",
      "pretrainedResnet_quant", "mobilenet_v1_0.25_128_quant", "mobilenet_v1_0.75_192_quant",
      "mobilenet_v2_1.0_224_quant", "tf2_mobilenet_v2_1.0_224_ptq", "mobilenet_v2_quantized_1x3x224x224"};
  return kModels;
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string s;
  for (char c : info.param) s += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return s;
}

class SharedModel : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    shared_ = SharedDir();
    if (shared_.empty()) GTEST_SKIP() << "TINYFUSE_SHARED_DIR is not set or has no goldens: shared-model test SKIPPED";
    graph_ = ImportTfliteFile(shared_ + "/models/" + GetParam() + ".tflite");
    arith_ = ChooseArith(graph_);
  }
  std::string shared_;
  Graph graph_;
  Arith arith_ = Arith::kTflm;
};

TEST_P(SharedModel, GeneratedCMatchesEveryGolden) {
  const auto manifest = Manifest(shared_);
  auto it = manifest.find(GetParam());
  ASSERT_NE(it, manifest.end()) << "no golden cases for " << GetParam();
  const loop::LoweredModel m = loop::LowerGraph(graph_, arith_);
  const GeneratedC c = EmitC(m, SequentialLayout(m), "model");
  const HostProgram prog = HostProgram::Build(c);
  int matched = 0;
  for (const GoldenCase& k : it->second) {
    const std::vector<uint8_t> input = ReadBytes(shared_ + "/goldens/" + k.input);
    const std::vector<uint8_t> want = ReadBytes(shared_ + "/goldens/" + k.output);
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

INSTANTIATE_TEST_SUITE_P(Shared, SharedModel, ::testing::ValuesIn(Models()), TestName);

}  // namespace
}  // namespace tinyfuse::codegen
