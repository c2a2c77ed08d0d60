// Benchmark-ready memory figures of one model: the floor, the bound at the alignment, every planner's
// total and the arena kept. The driver prints them per shared model next to TFLite Micro's
// tflm_planned_bytes (anchors/tflm_x86.tsv).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "memory/graph_schedule.h"
#include "memory/plan_arena.h"

namespace tinyfuse::memory {

struct MemoryFigures {
  std::string model;
  int num_steps = 0;
  int num_buffers = 0;
  int64_t floor_bytes = 0;
  int64_t bound_bytes = 0;
  int64_t arena_bytes = 0;
  PlannerKind planner = PlannerKind::kLinear;
  std::vector<PlannerResult> planners;
  int64_t total_of(PlannerKind k) const;  // -1 when that planner did not run
};

MemoryFigures MeasureSchedule(const std::string& model, const Schedule& s,
                              const PlanOptions& options = {});
// The raw graph, one step per op, inputs and outputs in the arena.
MemoryFigures MeasureGraph(const std::string& model, const Graph& g,
                           const PlanOptions& options = {});

// A table, one row per model: floor, bound, each planner's total, the arena kept, and when `tflm`
// has the model, TFLite Micro's planned bytes and arena / tflm.
std::string FormatMemoryTable(const std::vector<MemoryFigures>& rows,
                              const std::map<std::string, int64_t>& tflm = {});

}  // namespace tinyfuse::memory
