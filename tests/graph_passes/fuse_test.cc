#include "graph/passes/fuse.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/error.h"
#include "test_models.h"

namespace tinyfuse::passes {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testmodels::ConvCase;

TEST(Canonicalize, SeedLayerShowsEveryStep) {
  const Graph g = testmodels::SeedLayer();
  const CanonicalGraph c = Canonicalize(g, Arith::kTflm);
  EXPECT_EQ(PrintCanonical(c),
            "// DEPTHWISE_CONV_2D #0\n"
            "%4 = depthwise_conv2d_acc(%0, w=%1, kernel=3x3, stride=1x1, pad=1x1, zp_in=128, zp_w=122) : "
            "int32[1, 56, 56, 128]\n"
            "%5 = bias_add(%4, %2) : int32[1, 56, 56, 128]\n"
            "%6 = requantize(%5, 1175103104 * 2^-4, zp=0, double) : int32[1, 56, 56, 128]\n"
            "%7 = clamp(%6, 0, 255) : int32[1, 56, 56, 128]\n"
            "%3 = cast(%7) : uint8[1, 56, 56, 128]\n");
}

TEST(Fuse, SeedLayerIsOneGroupFrom8BitTo8Bit) {
  const Graph g = testmodels::SeedLayer();  // must outlive the fused graph
  const FusedGraph f = Fuse(Canonicalize(g, Arith::kTflm));
  ASSERT_EQ(f.groups.size(), 1u);
  EXPECT_EQ(f.groups[0].name, "dwconv2d_rq_n0");
  EXPECT_EQ(f.groups[0].inputs, std::vector<int>{0});
  EXPECT_EQ(f.groups[0].output, 3);
  EXPECT_EQ(f.groups[0].steps.size(), 5u);
  EXPECT_THAT(PrintFused(f), HasSubstr("kernel dwconv2d_rq_n0 (DEPTHWISE_CONV_2D #0): %0 -> %3\n"));
}

TEST(Fuse, PadFoldsIntoTheConvWhenItsValueIsTheZeroPoint) {
  ConvCase c;
  c.explicit_pad = true;
  c.padding = Padding::kValid;
  const Graph g = testmodels::Conv2DModel(c);  // ops: PAD #0, CONV_2D #1
  const FusedGraph f = Fuse(Canonicalize(g, Arith::kTflm));
  ASSERT_EQ(f.groups.size(), 1u);
  EXPECT_EQ(f.groups[0].name, "pad_conv2d_rq_n1");
  EXPECT_EQ(f.groups[0].ops, (std::vector<int>{0, 1}));
  EXPECT_EQ(f.groups[0].inputs, std::vector<int>{0});  // the PAD's input: the padded tensor never exists
  EXPECT_GE(f.groups[0].folded_pad, 0);
  EXPECT_THAT(PrintFused(f), HasSubstr("kernel pad_conv2d_rq_n1 (PAD #0 + CONV_2D #1): %0 -> "));
}

TEST(Fuse, PadWithTwoReadersStaysAKernel) {
  ConvCase c;
  c.explicit_pad = true;
  Graph g = testmodels::Conv2DModel(c);
  g.outputs.push_back(g.ops[1].inputs[0]);  // the padded tensor is also a graph output
  const FusedGraph f = Fuse(Canonicalize(g, Arith::kTflm));
  ASSERT_EQ(f.groups.size(), 2u);
  EXPECT_EQ(f.groups[0].name, "pad_n0");
  EXPECT_EQ(f.groups[1].name, "conv2d_rq_n1");
}

TEST(Fuse, EveryGroupBoundaryIs8Bit) {
  for (const Graph& g : {testmodels::SeedLayer(), testmodels::Conv2DModel(ConvCase{}),
                         testmodels::FullyConnectedModel(ConvCase{})}) {
    const FusedGraph f = Fuse(Canonicalize(g, Arith::kTflite));
    for (const FusedGroup& grp : f.groups) {
      for (int in : grp.inputs) EXPECT_NE(f.canonical.value(in).dtype, DType::kInt32);
      EXPECT_NE(f.canonical.value(grp.output).dtype, DType::kInt32);
    }
  }
}

TEST(FusedVerifier, RejectsAnInt32ValueLeavingItsGroup) {
  const Graph g = testmodels::SeedLayer();
  FusedGraph f = Fuse(Canonicalize(g, Arith::kTflm));
  // Split the group after the accumulator: the int32 accumulator would cross a kernel boundary.
  FusedGroup tail = f.groups[0];
  tail.steps.erase(tail.steps.begin());
  f.groups[0].steps.resize(1);
  f.groups.push_back(tail);
  try {
    VerifyFusedGraph(f);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("leaves group"));
  }
}

}  // namespace
}  // namespace tinyfuse::passes
