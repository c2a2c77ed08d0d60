// Models that lower to no kernel, and RESHAPE chains whose middle tensor never reaches memory: compiled with
// driver::Compile (one copy step when there is no kernel), their C must match the interpreter byte for byte
// (gcc, and clang with ASan + UBSan), and tensors that share one storage must be one storage group of the
// schedule (one offset, one lifetime), never two buffers that the layout would have to choose between.
#include <gtest/gtest.h>

#include "differential.h"
#include "driver/compile.h"
#include "graph/quantization.h"
#include "graph/verifier.h"
#include "test_models.h"

namespace tinyfuse {
namespace {

// 1/256, -128: the output quantization SOFTMAX requires; RESHAPE keeps it.
const Quantization kQuant = PerTensor(1.0f / 256, -128);

Op MakeOp(OpKind kind, std::vector<int> inputs, std::vector<int> outputs, OpAttrs attrs) {
  Op op;
  op.kind = kind;
  op.inputs = std::move(inputs);
  op.outputs = std::move(outputs);
  op.attrs = std::move(attrs);
  return op;
}

// a [2,10] -> RESHAPE -> b [4,5] -> RESHAPE -> c [20] (output); with_softmax: also a -> SOFTMAX -> d (output
// 1), run first, so that both RESHAPEs join the softmax kernel's step and b is no buffer at all.
Graph ReshapeChain(bool with_softmax) {
  Graph g;
  const int a = g.AddActivation(DType::kInt8, {2, 10}, kQuant, "a");
  const int b = g.AddActivation(DType::kInt8, {4, 5}, kQuant, "b");
  const int c = g.AddActivation(DType::kInt8, {20}, kQuant, "c");
  g.inputs = {a};
  g.outputs = {c};
  if (with_softmax) {
    const int d = g.AddActivation(DType::kInt8, {2, 10}, kQuant, "d");
    g.AddOp(MakeOp(OpKind::kSoftmax, {a}, {d}, SoftmaxAttrs{1.0f}));
    g.outputs.push_back(d);
  }
  g.AddOp(MakeOp(OpKind::kReshape, {a}, {b}, NoAttrs{}));
  g.AddOp(MakeOp(OpKind::kReshape, {b}, {c}, NoAttrs{}));
  return g;
}

std::string Diff(const Graph& g, const CompiledModel& c) {
  std::vector<codegen::InputSet> inputs;
  for (uint64_t s = 0; s < 3; ++s) inputs.push_back(testmodels::RandomInputs(g, 7 + s));
  codegen::DiffOptions o;
  o.sanitized_flags = "-O0";
  o.emit = [&c](const Graph&, Arith) { return c.c; };
  return codegen::DiffAgainstInterpreter(g, c.arith, inputs, o);
}

CompiledModel CompileIt(const Graph& g) {
  VerifyGraph(g);
  CompileOptions o;
  o.prefix = "nk";
  return Compile(g, o);
}

// The storage group of the schedule buffer of `tensor` (-1 when it has none).
int GroupOf(const CompiledModel& c, int tensor) {
  const memory::StorageMap map = memory::BuildStorage(c.schedule);
  for (const memory::BufferSpec& b : c.schedule.buffers) {
    if (b.tensor == tensor) return map.group_of[static_cast<size_t>(b.id)];
  }
  return -1;
}

TEST(NoKernel, ModelWithoutOps) {
  Graph g;
  const int x = g.AddActivation(DType::kUInt8, {3, 7}, PerTensor(0.25f, 11), "x");
  g.inputs = {x};
  g.outputs = {x};
  const CompiledModel c = CompileIt(g);
  EXPECT_TRUE(c.lowered.kernels.empty());
  EXPECT_EQ(c.schedule.num_steps, 1);
  ASSERT_EQ(c.schedule.buffers.size(), 1u);
  EXPECT_EQ(c.plan.total, memory::kDefaultAlignment * ((21 + memory::kDefaultAlignment - 1) / memory::kDefaultAlignment));
  EXPECT_EQ(Diff(g, c), "");
}

TEST(NoKernel, TheSameTensorTwiceAsOutput) {
  Graph g;
  const int x = g.AddActivation(DType::kInt8, {5}, PerTensor(0.5f, -3), "x");
  g.inputs = {x};
  g.outputs = {x, x};
  EXPECT_EQ(Diff(g, CompileIt(g)), "");
}

TEST(NoKernel, ReshapeChainAlone) {
  const Graph g = ReshapeChain(false);
  const CompiledModel c = CompileIt(g);
  EXPECT_TRUE(c.lowered.kernels.empty());
  EXPECT_EQ(c.schedule.num_steps, 1);
  // a and c (b has no buffer: produced and read inside the one step) are one storage.
  ASSERT_GE(GroupOf(c, 0), 0);
  EXPECT_EQ(GroupOf(c, 0), GroupOf(c, 2));
  EXPECT_EQ(memory::BuildStorage(c.schedule).groups.size(), 1u);
  EXPECT_EQ(Diff(g, c), "");
}

TEST(NoKernel, ReshapeChainInsideAKernelStep) {
  const Graph g = ReshapeChain(true);
  const CompiledModel c = CompileIt(g);
  ASSERT_EQ(c.lowered.kernels.size(), 1u);  // the softmax
  ASSERT_GE(GroupOf(c, 0), 0);
  EXPECT_EQ(GroupOf(c, 0), GroupOf(c, 2));  // input a and output c: one storage
  EXPECT_NE(GroupOf(c, 0), GroupOf(c, 3));  // the softmax output d: another
  EXPECT_EQ(memory::BuildStorage(c.schedule).groups.size(), 2u);
  EXPECT_EQ(Diff(g, c), "");
}

}  // namespace
}  // namespace tinyfuse
