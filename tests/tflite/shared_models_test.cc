// Every model of the shared corpus imports, verifies, has the op counts MODELS.md lists, and survives a
// write/read round trip unchanged. Needs TINYFUSE_SHARED_DIR (ctest sets it); skips loudly without it, and
// fails instead when TINYFUSE_REQUIRE_SHARED=1 (CI).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "graph/verifier.h"
#include "test_graphs.h"
#include "tflite/importer.h"
#include "tflite/writer.h"

namespace tinyfuse {
namespace {

struct ModelRow {
  std::string file;
  std::map<std::string, int> op_counts;
};

std::string SharedDir() {
  const char* dir = std::getenv("TINYFUSE_SHARED_DIR");
  return dir == nullptr ? std::string() : std::string(dir);
}

// Skips (loudly) when the corpus is absent, unless CI demands it with TINYFUSE_REQUIRE_SHARED=1.
#define SKIP_WITHOUT_SHARED(path)                                                                            \
  do {                                                                                                       \
    if (SharedDir().empty() || !std::filesystem::exists(path)) {                                             \
      const char* require = std::getenv("TINYFUSE_REQUIRE_SHARED");                                          \
      if (require != nullptr && std::string(require) == "1") FAIL() << "shared corpus required: " << (path); \
      GTEST_SKIP() << "shared corpus not found (" << (path) << "): set TINYFUSE_SHARED_DIR to the "          \
                   << "directory holding models/MODELS.md";                                                  \
    }                                                                                                        \
  } while (0)

std::string Trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" `");
  const size_t b = s.find_last_not_of(" `");
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

// The rows of the models table: `file` in column 1, "OP xN, OP xM" in column 9.
std::vector<ModelRow> ReadModelsTable(const std::string& path) {
  std::ifstream in(path);
  std::vector<ModelRow> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("| `", 0) != 0) continue;
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '|')) cells.push_back(cell);
    if (cells.size() < 10 || Trim(cells[1]).find(".tflite") == std::string::npos) continue;
    ModelRow row;
    row.file = Trim(cells[1]);
    std::stringstream ops(cells[9]);
    std::string item;
    while (std::getline(ops, item, ',')) {
      item = Trim(item);
      const size_t x = item.rfind(" x");
      if (x == std::string::npos) continue;
      row.op_counts[item.substr(0, x)] = std::stoi(item.substr(x + 2));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

TEST(SharedModels, ImportVerifyAndMatchModelsMd) {
  const std::string dir = SharedDir();
  SKIP_WITHOUT_SHARED(dir + "/models/MODELS.md");
  const std::vector<ModelRow> rows = ReadModelsTable(dir + "/models/MODELS.md");
  ASSERT_GE(rows.size(), 12u) << "MODELS.md table not parsed";
  for (const ModelRow& row : rows) {
    SCOPED_TRACE(row.file);
    const Graph g = ImportTfliteFile(dir + "/models/" + row.file);
    EXPECT_NO_THROW(VerifyGraph(g));
    std::map<std::string, int> counts;
    for (const Op& op : g.ops) ++counts[OpName(op.kind)];
    EXPECT_EQ(counts, row.op_counts);
    EXPECT_EQ(g.inputs.size(), 1u);
    EXPECT_EQ(g.outputs.size(), 1u);

    const std::vector<uint8_t> bytes = WriteTflite(g);
    EXPECT_EQ(testing::GraphDifference(g, ImportTflite(bytes.data(), bytes.size())), "");
  }
}

TEST(SharedModels, PersonDetectBiasAxisIsNormalised) {
  const std::string path = SharedDir() + "/models/person_detect.tflite";
  SKIP_WITHOUT_SHARED(path);
  const Graph g = ImportTfliteFile(path);
  int per_channel_biases = 0;
  for (const Op& op : g.ops) {
    if (op.kind != OpKind::kDepthwiseConv2D || op.inputs.size() < 3 || op.inputs[2] < 0) continue;
    const Tensor& bias = g.tensor(op.inputs[2]);
    if (!bias.quant.per_channel()) continue;
    ++per_channel_biases;
    EXPECT_EQ(bias.quant.axis, 0) << bias.name;
  }
  EXPECT_GT(per_channel_biases, 0);
}

}  // namespace
}  // namespace tinyfuse
