// Plans one arena for a Schedule: resolves aliases into storage groups (one planner request each),
// runs the planners, checks every plan with VerifyPlan, and keeps the forced planner's plan or, for
// kAuto, the smallest (ties go to the simpler planner, in the order of the PlannerKind list).
//
// Planner names (for `--planner NAME`): linear, greedy-size, greedy-conflicts, greedy-breadth,
// hill-climb, exact, auto. In auto mode `exact` runs only for schedules of at most
// PlanOptions::exact_max_groups storage groups; forced, it runs on any size within its node budget.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "memory/planner.h"
#include "memory/schedule.h"
#include "memory/search_planner.h"

namespace tinyfuse::memory {

enum class PlannerKind { kAuto, kLinear, kGreedySize, kGreedyConflicts, kGreedyBreadth, kHillClimb, kExact };

const char* PlannerKindName(PlannerKind k);
// Throws tinyfuse::Error listing the valid names when `name` is none of them.
PlannerKind ParsePlannerKind(std::string_view name);
// Every concrete planner (not kAuto), simplest first.
const std::vector<PlannerKind>& AllPlannerKinds();
// A fresh planner of a concrete kind (throws for kAuto).
std::unique_ptr<MemoryPlanner> MakePlanner(PlannerKind k, int64_t alignment = kDefaultAlignment,
                                           const SearchOptions& search = {});

struct PlanOptions {
  int64_t alignment = kDefaultAlignment;
  SearchOptions search;
  int exact_max_groups = 14;
};

struct PlannerResult {
  PlannerKind kind = PlannerKind::kLinear;
  int64_t total = 0;
  bool proven_optimal = false;  // reached the lower bound, or exact search finished
};

struct ArenaPlan {
  PlannerKind planner = PlannerKind::kLinear;  // the plan kept
  int64_t alignment = kDefaultAlignment;
  int64_t total = 0;                // arena bytes: max over buffers of offset + size, aligned up
  std::vector<int64_t> offsets;     // per buffer id; aliases share their storage's offset
  std::vector<PlannerResult> tried;  // every planner run, in AllPlannerKinds order
  int64_t floor_bytes = 0;          // no in-place reuse (ComputeFloor, kViewsOnly)
  int floor_step = -1;
  int64_t bound_bytes = 0;          // PlanLowerBound: least total possible at this alignment
  bool proven_optimal = false;      // total == bound_bytes, or exact search completed
};

// Throws tinyfuse::Error when the schedule is invalid or the alignment is below 1.
ArenaPlan PlanArena(const Schedule& s, PlannerKind kind = PlannerKind::kAuto,
                    const PlanOptions& options = {});
inline ArenaPlan PlanArena(const Schedule& s, PlannerKind kind, int64_t alignment) {
  PlanOptions options;
  options.alignment = alignment;
  return PlanArena(s, kind, options);
}

}  // namespace tinyfuse::memory
