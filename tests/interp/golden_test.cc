// The interpreter against the goldens of the shared corpora (../shared/goldens and ../shared/breadth/goldens,
// found through TINYFUSE_SHARED_DIR; every test skips loudly when it is absent, and fails instead when
// TINYFUSE_REQUIRE_SHARED=1). The models: every classifier model and every breadth model claimed in
// tests/goldens/breadth_claims.txt.
//
//  GoldenOutputs/<model>: every case of MANIFEST.tsv, whole model, Arith from ChooseArith, every output's
//                         bytes equal.
//  GoldenUnclaimed.Report: every breadth model not claimed, tried on its cases and reported, one line each.
//  GoldenChained/<model>: the in1 run, every dumped intermediate tensor against TensorBytes(i); reports the
//                         first op whose output differs, then every differing tensor.
//  GoldenIsolated/<model>: every op alone, fed the dumped tensors of its inputs, its output against the dump.
//                         This localises a wrong kernel exactly; it reports every failing op, not just the first.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "driver/goldens.h"
#include "driver/io.h"
#include "graph/graph.h"
#include "interp/interpreter.h"
#include "tflite/importer.h"

namespace tinyfuse {
namespace {

// The corpus of the running test's model (set by the fixture).
GoldenCorpus g_corpus = GoldenCorpus::kClassifier;

std::string GoldensDir() {
  const std::string shared = SharedDirFromEnv();
  return shared.empty() ? "" : GoldenDir(shared, g_corpus);
}

std::vector<std::vector<std::string>> ReadTsv(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream f(path);
  std::string line;
  bool header = true;
  while (std::getline(f, line)) {
    if (header) {
      header = false;
      continue;
    }
    if (line.empty()) continue;
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    rows.push_back(cols);
  }
  return rows;
}

TEST(GoldenManifest, ListsTheseModels) {
  g_corpus = GoldenCorpus::kClassifier;
  if (GoldensDir().empty()) {
    GTEST_SKIP() << "SKIPPED LOUDLY: the shared golden corpus is absent (set TINYFUSE_SHARED_DIR)";
  }
  std::set<std::string> in_manifest;
  for (const auto& [model, cases] : ReadGoldenManifest(SharedDirFromEnv())) in_manifest.insert(model);
  EXPECT_EQ(in_manifest, std::set<std::string>(GoldenModelNames().begin(), GoldenModelNames().end()));
}

Graph LoadModel(const std::string& model) {
  return ImportTfliteFile(GoldenModelPath(SharedDirFromEnv(), g_corpus, model));
}

// Differing elements and the largest absolute difference between two buffers of one dtype.
struct Diff {
  int64_t count = 0;
  int32_t max_abs = 0;
  std::string size_mismatch;
};

Diff Compare(const std::vector<uint8_t>& got, const std::vector<uint8_t>& want, DType dtype) {
  Diff d;
  if (got.size() != want.size()) {
    d.size_mismatch = std::to_string(got.size()) + " bytes vs " + std::to_string(want.size());
    d.count = 1;
    return d;
  }
  for (size_t i = 0; i < got.size(); ++i) {
    if (got[i] == want[i]) continue;
    ++d.count;
    // The byte difference (for wider dtypes a byte count is what matters; max_abs is per byte).
    const int32_t a = dtype == DType::kInt8 ? static_cast<int8_t>(got[i]) : got[i];
    const int32_t b = dtype == DType::kInt8 ? static_cast<int8_t>(want[i]) : want[i];
    d.max_abs = std::max(d.max_abs, a > b ? a - b : b - a);
  }
  return d;
}

std::string Describe(const Diff& d, size_t elements) {
  if (!d.size_mismatch.empty()) return "size mismatch " + d.size_mismatch;
  return std::to_string(d.count) + " of " + std::to_string(elements) + " elements differ, max " +
         std::to_string(d.max_abs) + " LSB";
}

// The dumped tensors of a model's in1 run: tensor id -> bytes, and the producing op of each.
struct Intermediates {
  std::map<int, std::vector<uint8_t>> tensors;
  std::map<int, int> producer;
};

Intermediates LoadIntermediates(const std::string& model) {
  Intermediates im;
  const std::string dir = GoldensDir() + "/" + model + "/intermediates/in1";
  for (const auto& row : ReadTsv(dir + "/tensors.tsv")) {
    if (row.size() < 8) continue;
    const int id = std::stoi(row[0]);
    im.tensors[id] = ReadFileBytes(dir + "/t" + row[0] + ".bin");
    im.producer[id] = std::stoi(row[7]);
  }
  return im;
}

class GoldenTest : public ::testing::TestWithParam<GoldenModel> {
 protected:
  void SetUp() override {
    g_corpus = GetParam().corpus;
    if (GoldensDir().empty()) {
      if (SharedRequired()) GTEST_FAIL() << "TINYFUSE_REQUIRE_SHARED=1 but the shared golden corpus is absent";
      GTEST_SKIP() << "SKIPPED LOUDLY: the shared golden corpus is absent (set TINYFUSE_SHARED_DIR to the "
                      "directory holding goldens/MANIFEST.tsv and models/)";
    }
  }
};

// Runs every case of `model`; returns the cases whose every output is byte-identical and describes the
// first failure in `*first_error`.
int RunCases(const std::string& model, const std::vector<GoldenCase>& cases, std::string* first_error) {
  const Graph g = LoadModel(model);
  const Arith arith = ChooseArith(g);
  int passed = 0;
  for (const GoldenCase& c : cases) {
    Interpreter interp(g, arith);
    for (size_t k = 0; k < c.inputs.size(); ++k) {
      interp.SetInput(static_cast<int>(k), ReadFileBytes(GoldensDir() + "/" + c.inputs[k]));
    }
    interp.Invoke();
    std::string error = c.outputs.size() == g.outputs.size() ? "" : "the model has " + std::to_string(g.outputs.size()) + " outputs";
    for (size_t k = 0; error.empty() && k < c.outputs.size(); ++k) {
      const std::vector<uint8_t> want = ReadFileBytes(GoldensDir() + "/" + c.outputs[k]);
      const Diff d = Compare(interp.Output(static_cast<int>(k)), want, g.tensor(g.outputs[k]).dtype);
      if (d.count != 0) error = "output " + std::to_string(k) + ": " + Describe(d, want.size());
    }
    if (error.empty()) {
      ++passed;
    } else if (first_error->empty()) {
      *first_error = c.name + " (" + ArithName(arith) + ") " + error;
    }
  }
  return passed;
}

TEST_P(GoldenTest, Outputs) {
  const std::string& model = GetParam().name;
  const auto manifest = ReadGoldenManifest(SharedDirFromEnv(), g_corpus);
  const auto it = manifest.find(model);
  ASSERT_NE(it, manifest.end()) << "claimed model " << model << " has no golden cases";
  std::string first_error;
  const int passed = RunCases(model, it->second, &first_error);
  EXPECT_EQ(passed, static_cast<int>(it->second.size())) << model << ": first failure " << first_error;
  std::cout << "[ golden   ] " << GoldenCorpusName(g_corpus) << " " << model << ": " << passed << "/"
            << it->second.size() << " cases byte-identical\n";
}

// The breadth models not claimed: each is tried on its cases and reported in one line; none fails the test.
TEST(GoldenUnclaimed, Report) {
  const std::string shared = SharedDirFromEnv();
  if (shared.empty()) GTEST_SKIP() << "SKIPPED LOUDLY: the shared golden corpus is absent";
  g_corpus = GoldenCorpus::kBreadth;
  const std::vector<std::string> claims = ReadGoldenClaims(TINYFUSE_BREADTH_CLAIMS);
  for (const auto& [model, cases] : ReadGoldenManifest(shared, g_corpus)) {
    if (std::find(claims.begin(), claims.end(), model) != claims.end()) continue;
    std::string error;
    try {
      const int passed = RunCases(model, cases, &error);
      if (error.empty()) error = "all " + std::to_string(passed) + " cases pass: claim it";
    } catch (const std::exception& e) {
      error = e.what();
    }
    std::cout << "not claimed: " << model << ": " << error << "\n";
  }
}

TEST_P(GoldenTest, Chained) {
  const std::string& model = GetParam().name;
  const Graph g = LoadModel(model);
  const Arith arith = ChooseArith(g);
  const Intermediates im = LoadIntermediates(model);
  Interpreter interp(g, arith);
  for (size_t k = 0; k < g.inputs.size(); ++k) interp.SetInput(static_cast<int>(k), im.tensors.at(g.inputs[k]));
  interp.Invoke();
  int first_op = -1;
  int differing = 0;
  std::string report;
  for (const auto& [id, want] : im.tensors) {
    const int op = im.producer.at(id);
    const Diff d = Compare(interp.TensorBytes(id), want, g.tensor(id).dtype);
    if (d.count == 0) continue;
    ++differing;
    if (first_op < 0 || op < first_op) first_op = op;
    report += "\n  tensor " + std::to_string(id) + " (op " + std::to_string(op) + " " +
              (op >= 0 ? OpName(g.ops[static_cast<size_t>(op)].kind) : "input") + "): " +
              Describe(d, want.size());
  }
  EXPECT_EQ(differing, 0) << model << " (" << ArithName(arith) << "): first differing op " << first_op << " "
                          << (first_op >= 0 ? OpName(g.ops[static_cast<size_t>(first_op)].kind) : "") << report;
  std::cout << "[ chained  ] " << model << ": " << im.tensors.size() - static_cast<size_t>(differing) << "/"
            << im.tensors.size() << " dumped tensors byte-identical\n";
}

// A graph of one op of `g`: the tensors it references (constants keep their data), its non-constant inputs
// as graph inputs, its outputs as graph outputs. Returns the original id of each new tensor in `ids`.
Graph OneOpGraph(const Graph& g, const Op& op, std::vector<int>* ids) {
  Graph one;
  std::map<int, int> remap;
  auto add = [&](int id) {
    if (id < 0) return -1;
    auto it = remap.find(id);
    if (it != remap.end()) return it->second;
    const int nid = one.AddTensor(g.tensor(id));
    ids->push_back(id);
    remap[id] = nid;
    return nid;
  };
  Op copy = op;
  for (int& id : copy.inputs) {
    const int nid = add(id);
    if (id >= 0 && !g.tensor(id).is_const) one.inputs.push_back(nid);
    id = nid;
  }
  for (int& id : copy.outputs) {
    id = add(id);
    one.outputs.push_back(id);
  }
  one.AddOp(copy);
  return one;
}

TEST_P(GoldenTest, Isolated) {
  const std::string& model = GetParam().name;
  const Graph g = LoadModel(model);
  const Arith arith = ChooseArith(g);
  const Intermediates im = LoadIntermediates(model);
  std::map<std::string, std::pair<int, int>> per_kind;  // op name -> (ops identical, ops run)
  std::string failures;
  for (size_t i = 0; i < g.ops.size(); ++i) {
    const Op& op = g.ops[i];
    const std::string label = "op " + std::to_string(i) + " " + OpName(op.kind);
    std::vector<int> ids;
    const Graph one = OneOpGraph(g, op, &ids);
    auto& tally = per_kind[OpName(op.kind)];
    ++tally.second;
    bool fed = true;
    for (int in : one.inputs) fed = fed && im.tensors.count(ids[static_cast<size_t>(in)]) > 0;
    if (!fed || im.tensors.count(op.outputs[0]) == 0) {
      failures += "\n  " + label + ": input or output not dumped";
      continue;
    }
    std::string result;
    try {
      Interpreter interp(one, arith);
      for (size_t k = 0; k < one.inputs.size(); ++k) {
        interp.SetInput(static_cast<int>(k), im.tensors.at(ids[static_cast<size_t>(one.inputs[k])]));
      }
      interp.Invoke();
      const std::vector<uint8_t>& want = im.tensors.at(op.outputs[0]);
      const Diff d = Compare(interp.Output(0), want, g.tensor(op.outputs[0]).dtype);
      if (d.count != 0) result = Describe(d, want.size());
    } catch (const std::exception& e) {
      result = std::string("threw: ") + e.what();
    }
    if (result.empty()) {
      ++tally.first;
    } else {
      failures += "\n  " + label + ": " + result;
    }
  }
  std::string summary;
  for (const auto& [kind, t] : per_kind) {
    summary += " " + kind + " " + std::to_string(t.first) + "/" + std::to_string(t.second);
  }
  std::cout << "[ isolated ] " << model << " (" << ArithName(arith) << "):" << summary << "\n";
  EXPECT_TRUE(failures.empty()) << model << " (" << ArithName(arith) << "), ops that differ:" << failures;
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenTest, ::testing::ValuesIn(ClaimedGoldenModels(TINYFUSE_BREADTH_CLAIMS)),
                         [](const ::testing::TestParamInfo<GoldenModel>& info) {
                           std::string n = info.param.name;
                           for (char& ch : n) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace tinyfuse
