// Randomized properties over 1000 schedules with views, in-place aliases, zero sizes and odd
// alignments: every planner's plan passes the checker, the greedy planners never lose to the linear
// oracle, the search planners never lose to the greedy ones, no plan is below the floor or the bound,
// and a finished exact search matches brute force over every placement order.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "common/error.h"
#include "common/splitmix64.h"
#include "memory/floor.h"
#include "memory/plan_arena.h"
#include "memory/plan_checker.h"
#include "memory/planner.h"

namespace tinyfuse::memory {
namespace {

class Rng : public SplitMix64 {
 public:
  using SplitMix64::SplitMix64;
  int Below(int n) { return static_cast<int>(Next() % static_cast<uint64_t>(n)); }
};

Schedule RandomSchedule(Rng& rng) {
  Schedule s;
  s.num_steps = 1 + rng.Below(12);
  const int n = rng.Below(15);
  for (int i = 0; i < n; ++i) {
    int64_t size = 0;
    switch (rng.Below(4)) {
      case 0: size = rng.Below(8) == 0 ? 0 : 1 + rng.Below(300); break;
      case 1: size = 16 * (1 + rng.Below(32)); break;
      case 2: size = 1 + rng.Below(5000); break;
      default: size = 64 * (1 + rng.Below(8)); break;
    }
    const int first = rng.Below(s.num_steps);
    const int last = std::min(s.num_steps - 1, first + rng.Below(4));
    const auto kind = static_cast<BufferSpec::Kind>(rng.Below(4));
    AddBuffer(&s, "r" + std::to_string(i), size, kind, first, last);
  }
  // Sprinkle aliases; keep only those the schedule accepts.
  for (int i = 0; i < n; ++i) {
    if (rng.Below(4) != 0) continue;
    const int j = rng.Below(n);
    if (j == i) continue;
    Schedule t = s;
    try {
      if (rng.Below(2) == 0) {
        MakeView(&t, i, j);
      } else {
        MakeInPlace(&t, i, j);
      }
      ValidateSchedule(t);
      s = t;
    } catch (const Error&) {
      // not a legal alias here (cycle, input alive too long, ...)
    }
  }
  return s;
}

// The optimum over every placement order, for schedules of at most 7 storage groups.
int64_t BruteForce(const Schedule& s, int64_t alignment) {
  const StorageMap map = BuildStorage(s, AliasMode::kAll);
  std::vector<BufferRequest> requests;
  for (const StorageGroup& g : map.groups) requests.push_back({g.size, g.first_step, g.last_step});
  const auto conflicts = BuildConflicts(requests);
  std::vector<int> order(requests.size());
  std::iota(order.begin(), order.end(), 0);
  int64_t best = INT64_MAX;
  do {
    best = std::min(best, PlanTotal(requests, PlaceInOrder(requests, conflicts, order, alignment),
                                    alignment));
  } while (std::next_permutation(order.begin(), order.end()));
  return best;
}

bool IsGreedy(PlannerKind k) {
  return k == PlannerKind::kGreedySize || k == PlannerKind::kGreedyConflicts ||
         k == PlannerKind::kGreedyBreadth;
}

TEST(PlannerPropertyTest, ThousandRandomSchedules) {
  Rng rng(20261125);
  PlanOptions options;
  options.search.iterations = 200;
  options.search.node_budget = 20000;
  int brute_checked = 0, exact_proven = 0, in_place_schedules = 0;
  for (int trial = 0; trial < 1000; ++trial) {
    const Schedule s = RandomSchedule(rng);
    static const int64_t kAlignments[] = {1, 4, 8, 16};
    options.alignment = kAlignments[rng.Below(4)];
    SCOPED_TRACE("trial " + std::to_string(trial) + ", alignment " +
                 std::to_string(options.alignment));
    // Storage shared in place is sized by its largest member for the whole group's life, so the
    // floor with in-place sharing can be above or below the one without: a plan is bound by the former.
    const int64_t floor_all = ComputeFloor(s, AliasMode::kAll).bytes;
    bool in_place = false;
    for (const BufferSpec& b : s.buffers) {
      in_place |= b.alias_of >= 0 && b.alias_kind == BufferSpec::kInPlace;
    }
    in_place_schedules += in_place;

    std::map<PlannerKind, int64_t> total;
    bool proven = false;
    for (PlannerKind k : AllPlannerKinds()) {
      const ArenaPlan plan = PlanArena(s, k, options);
      ASSERT_EQ(plan.planner, k);
      ASSERT_EQ(CheckPlan(s, plan.offsets, plan.total, options.alignment),
                std::vector<std::string>{})
          << PlannerKindName(k);
      ASSERT_GE(plan.total, floor_all) << PlannerKindName(k);
      ASSERT_GE(plan.total, plan.bound_bytes) << PlannerKindName(k);
      if (!in_place) {
        ASSERT_GE(plan.total, plan.floor_bytes) << PlannerKindName(k);
      }
      total[k] = plan.total;
      if (k == PlannerKind::kExact) proven = plan.proven_optimal;
    }
    int64_t best_greedy = INT64_MAX;
    for (const auto& [k, t] : total) {
      if (IsGreedy(k)) {
        ASSERT_LE(t, total[PlannerKind::kLinear]) << PlannerKindName(k);
        best_greedy = std::min(best_greedy, t);
      }
    }
    ASSERT_LE(total[PlannerKind::kHillClimb], best_greedy);
    ASSERT_LE(total[PlannerKind::kExact], best_greedy);
    const ArenaPlan chosen = PlanArena(s, PlannerKind::kAuto, options);
    for (const auto& [k, t] : total) ASSERT_LE(chosen.total, t) << PlannerKindName(k);
    if (proven) {
      ++exact_proven;
      for (const auto& [k, t] : total) ASSERT_LE(total[PlannerKind::kExact], t);
    }
    if (BuildStorage(s).groups.size() <= 7) {
      ++brute_checked;
      const int64_t optimum = BruteForce(s, options.alignment);
      ASSERT_LE(optimum, total[PlannerKind::kExact]);
      if (proven) {
        ASSERT_EQ(total[PlannerKind::kExact], optimum);
      }
    }
  }
  // The generator must exercise what it claims to.
  EXPECT_GT(brute_checked, 200);
  EXPECT_GT(exact_proven, 900);
  EXPECT_GT(in_place_schedules, 20);
}

}  // namespace
}  // namespace tinyfuse::memory
