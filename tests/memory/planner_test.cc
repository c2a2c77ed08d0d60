#include "memory/planner.h"

#include <gtest/gtest.h>

#include <memory>

#include "common/error.h"
#include "memory/floor.h"
#include "memory/greedy_planner.h"
#include "memory/linear_planner.h"
#include "memory/plan_arena.h"
#include "memory/plan_checker.h"
#include "memory/search_planner.h"
#include "test_util.h"

namespace tinyfuse::memory {
namespace {

using testing::B;
using testing::MakeSchedule;
using testing::RunPlanner;

class EveryPlannerTest : public ::testing::TestWithParam<PlannerKind> {
 protected:
  std::unique_ptr<MemoryPlanner> Make(int64_t alignment = 16) {
    return MakePlanner(GetParam(), alignment);
  }
  // Plans `buffers` (all activations of a `steps`-step schedule), checks the plan, returns the total.
  int64_t PlanAndCheck(int steps, const std::vector<B>& buffers, int64_t alignment = 16,
                       std::vector<int64_t>* offsets_out = nullptr) {
    auto planner = Make(alignment);
    int64_t total = 0;
    const std::vector<int64_t> offsets = RunPlanner(planner.get(), buffers, &total);
    const Schedule s = MakeSchedule(steps, buffers);
    EXPECT_EQ(CheckPlan(s, offsets, total, alignment), std::vector<std::string>{});
    if (offsets_out) *offsets_out = offsets;
    return total;
  }
  bool reuses() const { return GetParam() != PlannerKind::kLinear; }
};

TEST_P(EveryPlannerTest, Empty) {
  auto planner = Make();
  EXPECT_EQ(planner->num_buffers(), 0);
  EXPECT_EQ(planner->GetTotal(), 0);
  EXPECT_THROW(planner->GetOffset(0), Error);
}

TEST_P(EveryPlannerTest, OneBuffer) {
  std::vector<int64_t> offsets;
  EXPECT_EQ(PlanAndCheck(1, {{100, 0, 0}}, 16, &offsets), 112);  // totals are aligned up
  EXPECT_EQ(offsets, std::vector<int64_t>{0});
  EXPECT_EQ(PlanAndCheck(1, {{100, 0, 0}}, 1), 100);
}

TEST_P(EveryPlannerTest, DisjointLifetimesReuseMemory) {
  const std::vector<B> chain = {{1000, 0, 0}, {500, 1, 1}, {800, 2, 2}, {1000, 3, 3}};
  const int64_t total = PlanAndCheck(4, chain);
  if (reuses()) {
    EXPECT_EQ(total, 1008);
  } else {
    EXPECT_EQ(total, 1008 + 512 + 800 + 1008);
  }
}

TEST_P(EveryPlannerTest, AllOverlappingIsTheSum) {
  const std::vector<B> all = {{64, 0, 3}, {128, 1, 2}, {32, 0, 2}, {256, 1, 3}};  // all at 1, 2
  EXPECT_EQ(PlanAndCheck(4, all), 64 + 128 + 32 + 256);
  EXPECT_EQ(PlanAndCheck(4, all, 1), 64 + 128 + 32 + 256);
}

TEST_P(EveryPlannerTest, AlignmentPadsEveryBufferButTheTotalOnlyOnce) {
  // Three odd sizes alive together: each offset is a multiple of the alignment.
  const std::vector<B> odd = {{10, 0, 0}, {20, 0, 0}, {30, 0, 0}};
  for (int64_t alignment : {1, 4, 8, 16, 64}) {
    std::vector<int64_t> offsets;
    const int64_t total = PlanAndCheck(1, odd, alignment, &offsets);
    for (int64_t o : offsets) EXPECT_EQ(o % alignment, 0) << alignment;
    EXPECT_EQ(total % alignment, 0);
    EXPECT_GE(total, 60);
    EXPECT_LE(total, AlignUp(10, alignment) + AlignUp(20, alignment) + AlignUp(30, alignment));
  }
  EXPECT_EQ(PlanAndCheck(1, odd, 1), 60);
  EXPECT_EQ(PlanAndCheck(1, odd, 16), 80);  // 16 + 32 + 30, aligned up
}

TEST_P(EveryPlannerTest, ZeroSizeBuffersTakeNoRoom) {
  EXPECT_EQ(PlanAndCheck(2, {{0, 0, 1}, {48, 0, 1}, {0, 1, 1}, {16, 1, 1}}), 64);
}

TEST_P(EveryPlannerTest, RejectsBadBuffers) {
  auto planner = Make();
  EXPECT_THROW(planner->AddBuffer(-1, 0, 0), Error);
  EXPECT_THROW(planner->AddBuffer(1, 2, 1), Error);
  EXPECT_THROW(planner->AddBuffer(1, -1, 1), Error);
  EXPECT_THROW(MakePlanner(GetParam(), 0), Error);
}

INSTANTIATE_TEST_SUITE_P(Planners, EveryPlannerTest, ::testing::ValuesIn(AllPlannerKinds()),
                         [](const ::testing::TestParamInfo<PlannerKind>& info) {
                           std::string name = PlannerKindName(info.param);
                           for (char& c : name) {
                             if (c == '-') c = '_';
                           }
                           return name;
                         });

TEST(GreedySizeTest, LargestFirstFirstFit) {
  // A classic: the biggest buffer goes to 0, a small one alive at the same time above it, and a later
  // buffer fits into the gap the small one left below... at the lowest offset that fits.
  GreedyPlanner planner(GreedyOrder::kSize, 1);
  planner.AddBuffer(100, 0, 1);  // 0
  planner.AddBuffer(40, 1, 2);   // 1: above 0
  planner.AddBuffer(60, 2, 3);   // 2: 0 is dead at step 2, so it starts at 0... below 1? 1 is at 100
  EXPECT_EQ(planner.GetOffset(0), 0);
  EXPECT_EQ(planner.GetOffset(1), 100);
  EXPECT_EQ(planner.GetOffset(2), 0);
  EXPECT_EQ(planner.GetTotal(), 140);
}

// Found by a random search over small schedules: no greedy order reaches the optimum (112, the lower
// bound). Largest first puts 96 and 80 at 0 and 32 above 80; then 16, alive with 96 and 32, is pushed
// to 112. The optimum stacks 80 over 32 instead and slips 16 in above 96.
std::vector<B> GreedyTrap() { return {{32, 2, 3}, {80, 3, 3}, {16, 0, 2}, {96, 0, 0}}; }

TEST(SearchPlannerTest, SearchBeatsEveryGreedy) {
  const std::vector<B> trap = GreedyTrap();
  for (GreedyOrder g : {GreedyOrder::kSize, GreedyOrder::kConflicts, GreedyOrder::kBreadth}) {
    GreedyPlanner p(g, 1);
    int64_t total = 0;
    RunPlanner(&p, trap, &total);
    EXPECT_GE(total, 128) << p.name();  // size and conflicts: 128, breadth: 144
  }
  ExactPlanner exact(1);
  int64_t exact_total = 0;
  const auto offsets = RunPlanner(&exact, trap, &exact_total);
  EXPECT_EQ(exact_total, 112);
  EXPECT_TRUE(exact.proven_optimal());
  EXPECT_EQ(CheckPlan(MakeSchedule(4, trap), offsets, exact_total, 1), std::vector<std::string>{});
  HillClimbPlanner climb(1);
  int64_t climb_total = 0;
  RunPlanner(&climb, trap, &climb_total);
  EXPECT_EQ(climb_total, 112);
}

TEST(SearchPlannerTest, ExactProvesOptimaBelowEveryGreedy) {
  // Another one from the same search, with seven buffers: greedy 192, optimum 176.
  const std::vector<B> seven = {{32, 4, 4}, {80, 2, 2}, {48, 2, 3}, {32, 4, 4},
                                {64, 4, 4}, {48, 3, 4}, {32, 1, 3}};
  const Schedule s = MakeSchedule(5, seven);
  ExactPlanner exact(1);
  int64_t exact_total = 0;
  const auto offsets = RunPlanner(&exact, seven, &exact_total);
  EXPECT_TRUE(exact.proven_optimal());
  EXPECT_EQ(exact_total, 176);
  EXPECT_EQ(CheckPlan(s, offsets, exact_total, 1), std::vector<std::string>{});
  EXPECT_EQ(exact_total, ComputeFloor(s).bytes);
  for (PlannerKind k : {PlannerKind::kGreedySize, PlannerKind::kGreedyConflicts,
                        PlannerKind::kGreedyBreadth}) {
    auto p = MakePlanner(k, 1);
    int64_t total = 0;
    RunPlanner(p.get(), seven, &total);
    EXPECT_GE(total, 192) << PlannerKindName(k);  // breadth: 192, size and conflicts: 208
  }
}

TEST(SearchPlannerTest, ExactGivesUpWithinItsBudget) {
  std::vector<B> many;
  for (int i = 0; i < 30; ++i) many.push_back({16 * (1 + (i * 7) % 11), i % 7, i % 7 + 3});
  SearchOptions o;
  o.node_budget = 50;
  ExactPlanner exact(16, o);
  int64_t total = 0;
  const auto offsets = RunPlanner(&exact, many, &total);
  EXPECT_LE(exact.nodes(), 51);
  EXPECT_EQ(CheckPlan(MakeSchedule(10, many), offsets, total, 16), std::vector<std::string>{});
}

TEST(SearchPlannerTest, LowerBound) {
  EXPECT_EQ(RequestsLowerBound({}, 16), 0);
  // Step 0: 10 + 20 live: 16 + 20 (the top one keeps its odd end) = 36, aligned up to 48.
  EXPECT_EQ(RequestsLowerBound({{10, 0, 0}, {20, 0, 0}}, 16), 48);
  EXPECT_EQ(RequestsLowerBound({{10, 0, 0}, {20, 0, 0}}, 1), 30);
  EXPECT_EQ(RequestsLowerBound({{10, 0, 0}, {20, 1, 1}}, 1), 20);
}

TEST(PlannerKindTest, Names) {
  for (PlannerKind k : AllPlannerKinds()) EXPECT_EQ(ParsePlannerKind(PlannerKindName(k)), k);
  EXPECT_EQ(ParsePlannerKind("auto"), PlannerKind::kAuto);
  try {
    ParsePlannerKind("best");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "unknown planner 'best' (one of: auto, linear, greedy-size, greedy-conflicts, "
                 "greedy-breadth, hill-climb, exact)");
  }
  EXPECT_THROW(MakePlanner(PlannerKind::kAuto), Error);
}

}  // namespace
}  // namespace tinyfuse::memory
