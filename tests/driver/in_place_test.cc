// In-place kernels in compiled models, tolerance zero. Each model goes through driver::Compile (planned
// arena, in-place outputs and variants), its C is built with gcc and with clang under ASan + UBSan, and
// every output byte must equal the interpreter's. Besides the outputs, the tests check where tensors
// landed: an in-place output must share its input's offset, and an input still read later, or the
// broadcast operand of an ADD, must not be overwritten.
//  - depthwise, variant forced (--in-place all): stride 1 and 2, SAME and VALID, channels 1/3/4/5/8/16/17,
//    odd sizes, int8 and uint8, PAD folded, the model input overwritten; dilations, strides past the
//    kernel, a kernel wider than the plane, a one-row plane, zero points at the type's ends;
//  - depthwise whose input is read again by a later ADD: never in place; the ADD is;
//  - ADD with broadcasting: in place over the full-size operand only;
//  - the shared MobileNetV2 models (when TINYFUSE_SHARED_DIR is set): the arena goes below the floor.
#include <gtest/gtest.h>

#include <iostream>
#include <regex>

#include "differential.h"
#include "driver/compile.h"
#include "driver/goldens.h"
#include "driver/pipeline.h"
#include "test_models.h"

namespace tinyfuse {
namespace {

using testmodels::ConvCase;

// "" when the C of `c` (Compile of `g`) matches the interpreter on `sets` random input sets, under gcc and
// under clang with ASan + UBSan; else the first mismatch.
std::string Diff(const Graph& g, const CompiledModel& c, int sets) {
  std::vector<codegen::InputSet> inputs;
  for (int s = 0; s < sets; ++s) inputs.push_back(testmodels::RandomInputs(g, 100 + static_cast<uint64_t>(s)));
  codegen::DiffOptions o;
  o.sanitized_flags = "-O0";
  o.emit = [&c](const Graph&, Arith) { return c.c; };
  return codegen::DiffAgainstInterpreter(g, c.arith, inputs, o);
}

CompiledModel CompileWith(const Graph& g, InPlaceMode mode) {
  CompileOptions o;
  o.prefix = "ip";
  o.in_place = mode;
  return Compile(g, o);
}

int64_t Offset(const CompiledModel& c, int tensor) { return c.layout.OffsetOf(c.lowered, tensor); }

std::vector<ConvCase> DepthwiseSweep(DType dtype) {
  std::vector<ConvCase> cases;
  int k = 0;
  for (int ch : {1, 3, 4, 5, 8, 16, 17}) {
    for (int stride : {1, 2}) {
      for (Padding pad : {Padding::kSame, Padding::kValid}) {
        ConvCase c;
        c.dtype = dtype;
        c.per_channel = dtype == DType::kInt8;
        c.weight_zp = dtype == DType::kInt8 ? 0 : 121;
        c.input_zp = dtype == DType::kInt8 ? 3 : 131;
        c.output_zp = dtype == DType::kInt8 ? -5 : 120;
        c.in_channels = ch;
        c.height = 5 + 2 * (k % 3);  // 5, 7, 9
        c.width = 3 + (k % 4);       // 3 .. 6
        c.kernel_h = 3;
        c.kernel_w = k % 2 ? 3 : 5;
        if (c.kernel_w > c.width) c.kernel_w = 3;
        c.stride_h = c.stride_w = stride;
        c.padding = pad;
        c.activation = k % 3 == 0 ? Activation::kRelu6 : Activation::kNone;
        c.explicit_pad = k % 7 == 5;
        c.seed = 40 + static_cast<uint64_t>(k);
        cases.push_back(c);
        ++k;
      }
    }
  }
  // Windows that reach far: dilation, strides past the kernel, a kernel wider than the plane, one row.
  for (int d = 0; d < 6; ++d) {
    ConvCase c;
    c.dtype = dtype;
    c.per_channel = dtype == DType::kInt8;
    c.weight_zp = dtype == DType::kInt8 ? 0 : 7;
    c.input_zp = dtype == DType::kInt8 ? -128 : 255;
    c.output_zp = dtype == DType::kInt8 ? 127 : 0;
    c.in_channels = 2 + d;
    c.height = d == 5 ? 1 : 6 + d;
    c.width = 5 + d % 3;
    c.kernel_h = d == 5 ? 1 : 3;
    c.kernel_w = d == 4 ? 7 : 3;
    c.dilation_h = 1 + d % 3;
    c.dilation_w = 1 + (d + 1) % 3;
    c.stride_h = d == 2 ? 4 : 1 + d % 2;
    c.stride_w = d == 3 ? 3 : 1;
    c.padding = d % 2 ? Padding::kValid : Padding::kSame;
    if (c.padding == Padding::kValid && (c.kernel_w - 1) * c.dilation_w >= c.width) c.padding = Padding::kSame;
    c.activation = Activation::kRelu;
    c.explicit_pad = d == 3;
    c.pad_top = 2, c.pad_bottom = 0, c.pad_left = 0, c.pad_right = 3;
    c.seed = 90 + static_cast<uint64_t>(d);
    cases.push_back(c);
  }
  return cases;
}

class InPlaceDepthwise : public ::testing::TestWithParam<DType> {};

TEST_P(InPlaceDepthwise, EveryVariantInPlaceMatchesInterpreter) {
  std::vector<Graph> parts;
  for (const ConvCase& c : DepthwiseSweep(GetParam())) parts.push_back(testmodels::DepthwiseConv2DModel(c));
  const Graph g = testmodels::Bundle(parts);
  const CompiledModel c = CompileWith(g, InPlaceMode::kAll);
  // Every depthwise kernel is its variant, and every output no larger than its input (a PAD folded into a
  // SAME window makes it larger) took the input's bytes: the model input's.
  ASSERT_EQ(c.in_place_variants.size(), parts.size());
  int fits = 0;
  for (size_t k = 0; k < c.lowered.kernels.size(); ++k) {
    const loop::PrimFunc& f = c.lowered.kernels[k].func;
    const bool fit = f.params.back()->bytes() <= f.params.front()->bytes();
    fits += fit;
    EXPECT_EQ(Offset(c, f.params.front()->tensor_id) == Offset(c, f.params.back()->tensor_id), fit) << f.name;
  }
  EXPECT_GE(fits, static_cast<int>(parts.size()) - 4);
  EXPECT_EQ(c.in_place_outputs, fits);
  // Each variant's input plane is workspace in the arena, where the plan put its step's workspace
  // buffer; the C declares no array on the stack.
  ASSERT_EQ(c.layout.workspace_offsets.size(), parts.size());
  for (const memory::BufferSpec& b : c.schedule.buffers) {
    if (b.kind != memory::BufferSpec::kWorkspace) continue;
    EXPECT_EQ(c.layout.workspace_offsets.at(b.first_step), c.plan.offsets[static_cast<size_t>(b.id)]);
    EXPECT_EQ(b.size, c.lowered.kernels[static_cast<size_t>(b.first_step)].workspace_bytes);
    EXPECT_NE(c.c.source.find("arena + " + std::to_string(c.plan.offsets[static_cast<size_t>(b.id)]) + ");"),
              std::string::npos);
  }
  EXPECT_FALSE(std::regex_search(c.c.source, std::regex(R"(\bu?int(8|16|32)_t \w+\[[0-9]+\];)")));
  EXPECT_EQ(Diff(g, c, 2), "");
}

INSTANTIATE_TEST_SUITE_P(Dtypes, InPlaceDepthwise, ::testing::Values(DType::kInt8, DType::kUInt8),
                         [](const auto& info) { return std::string(DTypeName(info.param)); });

// x -> DEPTHWISE (stride 1, SAME) -> y; z = ADD(x, y) [; w = ADD(z, broadcast b)].
Graph DepthwiseThenAdd(int channels, bool broadcast_add) {
  ConvCase c;
  c.in_channels = channels;
  c.height = 7;
  c.width = 5;
  Graph g = testmodels::DepthwiseConv2DModel(c);
  const int x = g.inputs[0], y = g.outputs[0];
  const int z = g.AddActivation(DType::kInt8, g.tensor(x).shape, testmodels::PerTensor(0.12f, 2), "sum");
  Op add;
  add.kind = OpKind::kAdd;
  add.inputs = {x, y};
  add.outputs = {z};
  add.attrs = AddAttrs{Activation::kNone};
  g.AddOp(add);
  g.outputs = {z};
  if (broadcast_add) {
    const int b = g.AddActivation(DType::kInt8, {1, 1, 1, channels}, testmodels::PerTensor(0.07f, -4), "bias_like");
    g.inputs.push_back(b);
    const int w = g.AddActivation(DType::kInt8, g.tensor(x).shape, testmodels::PerTensor(0.2f, 1), "sum2");
    Op add2 = add;
    add2.inputs = {b, z};  // the broadcast operand first: the output may only go over z
    add2.outputs = {w};
    g.AddOp(add2);
    g.outputs = {w};
  }
  return g;
}

TEST(InPlace, InputReadLaterIsNeverOverwrittenAndAddGoesInPlace) {
  for (int channels : {1, 4, 17}) {
    const Graph g = DepthwiseThenAdd(channels, false);
    for (InPlaceMode mode : {InPlaceMode::kAuto, InPlaceMode::kAll}) {
      const CompiledModel c = CompileWith(g, mode);
      const int x = g.inputs[0], y = g.ops[0].outputs[0], z = g.outputs[0];
      EXPECT_NE(Offset(c, y), Offset(c, x)) << "the depthwise output overwrote x, which ADD reads later";
      EXPECT_TRUE(Offset(c, z) == Offset(c, x) || Offset(c, z) == Offset(c, y)) << "ADD not in place";
      EXPECT_EQ(c.in_place_outputs, 1);
      EXPECT_EQ(Diff(g, c, 2), "") << channels << " channels, " << InPlaceModeName(mode);
    }
  }
}

// Graph outputs live to the end: an input that is also an output, and an intermediate output read by a
// later op, are never written over, whatever the in-place mode.
TEST(InPlace, GraphOutputsAreNeverOverwritten) {
  for (int variant = 0; variant < 4; ++variant) {
    Graph g = DepthwiseThenAdd(4, variant >= 2);
    const int x = g.inputs[0], y = g.ops[0].outputs[0], z = g.ops[1].outputs[0];
    switch (variant) {
      case 0: g.outputs = {x, z}; break;         // the input is an output too
      case 1: g.outputs = {z, y, x}; break;      // so are the depthwise output and the input
      case 2: g.outputs = {g.outputs[0], z}; break;  // ADD's sum is an output and read by the second ADD
      case 3: g.outputs = {y, g.outputs[0], x}; break;
    }
    for (InPlaceMode mode : {InPlaceMode::kAuto, InPlaceMode::kAll}) {
      const CompiledModel c = CompileWith(g, mode);
      EXPECT_EQ(Diff(g, c, 2), "") << "variant " << variant << ", " << InPlaceModeName(mode);
    }
  }
}

TEST(InPlace, BroadcastAddGoesOverTheFullOperandOnly) {
  const Graph g = DepthwiseThenAdd(5, true);
  const CompiledModel c = CompileWith(g, InPlaceMode::kAuto);
  const int b = g.inputs[1], z = g.ops[1].outputs[0], w = g.outputs[0];
  EXPECT_EQ(Offset(c, w), Offset(c, z));
  EXPECT_NE(Offset(c, w), Offset(c, b));
  EXPECT_EQ(Diff(g, c, 3), "");
  // Without in-place nothing shares storage, and the outputs are the same.
  const CompiledModel none = CompileWith(g, InPlaceMode::kNone);
  EXPECT_EQ(none.in_place_outputs, 0);
  EXPECT_NE(Offset(none, w), Offset(none, z));
  EXPECT_EQ(Diff(g, none, 1), "");
}

TEST(InPlace, AutoTakesTheVariantOnlyWhereTheArenaShrinks) {
  ConvCase one;  // one channel: the copy of the plane costs as much as the output it saves
  one.in_channels = 1;
  one.height = one.width = 9;
  const CompiledModel c1 = CompileWith(testmodels::DepthwiseConv2DModel(one), InPlaceMode::kAuto);
  EXPECT_TRUE(c1.in_place_variants.empty());
  ConvCase many = one;
  many.in_channels = 16;
  const Graph g = testmodels::DepthwiseConv2DModel(many);
  const CompiledModel c16 = CompileWith(g, InPlaceMode::kAuto);
  ASSERT_EQ(c16.in_place_variants, std::vector<int>{0});
  EXPECT_LT(c16.plan.total, c16.plan.floor_bytes);
  EXPECT_LT(c16.plan.total, CompileWith(g, InPlaceMode::kNone).plan.total);
  EXPECT_EQ(Diff(g, c16, 2), "");
}

TEST(InPlaceShared, MobileNetV2ArenasGoBelowTheFloor) {
  const std::string shared = SharedDirFromEnv();
  if (shared.empty()) {
    std::cerr << "SKIPPED: TINYFUSE_SHARED_DIR is not set or has no goldens/MANIFEST.tsv; MobileNetV2 in-place "
                 "arenas not checked\n";
    GTEST_SKIP() << "TINYFUSE_SHARED_DIR not set";
  }
  for (const char* name : {"mobilenet_v2_quantized_1x3x224x224", "tf2_mobilenet_v2_1.0_224_ptq"}) {
    const Graph g = LoadModel(shared + "/models/" + name + ".tflite");
    const CompiledModel c = Compile(g, CompileOptions{});
    // The peak is the stride-2 depthwise 112x112x96 -> 56x56x96: without in-place, input and output.
    EXPECT_EQ(c.plan.floor_bytes, 112 * 112 * 96 + 56 * 56 * 96) << name;
    EXPECT_LT(c.plan.total, c.plan.floor_bytes) << name;
    EXPECT_FALSE(c.in_place_variants.empty()) << name;
    std::cerr << name << ": floor " << c.plan.floor_bytes << ", arena " << c.plan.total << "\n";
  }
}

}  // namespace
}  // namespace tinyfuse
