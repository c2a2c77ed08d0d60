// PrintGraph: golden text of a small graph, and the pieces it is made of.
#include "graph/printer.h"

#include <gtest/gtest.h>

#include "test_graphs.h"

namespace tinyfuse {
namespace {

using namespace ::tinyfuse::testing;

TEST(PrintGraph, ConvGolden) {
  ConvSpec s;
  s.bias = false;
  s.stride = 2;
  const std::string expected =
      "graph: 3 tensors, 1 op\n"
      "input  t1 'x' int8[1,9,9,4] s=0.5 zp=-3\n"
      "output t2 'y' int8[1,5,5,6] s=0.75 zp=-3\n"
      "op 0 CONV_2D v1 padding=SAME stride=2x2 dilation=1x1 activation=RELU\n"
      "  in  t1 'x' int8[1,9,9,4] s=0.5 zp=-3\n"
      "  in  t0 'w' const int8[6,3,3,4] per-channel axis=0 scales[6]=0.01..0.035 zp=0\n"
      "  in  -  (omitted)\n"
      "  out t2 'y' int8[1,5,5,6] s=0.75 zp=-3\n";
  EXPECT_EQ(PrintGraph(Conv2DGraph(s)), expected);
}

TEST(PrintGraph, EveryOpPrintsItsAttrs) {
  EXPECT_EQ(PrintAttrs(DepthwiseConv2DGraph().ops[0]),
            "padding=SAME stride=1x1 dilation=1x1 depth_multiplier=1 activation=RELU");
  EXPECT_EQ(PrintAttrs(FullyConnectedGraph().ops[0]), "activation=RELU6 keep_num_dims=false");
  EXPECT_EQ(PrintAttrs(Pool2DGraph().ops[0]), "padding=VALID filter=3x2 stride=2x2 activation=RELU_N1_TO_1");
  EXPECT_EQ(PrintAttrs(AddGraph().ops[0]), "activation=RELU");
  EXPECT_EQ(PrintAttrs(SoftmaxGraph(DType::kInt8, 0.1f).ops[0]), "beta=0.100000001");
  EXPECT_EQ(PrintAttrs(MeanGraph(DType::kInt8, true).ops[0]), "keep_dims=true");
  EXPECT_EQ(PrintAttrs(TransposeGraph().ops[0]), "");
}

TEST(PrintGraph, Quantization) {
  EXPECT_EQ(PrintQuantization(Quantization()), "no-quant");
  EXPECT_EQ(PrintQuantization(PerTensor(0.25f, 7)), "s=0.25 zp=7");
  Quantization q = PerChannel({0.5f, 0.125f, 0.25f}, 3);
  EXPECT_EQ(PrintQuantization(q), "per-channel axis=3 scales[3]=0.125..0.5 zp=0");
  q.zero_point[1] = 4;
  EXPECT_EQ(PrintQuantization(q), "per-channel axis=3 scales[3]=0.125..0.5 zp=mixed");
}

TEST(PrintGraph, EscapesNamesAndSurvivesBadIds) {
  Graph g = SoftmaxGraph();
  g.tensors[0].name = "a'b\nc";
  g.ops[0].outputs[0] = 9;
  const std::string text = PrintGraph(g);
  EXPECT_NE(text.find("t0 'a\\x27b\\x0ac' int8[2,10]"), std::string::npos) << text;
  EXPECT_NE(text.find("  out t9 (out of range)\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace tinyfuse
