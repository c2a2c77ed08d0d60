#include "memory/schedule.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "memory/floor.h"
#include "memory/graph_schedule.h"

namespace tinyfuse::memory {
namespace {

// Expects `fn` to throw tinyfuse::Error whose message contains `needle`.
template <typename Fn>
void ExpectError(Fn fn, const std::string& needle) {
  try {
    fn();
    ADD_FAILURE() << "no error; expected one containing: " << needle;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

Op MakeOp(OpKind kind, std::vector<int> in, std::vector<int> out) {
  Op op;
  op.kind = kind;
  op.inputs = std::move(in);
  op.outputs = std::move(out);
  return op;
}

// in[1x8x8x4] -> CONV_2D(w, b) -> a[1x8x8x8] -> RESHAPE -> r[1x512] -> FULLY_CONNECTED(w2) -> out[1x10]
Graph SmallGraph() {
  Graph g;
  const int in = g.AddActivation(DType::kInt8, {1, 8, 8, 4}, {}, "in");
  const int w = g.AddConstant(DType::kInt8, {8, 1, 1, 4}, {}, std::vector<uint8_t>(32), "w");
  const int bias = g.AddConstant(DType::kInt32, {8}, {}, std::vector<uint8_t>(32), "bias");
  const int a = g.AddActivation(DType::kInt8, {1, 8, 8, 8}, {}, "a");
  const int shape = g.AddConstant(DType::kInt32, {2}, {}, std::vector<uint8_t>(8), "shape");
  const int r = g.AddActivation(DType::kInt8, {1, 512}, {}, "r");
  const int w2 = g.AddConstant(DType::kInt8, {10, 512}, {}, std::vector<uint8_t>(5120), "w2");
  const int out = g.AddActivation(DType::kInt8, {1, 10}, {}, "out");
  g.AddOp(MakeOp(OpKind::kConv2D, {in, w, bias}, {a}));
  g.AddOp(MakeOp(OpKind::kReshape, {a, shape}, {r}));
  g.AddOp(MakeOp(OpKind::kFullyConnected, {r, w2, -1}, {out}));
  g.inputs = {in};
  g.outputs = {out};
  return g;
}

TEST(GraphScheduleTest, OneStepPerOpConstantsExcluded) {
  const Schedule s = BuildGraphSchedule(SmallGraph());
  EXPECT_EQ(s.num_steps, 3);
  ASSERT_EQ(s.buffers.size(), 4u);  // in, a, r, out
  EXPECT_EQ(s.buffers[0].name, "in");
  EXPECT_EQ(s.buffers[0].kind, BufferSpec::kInput);
  EXPECT_EQ(s.buffers[0].size, 256);
  EXPECT_EQ(s.buffers[0].first_step, 0);
  EXPECT_EQ(s.buffers[0].last_step, 0);
  EXPECT_EQ(s.buffers[1].name, "a");
  EXPECT_EQ(s.buffers[1].first_step, 0);
  EXPECT_EQ(s.buffers[1].last_step, 1);
  EXPECT_EQ(s.buffers[2].name, "r");
  EXPECT_EQ(s.buffers[2].alias_of, 1);
  EXPECT_EQ(s.buffers[2].alias_kind, BufferSpec::kView);
  EXPECT_EQ(s.buffers[2].first_step, 1);
  EXPECT_EQ(s.buffers[2].last_step, 2);
  EXPECT_EQ(s.buffers[3].kind, BufferSpec::kOutput);
  EXPECT_EQ(s.buffers[3].first_step, 2);
  EXPECT_EQ(s.buffers[3].last_step, 2);
  EXPECT_EQ(s.buffers[3].tensor, 7);
  ASSERT_EQ(s.step_labels.size(), 3u);
  EXPECT_EQ(s.step_labels[1], "1 RESHAPE");
}

TEST(GraphScheduleTest, ReshapeViewExtendsTheOriginal) {
  const Schedule s = BuildGraphSchedule(SmallGraph());
  const StorageMap map = BuildStorage(s);
  ASSERT_EQ(map.groups.size(), 3u);
  const StorageGroup& g = map.groups[static_cast<size_t>(map.group_of[2])];
  EXPECT_EQ(g.root, 1);
  EXPECT_EQ(g.members, (std::vector<int>{1, 2}));
  EXPECT_EQ(g.size, 512);
  EXPECT_EQ(g.first_step, 0);
  EXPECT_EQ(g.last_step, 2);
  // Step 0: in + a; step 2: a (through r) + out.
  const Floor f = ComputeFloor(s);
  EXPECT_EQ(f.live_bytes, (std::vector<int64_t>{768, 512, 522}));
  EXPECT_EQ(f.bytes, 768);
  EXPECT_EQ(f.step, 0);
}

TEST(GraphScheduleTest, WithoutViewsReshapeCostsACopy) {
  ScheduleOptions o;
  o.reshape_as_view = false;
  const Schedule s = BuildGraphSchedule(SmallGraph(), o);
  EXPECT_EQ(s.buffers[2].alias_of, -1);
  EXPECT_EQ(ComputeFloor(s).live_bytes, (std::vector<int64_t>{768, 1024, 522}));
}

TEST(GraphScheduleTest, InputsAndOutputsCanBeLeftOut) {
  ScheduleOptions o;
  o.inputs_in_arena = false;
  o.outputs_in_arena = false;
  const Schedule s = BuildGraphSchedule(SmallGraph(), o);
  ASSERT_EQ(s.buffers.size(), 2u);
  EXPECT_EQ(s.buffers[0].name, "a");
  EXPECT_EQ(s.buffers[1].name, "r");
  EXPECT_EQ(ComputeFloor(s).bytes, 512);
}

TEST(GraphScheduleTest, GroupedStepsHideInternalTensorsAndAddWorkspace) {
  // CONV_2D and RESHAPE fused: a never leaves step 0, so it has no buffer; r is read by step 1 and
  // keeps one of its own (not a view: there is nothing in memory to view).
  const Schedule s = BuildGroupedSchedule(SmallGraph(), {{0, 1}, {2}}, {100, 0});
  EXPECT_EQ(s.num_steps, 2);
  ASSERT_EQ(s.buffers.size(), 4u);
  EXPECT_EQ(s.buffers[0].name, "in");
  EXPECT_EQ(s.buffers[1].name, "r");
  EXPECT_EQ(s.buffers[1].alias_of, -1);
  EXPECT_EQ(s.buffers[2].name, "out");
  EXPECT_EQ(s.buffers[3].kind, BufferSpec::kWorkspace);
  EXPECT_EQ(s.buffers[3].size, 100);
  EXPECT_EQ(s.buffers[3].first_step, 0);
  EXPECT_EQ(s.buffers[3].last_step, 0);
  EXPECT_EQ(s.step_labels[0], "0 CONV_2D+RESHAPE");
  EXPECT_EQ(ComputeFloor(s).live_bytes, (std::vector<int64_t>{256 + 512 + 100, 522}));
}

TEST(GraphScheduleTest, GroupErrors) {
  const Graph g = SmallGraph();
  ExpectError([&] { BuildGroupedSchedule(g, {{0, 1}}); }, "op 2 is in no step");
  ExpectError([&] { BuildGroupedSchedule(g, {{0, 1}, {1, 2}}); }, "op 1 is in two steps");
  ExpectError([&] { BuildGroupedSchedule(g, {{0, 1, 2, 3}}); }, "names op 3 of 3");
  ExpectError([&] { BuildGroupedSchedule(g, {{0}, {1}, {2}}, {1, 2}); }, "2 workspace sizes for 3");
  ExpectError([&] { BuildGroupedSchedule(g, {{2}, {0}, {1}}); }, "before step");
}

TEST(GraphScheduleTest, TensorProducedTwice) {
  Graph g = SmallGraph();
  g.ops[2].outputs = {3};
  ExpectError([&] { BuildGraphSchedule(g); }, "tensor 3 'a' is produced twice");
}

// in -> CONV_2D -> a -> CONV_2D -> b; c = ADD(a, b) -> FULLY_CONNECTED -> out
Graph ResidualGraph() {
  Graph g;
  const int in = g.AddActivation(DType::kInt8, {1, 4, 4, 8}, {}, "in");
  const int w = g.AddConstant(DType::kInt8, {8, 1, 1, 8}, {}, std::vector<uint8_t>(64), "w");
  const int a = g.AddActivation(DType::kInt8, {1, 4, 4, 8}, {}, "a");
  const int b = g.AddActivation(DType::kInt8, {1, 4, 4, 8}, {}, "b");
  const int c = g.AddActivation(DType::kInt8, {1, 4, 4, 8}, {}, "c");
  const int w2 = g.AddConstant(DType::kInt8, {2, 128}, {}, std::vector<uint8_t>(256), "w2");
  const int out = g.AddActivation(DType::kInt8, {1, 2}, {}, "out");
  g.AddOp(MakeOp(OpKind::kConv2D, {in, w, -1}, {a}));
  g.AddOp(MakeOp(OpKind::kConv2D, {a, w, -1}, {b}));
  g.AddOp(MakeOp(OpKind::kAdd, {a, b}, {c}));
  g.AddOp(MakeOp(OpKind::kFullyConnected, {c, w2, -1}, {out}));
  g.inputs = {in};
  g.outputs = {out};
  return g;
}

TEST(GraphScheduleTest, ApplyInPlaceOnAdd) {
  const Graph g = ResidualGraph();
  std::vector<std::vector<int>> groups = {{0}, {1}, {2}, {3}};
  Schedule s = BuildGraphSchedule(g);
  EXPECT_EQ(ComputeFloor(s).live_bytes, (std::vector<int64_t>{256, 256, 384, 130}));
  const int made = ApplyInPlace(&s, g, groups, [&](int step) {
    return g.ops[static_cast<size_t>(step)].kind == OpKind::kAdd;
  });
  EXPECT_EQ(made, 1);
  const BufferSpec& c = s.buffers[3];
  EXPECT_EQ(c.name, "c");
  EXPECT_EQ(c.alias_of, 1);  // a, the first input that dies at the ADD
  EXPECT_EQ(c.alias_kind, BufferSpec::kInPlace);
  EXPECT_EQ(ComputeFloor(s, AliasMode::kViewsOnly).bytes, 384);
  EXPECT_EQ(ComputeFloor(s, AliasMode::kAll).bytes, 256);
  // Nothing to do where the inputs live on.
  Schedule t = BuildGraphSchedule(g);
  EXPECT_EQ(ApplyInPlace(&t, g, groups, [](int step) { return step == 1; }), 0);
  ExpectError([&] { ApplyInPlace(&t, g, {{0}}, [](int) { return true; }); },
              "ApplyInPlace: 1 groups for 4 steps");
}

TEST(GraphScheduleTest, EmptyGraph) {
  const Schedule s = BuildGraphSchedule(Graph{});
  EXPECT_EQ(s.num_steps, 0);
  EXPECT_TRUE(s.buffers.empty());
  EXPECT_EQ(ComputeFloor(s).bytes, 0);
  EXPECT_EQ(ComputeFloor(s).step, -1);
}

// in-place: y = ADD(x, z) written over x, which dies at that step.
Schedule AddSchedule() {
  Schedule s;
  s.num_steps = 3;
  AddBuffer(&s, "x", 100, BufferSpec::kInput, 0, 1);
  AddBuffer(&s, "z", 100, BufferSpec::kActivation, 0, 1);
  AddBuffer(&s, "y", 100, BufferSpec::kActivation, 1, 2);
  AddBuffer(&s, "o", 10, BufferSpec::kOutput, 2, 2);
  return s;
}

TEST(ScheduleTest, InPlaceMergesStorageOnlyForThePlanBound) {
  Schedule s = AddSchedule();
  EXPECT_EQ(ComputeFloor(s).bytes, 300);
  MakeInPlace(&s, 2, 0);
  ValidateSchedule(s);
  EXPECT_EQ(ComputeFloor(s, AliasMode::kViewsOnly).bytes, 300);  // the reported floor: no in-place
  EXPECT_EQ(ComputeFloor(s, AliasMode::kAll).bytes, 200);
  EXPECT_EQ(BuildStorage(s, AliasMode::kAll).groups.size(), 3u);
  EXPECT_EQ(BuildStorage(s, AliasMode::kViewsOnly).groups.size(), 4u);
}

TEST(ScheduleTest, InPlaceNeedsTheInputToDie) {
  Schedule s = AddSchedule();
  s.buffers[0].last_step = 2;
  ExpectError([&] { MakeInPlace(&s, 2, 0); }, "cannot overwrite it");
  s.buffers[2].alias_of = 0;
  s.buffers[2].alias_kind = BufferSpec::kInPlace;
  ExpectError([&] { ValidateSchedule(s); }, "which is used until step 2, not step 1");
}

// A model output is read after the last step: even the last step may not write over it, nor over a
// view of it (an input that is also an output, say), though its lifetime ends at that step.
TEST(ScheduleTest, InPlaceNeverOverwritesAModelOutput) {
  Schedule s;
  s.num_steps = 2;
  AddBuffer(&s, "x", 64, BufferSpec::kInput, 0, 1);
  AddBuffer(&s, "y", 64, BufferSpec::kOutput, 1, 1);
  s.buffers[0].live_out = true;
  ExpectError([&] { MakeInPlace(&s, 1, 0); }, "is a model output");
  s.buffers[1].alias_of = 0;
  s.buffers[1].alias_kind = BufferSpec::kInPlace;
  ExpectError([&] { ValidateSchedule(s); }, "a model output (read after the last step)");
  // The output is a view of x instead: the same.
  Schedule v;
  v.num_steps = 2;
  AddBuffer(&v, "x", 64, BufferSpec::kInput, 0, 1);
  AddBuffer(&v, "o", 64, BufferSpec::kOutput, 0, 1);
  AddBuffer(&v, "y", 64, BufferSpec::kOutput, 1, 1);
  MakeView(&v, 1, 0);
  v.buffers[1].live_out = v.buffers[2].live_out = true;
  v.buffers[2].alias_of = 0;
  v.buffers[2].alias_kind = BufferSpec::kInPlace;
  ExpectError([&] { ValidateSchedule(v); }, "a model output (read after the last step)");
  v.buffers[1].live_out = false;
  ValidateSchedule(v);
}

TEST(ScheduleTest, InPlaceOverAViewStillInUse) {
  // v views x and lives on to step 2: y may not overwrite x at step 1.
  Schedule s;
  s.num_steps = 3;
  AddBuffer(&s, "x", 64, BufferSpec::kActivation, 0, 1);
  AddBuffer(&s, "v", 64, BufferSpec::kActivation, 0, 2);
  AddBuffer(&s, "y", 64, BufferSpec::kActivation, 1, 2);
  MakeView(&s, 1, 0);
  MakeInPlace(&s, 2, 0);
  ExpectError([&] { ValidateSchedule(s); }, "still needs until step 2");
}

TEST(ScheduleTest, TwoOutputsInPlaceOverOneInput) {
  Schedule s;
  s.num_steps = 3;
  AddBuffer(&s, "x", 64, BufferSpec::kActivation, 0, 1);
  AddBuffer(&s, "y1", 64, BufferSpec::kActivation, 1, 2);
  AddBuffer(&s, "y2", 64, BufferSpec::kActivation, 1, 2);
  MakeInPlace(&s, 1, 0);
  ValidateSchedule(s);
  MakeInPlace(&s, 2, 0);
  ExpectError([&] { ValidateSchedule(s); },
              "buffer 1 'y1' is written in place over storage that buffer 2 'y2' still needs until step 2");
}

TEST(ScheduleTest, InPlaceOutputMustFit) {
  Schedule s;
  s.num_steps = 2;
  AddBuffer(&s, "x", 64, BufferSpec::kActivation, 0, 1);
  AddBuffer(&s, "y", 65, BufferSpec::kActivation, 1, 1);
  ExpectError([&] { MakeInPlace(&s, 1, 0); }, "'y' (65 bytes) does not fit in buffer 0 'x' (64 bytes)");
  s.buffers[1].alias_of = 0;
  s.buffers[1].alias_kind = BufferSpec::kInPlace;
  ExpectError([&] { ValidateSchedule(s); }, "is written in place over the smaller buffer 0 'x'");
}

TEST(ScheduleTest, ViewsMayLiveTogether) {
  Schedule s;
  s.num_steps = 3;
  AddBuffer(&s, "x", 64, BufferSpec::kActivation, 0, 2);
  AddBuffer(&s, "v", 64, BufferSpec::kActivation, 1, 2);
  MakeView(&s, 1, 0);
  ValidateSchedule(s);
}

TEST(ScheduleTest, BuilderErrors) {
  Schedule s;
  s.num_steps = 2;
  ExpectError([&] { AddBuffer(&s, "n", -1, BufferSpec::kActivation, 0, 0); },
              "'n' has negative size -1");
  ExpectError([&] { AddBuffer(&s, "l", 1, BufferSpec::kActivation, 1, 2); },
              "'l' lifetime [1, 2] is outside the 2 steps");
  ExpectError([&] { AddBuffer(&s, "r", 1, BufferSpec::kActivation, 1, 0); }, "lifetime [1, 0]");
  ExpectError([&] { AddWorkspace(&s, "w", 1, 5); }, "outside the 2 steps");
  const int a = AddBuffer(&s, "a", 1, BufferSpec::kActivation, 0, 1);
  const int b = AddBuffer(&s, "b", 1, BufferSpec::kActivation, 1, 1);
  ExpectError([&] { MakeView(&s, a, 7); }, "MakeView: no buffer 7");
  ExpectError([&] { MakeView(&s, a, a); }, "cannot alias itself");
  ExpectError([&] { MakeInPlace(&s, b, b); }, "cannot alias itself");
  MakeView(&s, b, a);
  ExpectError([&] { MakeView(&s, b, a); }, "already aliases a buffer");
  ExpectError([&] { MakeInPlace(&s, b, a); }, "already aliases a buffer");
}

TEST(ScheduleTest, ValidateErrors) {
  Schedule s;
  s.num_steps = 2;
  AddBuffer(&s, "a", 1, BufferSpec::kActivation, 0, 1);
  AddBuffer(&s, "b", 1, BufferSpec::kActivation, 0, 1);
  {
    Schedule t = s;
    t.buffers[1].id = 5;
    ExpectError([&] { ValidateSchedule(t); }, "buffer at index 1 has id 5");
  }
  {
    Schedule t = s;
    t.buffers[1].size = -3;
    ExpectError([&] { ValidateSchedule(t); }, "'b' has negative size");
  }
  {
    Schedule t = s;
    t.buffers[0].last_step = 2;
    ExpectError([&] { ValidateSchedule(t); }, "lifetime [0, 2] is outside the 2 steps");
  }
  {
    Schedule t = s;
    t.buffers[0].alias_of = 9;
    ExpectError([&] { ValidateSchedule(t); }, "aliases a buffer that does not exist: 9");
  }
  {
    Schedule t = s;
    t.buffers[0].alias_of = 1;
    t.buffers[1].alias_of = 0;
    ExpectError([&] { ValidateSchedule(t); }, "is on an alias cycle");
  }
  {
    Schedule t = s;
    t.step_labels = {"only one"};
    ExpectError([&] { ValidateSchedule(t); }, "1 step labels for 2 steps");
  }
}

}  // namespace
}  // namespace tinyfuse::memory
