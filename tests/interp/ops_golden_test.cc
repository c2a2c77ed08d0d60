// Per-op golden check: every SOFTMAX, MEAN, PAD, QUANTIZE, TRANSPOSE and RESHAPE of the shared models is run
// alone on its golden input tensors (the in1 intermediates) and must reproduce its golden output tensor
// byte for byte, in the model's arithmetic flavour (ChooseArith: TFLite Micro for int8 weights, TFLite
// for the uint8 TF1 MobileNets), and, except MEAN, in the TFLite flavour for the int8 models too. Needs the shared corpus (TINYFUSE_SHARED_DIR, else /work/shared); skips
// loudly without it.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "interp/interpreter.h"
#include "tflite/importer.h"

namespace tinyfuse {
namespace {

namespace fs = std::filesystem;

fs::path SharedDir() {
  const char* env = std::getenv("TINYFUSE_SHARED_DIR");
  if (env != nullptr && *env != '\0' && fs::exists(fs::path(env) / "goldens")) return fs::path(env);
  if (fs::exists("/work/shared/goldens")) return "/work/shared";
  return {};
}

std::vector<uint8_t> ReadFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

bool IsMine(OpKind k) {
  return k == OpKind::kSoftmax || k == OpKind::kMean || k == OpKind::kPad || k == OpKind::kQuantize ||
         k == OpKind::kTranspose || k == OpKind::kReshape;
}

// A graph holding only `op` and copies of its tensors; the op's activation inputs become graph inputs.
Graph OneOpGraph(const Graph& g, const Op& op) {
  Graph sub;
  std::map<int, int> ids;
  auto map_id = [&](int id) {
    if (id < 0) return -1;
    auto it = ids.find(id);
    if (it != ids.end()) return it->second;
    const int nid = sub.AddTensor(g.tensor(id));
    ids[id] = nid;
    return nid;
  };
  Op copy = op;
  for (int& id : copy.inputs) {
    const int old = id;
    id = map_id(old);
    if (old >= 0 && !g.tensor(old).is_const) sub.inputs.push_back(id);
  }
  for (int& id : copy.outputs) id = map_id(id);
  sub.outputs = copy.outputs;
  sub.AddOp(copy);
  return sub;
}

struct Tally {
  int ops = 0;
  int byte_identical = 0;
};

class OpsGolden : public ::testing::TestWithParam<std::string> {};

// Runs every owned op of `model` alone, in the model's flavour or (other_flavour) in kTflite for an int8
// model, and checks its output against the in1 intermediates; prints a per-kind tally.
void CheckModel(const std::string& model, bool other_flavour) {
  const fs::path shared = SharedDir();
  if (shared.empty()) GTEST_SKIP() << "shared corpus not found (set TINYFUSE_SHARED_DIR): golden ops NOT checked";
  const fs::path dir = shared / "goldens" / model / "intermediates" / "in1";
  const fs::path file = shared / "models" / (model + ".tflite");
  if (!fs::exists(dir) || !fs::exists(file)) GTEST_SKIP() << model << ": model or intermediates missing";

  const Graph g = ImportTfliteFile(file.string());
  Arith arith = ChooseArith(g);
  if (other_flavour) {
    // The README's op-by-op runs found TFLite-WASM byte-identical to TFLM on every SOFTMAX, PAD,
    // TRANSPOSE, RESHAPE and QUANTIZE of the int8 models (not on MEAN): so the TFLM intermediates are
    // TFLite's outputs too, and check our kTflite flavour of those ops.
    if (arith != Arith::kTflm) GTEST_SKIP() << model << ": no second flavour to check";
    arith = Arith::kTflite;
  }
  std::map<std::string, Tally> tally;
  for (size_t i = 0; i < g.ops.size(); ++i) {
    const Op& op = g.ops[i];
    if (!IsMine(op.kind) || (other_flavour && op.kind == OpKind::kMean)) continue;
    const std::string label = model + " op " + std::to_string(i) + " " + OpName(op.kind);
    const Graph sub = OneOpGraph(g, op);
    Interpreter interp(sub, arith);
    int k = 0;  // sub.inputs lists the op's activation inputs in the op's order
    for (int old : op.inputs) {
      if (old < 0 || g.tensor(old).is_const) continue;
      interp.SetInput(k++, ReadFile(dir / ("t" + std::to_string(old) + ".bin")));
    }
    interp.Invoke();
    const std::vector<uint8_t> want = ReadFile(dir / ("t" + std::to_string(op.outputs[0]) + ".bin"));
    const std::vector<uint8_t>& got = interp.Output(0);
    ASSERT_EQ(got.size(), want.size()) << label;
    int64_t differ = 0;
    int64_t first = -1;
    for (size_t e = 0; e < got.size(); ++e) {
      if (got[e] != want[e]) {
        if (first < 0) first = static_cast<int64_t>(e);
        ++differ;
      }
    }
    EXPECT_EQ(differ, 0) << label << " (" << ArithName(arith) << "): " << differ << " of " << got.size()
                         << " bytes differ, first at " << first;
    Tally& t = tally[OpName(op.kind)];
    ++t.ops;
    if (differ == 0) ++t.byte_identical;
  }
  std::string summary;
  for (const auto& [name, t] : tally) {
    summary += " " + name + " " + std::to_string(t.byte_identical) + "/" + std::to_string(t.ops);
  }
  std::cout << "[ golden ] " << model << " (" << ArithName(arith) << "):" << (summary.empty() ? " none" : summary)
            << "\n";
}

TEST_P(OpsGolden, OwnedOpsMatchTheirIntermediates) { CheckModel(GetParam(), /*other_flavour=*/false); }

TEST_P(OpsGolden, TfliteFlavourMatchesTheInt8Intermediates) { CheckModel(GetParam(), /*other_flavour=*/true); }

INSTANTIATE_TEST_SUITE_P(Models, OpsGolden,
                         ::testing::Values("micro_speech_quantized", "person_detect", "pretrainedResnet_quant",
                                           "str_ww_ref_model", "vww_96_int8", "mobilenet_v1_0.25_128_quant",
                                           "mobilenet_v1_0.75_192_quant", "mobilenet_v2_1.0_224_quant",
                                           "mobilenet_v2_quantized_1x3x224x224", "tf2_mobilenet_v2_1.0_224_ptq",
                                           "ad01_int8", "hello_world_int8"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param;
                           for (char& c : n) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace tinyfuse
