// ComputeStats and StatsJson.
#include "graph/stats.h"

#include <gtest/gtest.h>

#include <limits>

#include "test_graphs.h"

namespace tinyfuse {
namespace {

using namespace ::tinyfuse::testing;

TEST(ComputeStats, ConvMacsAndBytes) {
  ConvSpec s;
  s.stride = 2;  // output [1,5,5,6], weights [6,3,3,4], bias [6]
  const GraphStats st = ComputeStats(Conv2DGraph(s));
  ASSERT_EQ(st.ops.size(), 1u);
  EXPECT_EQ(st.ops[0].macs, 5 * 5 * 6 * 3 * 3 * 4);
  EXPECT_EQ(st.ops[0].weight_bytes, 216 + 24);
  EXPECT_EQ(st.ops[0].input_bytes, 9 * 9 * 4);
  EXPECT_EQ(st.ops[0].output_bytes, 5 * 5 * 6);
  EXPECT_EQ(st.total_macs, st.ops[0].macs);
  EXPECT_EQ(st.weight_bytes, 240);
  EXPECT_EQ(st.activation_bytes, 9 * 9 * 4 + 5 * 5 * 6);
}

TEST(ComputeStats, GroupedConvDepthwiseAndFullyConnected) {
  ConvSpec s;
  s.groups = 2;  // weights [6,3,3,2]
  EXPECT_EQ(ComputeStats(Conv2DGraph(s)).total_macs, 9 * 9 * 6 * 3 * 3 * 2);
  s = ConvSpec();
  s.depth_multiplier = 2;  // output [1,9,9,8]
  EXPECT_EQ(ComputeStats(DepthwiseConv2DGraph(s)).total_macs, 9 * 9 * 8 * 3 * 3);
  EXPECT_EQ(ComputeStats(FullyConnectedGraph()).total_macs, 2 * 5 * 12);
  EXPECT_EQ(ComputeStats(SoftmaxGraph()).total_macs, 0);
}

TEST(ComputeStats, CountsSharedTensorsOnce) {
  const Graph g = ChainGraph();
  const GraphStats st = ComputeStats(g);
  int64_t weights = 0, activations = 0;
  for (const Tensor& t : g.tensors) (t.is_const ? weights : activations) += t.byte_size();
  EXPECT_EQ(st.weight_bytes, weights);
  EXPECT_EQ(st.activation_bytes, activations);
  ASSERT_EQ(st.ops.size(), g.ops.size());
}

TEST(StatsJson, Golden) {
  const Graph g = QuantizeGraph(DType::kUInt8, DType::kInt8);
  EXPECT_EQ(StatsJson(g, ComputeStats(g)),
            "{\"inputs\":[{\"tensor\":0,\"name\":\"x\",\"dtype\":\"uint8\",\"shape\":[1,16],\"bytes\":16,"
            "\"quantization\":{\"scale\":[0.5],\"zero_point\":[125]}}],"
            "\"outputs\":[{\"tensor\":1,\"name\":\"y\",\"dtype\":\"int8\",\"shape\":[1,16],\"bytes\":16,"
            "\"quantization\":{\"scale\":[0.25],\"zero_point\":[-3]}}],"
            "\"ops\":[{\"index\":0,\"op\":\"QUANTIZE\",\"version\":1,\"inputs\":[0],\"outputs\":[1],"
            "\"output_dtype\":\"int8\",\"output_shape\":[1,16],\"macs\":0,\"weight_bytes\":0,\"input_bytes\":16,"
            "\"output_bytes\":16}],\"weight_bytes\":0,\"activation_bytes\":32,\"total_macs\":0,"
            "\"arith_auto\":\"tflm\"}");
}

TEST(StatsJson, EscapesNames) {
  Graph g = QuantizeGraph();
  g.tensors[0].name = "q\"b\\s\x01 \xc3\xa9 \xff \xed\xa0\x80";
  const std::string json = StatsJson(g, ComputeStats(g));
  EXPECT_NE(json.find(R"("name":"q\"b\\s\u0001 )"
                      "\xc3\xa9"
                      R"( \ufffd \ufffd\ufffd\ufffd")"),
            std::string::npos)
      << json;
}

TEST(StatsJson, PerChannelAxisAndNonFiniteScale) {
  Graph g = SoftmaxGraph();
  g.tensors[0].quant.scale[0] = std::numeric_limits<float>::infinity();
  const std::string json = StatsJson(g, ComputeStats(g));
  EXPECT_NE(json.find("\"scale\":[null]"), std::string::npos) << json;
}

}  // namespace
}  // namespace tinyfuse
