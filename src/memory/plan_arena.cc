#include "memory/plan_arena.h"

#include "common/error.h"
#include "memory/floor.h"
#include "memory/greedy_planner.h"
#include "memory/linear_planner.h"
#include "memory/plan_checker.h"

namespace tinyfuse::memory {

const char* PlannerKindName(PlannerKind k) {
  switch (k) {
    case PlannerKind::kAuto: return "auto";
    case PlannerKind::kLinear: return "linear";
    case PlannerKind::kGreedySize: return "greedy-size";
    case PlannerKind::kGreedyConflicts: return "greedy-conflicts";
    case PlannerKind::kGreedyBreadth: return "greedy-breadth";
    case PlannerKind::kHillClimb: return "hill-climb";
    case PlannerKind::kExact: return "exact";
  }
  return "?";
}

const std::vector<PlannerKind>& AllPlannerKinds() {
  static const std::vector<PlannerKind> kinds = {
      PlannerKind::kLinear,        PlannerKind::kGreedySize, PlannerKind::kGreedyConflicts,
      PlannerKind::kGreedyBreadth, PlannerKind::kHillClimb,  PlannerKind::kExact};
  return kinds;
}

PlannerKind ParsePlannerKind(std::string_view name) {
  if (name == "auto") return PlannerKind::kAuto;
  std::string names = "auto";
  for (PlannerKind k : AllPlannerKinds()) {
    if (name == PlannerKindName(k)) return k;
    names += std::string(", ") + PlannerKindName(k);
  }
  throw Error("unknown planner '" + std::string(name) + "' (one of: " + names + ")");
}

std::unique_ptr<MemoryPlanner> MakePlanner(PlannerKind k, int64_t alignment,
                                           const SearchOptions& search) {
  switch (k) {
    case PlannerKind::kLinear: return std::make_unique<LinearPlanner>(alignment);
    case PlannerKind::kGreedySize:
      return std::make_unique<GreedyPlanner>(GreedyOrder::kSize, alignment);
    case PlannerKind::kGreedyConflicts:
      return std::make_unique<GreedyPlanner>(GreedyOrder::kConflicts, alignment);
    case PlannerKind::kGreedyBreadth:
      return std::make_unique<GreedyPlanner>(GreedyOrder::kBreadth, alignment);
    case PlannerKind::kHillClimb: return std::make_unique<HillClimbPlanner>(alignment, search);
    case PlannerKind::kExact: return std::make_unique<ExactPlanner>(alignment, search);
    case PlannerKind::kAuto: break;
  }
  throw Error("MakePlanner: 'auto' is not a planner");
}

ArenaPlan PlanArena(const Schedule& s, PlannerKind kind, const PlanOptions& options) {
  ValidateSchedule(s);
  Check(options.alignment >= 1,
        "memory alignment must be at least 1, got " + std::to_string(options.alignment));
  const StorageMap storage = BuildStorage(s, AliasMode::kAll);

  ArenaPlan plan;
  plan.alignment = options.alignment;
  const Floor floor = ComputeFloor(s, AliasMode::kViewsOnly);
  plan.floor_bytes = floor.bytes;
  plan.floor_step = floor.step;
  plan.bound_bytes = PlanLowerBound(s, options.alignment);

  bool have = false;
  for (PlannerKind k : AllPlannerKinds()) {
    const bool exact_fits = static_cast<int>(storage.groups.size()) <= options.exact_max_groups;
    if (k == PlannerKind::kExact && kind != PlannerKind::kExact && !exact_fits) continue;
    std::unique_ptr<MemoryPlanner> planner = MakePlanner(k, options.alignment, options.search);
    for (const StorageGroup& g : storage.groups) planner->AddBuffer(g.size, g.first_step, g.last_step);
    std::vector<int64_t> offsets(s.buffers.size(), 0);
    for (size_t gi = 0; gi < storage.groups.size(); ++gi) {
      const int64_t offset = planner->GetOffset(static_cast<int>(gi));
      for (int b : storage.groups[gi].members) offsets[static_cast<size_t>(b)] = offset;
    }
    PlannerResult result;
    result.kind = k;
    result.total = planner->GetTotal();
    VerifyPlan(s, offsets, result.total, options.alignment);
    result.proven_optimal = result.total <= plan.bound_bytes;
    if (k == PlannerKind::kExact) {
      result.proven_optimal |= static_cast<ExactPlanner*>(planner.get())->proven_optimal();
    }
    plan.tried.push_back(result);
    const bool take = kind == PlannerKind::kAuto ? (!have || result.total < plan.total) : k == kind;
    if (take) {
      have = true;
      plan.planner = k;
      plan.total = result.total;
      plan.offsets = std::move(offsets);
      plan.proven_optimal = result.proven_optimal;
    }
  }
  // A later, smaller plan can prove an earlier one of the same total optimal only through the bound;
  // an exact search that finished proves every plan of its total optimal.
  for (const PlannerResult& r : plan.tried) {
    if (r.kind == PlannerKind::kExact && r.proven_optimal && r.total == plan.total) {
      plan.proven_optimal = true;
    }
  }
  return plan;
}

}  // namespace tinyfuse::memory
