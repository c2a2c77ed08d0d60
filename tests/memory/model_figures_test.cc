// Memory figures on the shared models (raw graphs, one step per op, inputs and outputs in the arena):
// the floor pins from the issue, and for every model: the plan is checked, the arena is at least the
// floor and at most the linear oracle and TFLite Micro's planned bytes. Prints the benchmark table.
// Needs TINYFUSE_SHARED_DIR; skips loudly without it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "memory/floor.h"
#include "memory/graph_schedule.h"
#include "memory/memory_figures.h"
#include "memory/plan_arena.h"
#include "memory/plan_checker.h"
#include "tflite/importer.h"

namespace tinyfuse::memory {
namespace {

namespace fs = std::filesystem;

std::string SharedDir() {
  const char* dir = std::getenv("TINYFUSE_SHARED_DIR");
  if (dir == nullptr || !fs::exists(fs::path(dir) / "models")) return "";
  return dir;
}

#define REQUIRE_SHARED(dir)                                                                   \
  const std::string dir = SharedDir();                                                        \
  if (dir.empty()) {                                                                          \
    std::cerr << "SKIPPED: TINYFUSE_SHARED_DIR is not set or has no models/; memory figures " \
                 "on the shared models are NOT checked\n";                                    \
    GTEST_SKIP() << "TINYFUSE_SHARED_DIR not set";                                            \
  }

// model -> tflm_planned_bytes from anchors/tflm_x86.tsv.
std::map<std::string, int64_t> TflmPlanned(const std::string& shared) {
  std::map<std::string, int64_t> planned;
  std::ifstream in(fs::path(shared) / "anchors" / "tflm_x86.tsv");
  std::string line;
  int column = -1;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, '\t');) cells.push_back(cell);
    if (column < 0) {
      for (size_t i = 0; i < cells.size(); ++i) {
        if (cells[i] == "tflm_planned_bytes") column = static_cast<int>(i);
      }
      continue;
    }
    if (static_cast<int>(cells.size()) > column) {
      planned[cells[0]] = std::stoll(cells[static_cast<size_t>(column)]);
    }
  }
  return planned;
}

Schedule ModelSchedule(const std::string& shared, const std::string& model) {
  return BuildGraphSchedule(ImportTfliteFile(shared + "/models/" + model + ".tflite"));
}

TEST(ModelFiguresTest, FloorPins) {
  REQUIRE_SHARED(shared);
  EXPECT_EQ(PlanArena(ModelSchedule(shared, "vww_96_int8")).floor_bytes, 55296);
  EXPECT_EQ(PlanArena(ModelSchedule(shared, "tf2_mobilenet_v2_1.0_224_ptq")).floor_bytes, 1505280);
}

TEST(ModelFiguresTest, EverySharedModel) {
  REQUIRE_SHARED(shared);
  const auto tflm = TflmPlanned(shared);
  std::vector<std::string> models;
  for (const auto& entry : fs::directory_iterator(fs::path(shared) / "models")) {
    if (entry.path().extension() == ".tflite") models.push_back(entry.path().stem().string());
  }
  std::sort(models.begin(), models.end());
  ASSERT_FALSE(models.empty());
  std::vector<MemoryFigures> rows;
  for (const std::string& model : models) {
    SCOPED_TRACE(model);
    const Schedule s = ModelSchedule(shared, model);
    const ArenaPlan plan = PlanArena(s);
    EXPECT_EQ(CheckPlan(s, plan.offsets, plan.total, plan.alignment), std::vector<std::string>{});
    EXPECT_GE(plan.total, plan.floor_bytes);
    EXPECT_LE(plan.total, plan.tried.front().total);  // the linear oracle
    const auto it = tflm.find(model);
    if (it != tflm.end()) {
      EXPECT_LE(plan.total, it->second) << "more than TFLite Micro plans";
    }
    rows.push_back(MeasureSchedule(model, s));
  }
  std::cout << FormatMemoryTable(rows, tflm);
}

// The in-place mechanism on real graphs: every ADD written over an input that dies there. Plans stay
// valid; the bound with in-place sharing never exceeds the floor without it (same-size operands).
TEST(ModelFiguresTest, InPlaceAdd) {
  REQUIRE_SHARED(shared);
  for (const char* model : {"tf2_mobilenet_v2_1.0_224_ptq", "mobilenet_v2_quantized_1x3x224x224",
                            "pretrainedResnet_quant"}) {
    SCOPED_TRACE(model);
    const Graph g = ImportTfliteFile(shared + "/models/" + model + ".tflite");
    Schedule s = BuildGraphSchedule(g);
    std::vector<std::vector<int>> groups;
    for (int op = 0; op < static_cast<int>(g.ops.size()); ++op) groups.push_back({op});
    const int made = ApplyInPlace(&s, g, groups, [&](int step) {
      return g.ops[static_cast<size_t>(step)].kind == OpKind::kAdd;
    });
    EXPECT_GT(made, 0);
    const ArenaPlan plan = PlanArena(s);
    EXPECT_EQ(CheckPlan(s, plan.offsets, plan.total, plan.alignment), std::vector<std::string>{});
    EXPECT_LE(ComputeFloor(s, AliasMode::kAll).bytes, plan.floor_bytes);
    std::cout << model << ": " << made << " ADDs in place, floor " << plan.floor_bytes
              << ", bound " << plan.bound_bytes << ", arena " << plan.total << " ("
              << PlannerKindName(plan.planner) << ")\n";
  }
}

}  // namespace
}  // namespace tinyfuse::memory
