#include "memory/plan_arena.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "memory/floor.h"
#include "memory/plan_checker.h"
#include "test_util.h"

namespace tinyfuse::memory {
namespace {

using testing::MakeSchedule;

TEST(PlanArenaTest, AutoKeepsTheSmallestAndRecordsEveryPlanner) {
  const Schedule s = MakeSchedule(4, {{1000, 0, 1}, {500, 1, 2}, {800, 2, 3}, {300, 3, 3}});
  const ArenaPlan plan = PlanArena(s);
  EXPECT_EQ(plan.alignment, kDefaultAlignment);
  EXPECT_EQ(plan.floor_bytes, 1500);
  EXPECT_EQ(plan.floor_step, 1);
  ASSERT_EQ(plan.tried.size(), AllPlannerKinds().size());
  int64_t best = INT64_MAX;
  for (const PlannerResult& r : plan.tried) best = std::min(best, r.total);
  EXPECT_EQ(plan.total, best);
  EXPECT_EQ(plan.tried[0].kind, PlannerKind::kLinear);
  EXPECT_EQ(plan.tried[0].total, 1000 + 504 + 800 + 304);
  EXPECT_EQ(plan.total, 1504);  // 1000 at 0 and 500 at 1000 at the peak, up to a multiple of 8; 800 and 300 below
  EXPECT_TRUE(plan.proven_optimal);
  EXPECT_EQ(plan.bound_bytes, 1504);
  EXPECT_EQ(CheckPlan(s, plan.offsets, plan.total, plan.alignment), std::vector<std::string>{});
}

TEST(PlanArenaTest, ForcedPlannerIsKept) {
  const Schedule s = MakeSchedule(2, {{100, 0, 0}, {100, 1, 1}});
  EXPECT_EQ(PlanArena(s, PlannerKind::kLinear, 16).total, 224);
  EXPECT_EQ(PlanArena(s, PlannerKind::kLinear, 16).planner, PlannerKind::kLinear);
  EXPECT_EQ(PlanArena(s, PlannerKind::kGreedySize, 16).total, 112);
  EXPECT_EQ(PlanArena(s, PlannerKind::kAuto, 16).planner, PlannerKind::kGreedySize);  // first best
  EXPECT_EQ(PlanArena(s, PlannerKind::kAuto, 1).total, 100);
}

TEST(PlanArenaTest, ExactOnlyForSmallScheduleUnlessForced) {
  std::vector<testing::B> many;
  for (int i = 0; i < 20; ++i) many.push_back({64, i, i + 1});
  const Schedule s = MakeSchedule(21, many);
  PlanOptions o;
  o.exact_max_groups = 10;
  EXPECT_EQ(PlanArena(s, PlannerKind::kAuto, o).tried.size(), AllPlannerKinds().size() - 1);
  const ArenaPlan forced = PlanArena(s, PlannerKind::kExact, o);
  EXPECT_EQ(forced.planner, PlannerKind::kExact);
  EXPECT_EQ(forced.total, 128);
}

TEST(PlanArenaTest, ViewsAndInPlaceShareOffsets) {
  Schedule s;
  s.num_steps = 4;
  const int x = AddBuffer(&s, "x", 256, BufferSpec::kInput, 0, 1);
  const int v = AddBuffer(&s, "x_reshaped", 256, BufferSpec::kActivation, 1, 2);
  const int z = AddBuffer(&s, "z", 256, BufferSpec::kActivation, 0, 2);
  const int y = AddBuffer(&s, "y", 256, BufferSpec::kActivation, 2, 3);
  const int o = AddBuffer(&s, "out", 16, BufferSpec::kOutput, 3, 3);
  MakeView(&s, v, x);
  MakeInPlace(&s, y, v);  // y = ADD(x_reshaped, z) over x_reshaped, which dies at step 2
  for (PlannerKind k : AllPlannerKinds()) {
    const ArenaPlan plan = PlanArena(s, k, 16);
    EXPECT_EQ(plan.offsets[static_cast<size_t>(v)], plan.offsets[static_cast<size_t>(x)]);
    EXPECT_EQ(plan.offsets[static_cast<size_t>(y)], plan.offsets[static_cast<size_t>(x)]);
    EXPECT_NE(plan.offsets[static_cast<size_t>(z)], plan.offsets[static_cast<size_t>(x)]);
    EXPECT_EQ(plan.floor_bytes, 768);  // no in-place: x (through its view), z and y at step 2
    if (k != PlannerKind::kLinear) {
      EXPECT_EQ(plan.total, 512) << PlannerKindName(k);  // below the floor, thanks to in-place
    }
    (void)o;
  }
}

TEST(PlanArenaTest, EmptySchedule) {
  const ArenaPlan plan = PlanArena(Schedule{});
  EXPECT_EQ(plan.total, 0);
  EXPECT_EQ(plan.floor_bytes, 0);
  EXPECT_TRUE(plan.offsets.empty());
}

TEST(PlanArenaTest, Errors) {
  Schedule bad = MakeSchedule(1, {{1, 0, 0}});
  bad.buffers[0].last_step = 3;
  EXPECT_THROW(PlanArena(bad), Error);
  EXPECT_THROW(PlanArena(MakeSchedule(1, {{1, 0, 0}}), PlannerKind::kAuto, 0), Error);
}

// The checker on purposely broken plans: one test per message.
class CheckPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    s_ = MakeSchedule(3, {{32, 0, 1}, {32, 1, 2}, {16, 2, 2}});
    MakeView(&s_, 2, 1);
  }
  std::string Only(const std::vector<int64_t>& offsets, int64_t total, int64_t alignment = 16) {
    const std::vector<std::string> p = CheckPlan(s_, offsets, total, alignment);
    return p.size() == 1 ? p[0] : "expected one problem, got " + std::to_string(p.size());
  }
  Schedule s_;
};

TEST_F(CheckPlanTest, ValidPlan) {
  EXPECT_EQ(CheckPlan(s_, {0, 32, 32}, 64, 16), std::vector<std::string>{});
}

TEST_F(CheckPlanTest, Messages) {
  EXPECT_EQ(Only({0, 32}, 64), "plan has 2 offsets for 3 buffers");
  EXPECT_EQ(Only({0, 32, 32}, 64, 0), "alignment 0 is not positive");
  EXPECT_EQ(Only({0, 32, 32}, 72), "total 72 is not a multiple of 16");
  EXPECT_EQ(CheckPlan(s_, {0, 40, 40}, 80, 16)[0], "buffer 1 'b1' offset 40 is not a multiple of 16");
  EXPECT_EQ(CheckPlan(s_, {-32, 32, 32}, 64, 16)[0], "buffer 0 'b0' has negative offset");
  EXPECT_EQ(CheckPlan(s_, {0, 32, 32}, 48, 16)[0], "buffer 1 'b1' ends at 64, past the total 48");
  EXPECT_EQ(Only({0, 32, 48}, 64), "buffer 2 'b2' aliases buffer 1 but sits at 48, not 32");
  EXPECT_EQ(Only({0, 16, 16}, 64),
            "buffers 0 'b0' [0, 32) and 1 'b1' [16, 48) overlap while both are alive");
}

TEST_F(CheckPlanTest, BelowTheFloor) {
  Schedule s = MakeSchedule(1, {{32, 0, 0}, {0, 0, 0}});
  EXPECT_EQ(CheckPlan(s, {0, 0}, 16, 16),
            (std::vector<std::string>{"buffer 0 'b0' ends at 32, past the total 16",
                                      "total 16 is below the floor 32 at step 0"}));
  EXPECT_THROW(VerifyPlan(s, {0, 0}, 16, 16), Error);
  try {
    VerifyPlan(s, {0, 0}, 16, 16);
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "invalid memory plan: buffer 0 'b0' ends at 32, past the total 16 (and 1 more)");
  }
}

}  // namespace
}  // namespace tinyfuse::memory
