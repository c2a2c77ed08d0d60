// WriteTflite -> ImportTflite gives back the same graph, for every op kind and variant; the file layout
// the writer promises; reading paths of the importer that the writer does not exercise by itself.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <fstream>

#include "common/error.h"
#include "graph/verifier.h"
#include "test_graphs.h"
#include "tflite/importer.h"
#include "tflite/names.h"
#include "tflite/raw_model.h"
#include "tflite/writer.h"

namespace tinyfuse {
namespace {

using namespace ::tinyfuse::testing;

// Writes, reads back, compares and verifies.
void ExpectRoundTrip(const Graph& g) {
  const std::vector<uint8_t> bytes = WriteTflite(g);
  const Graph back = ImportTflite(bytes.data(), bytes.size());
  EXPECT_EQ(GraphDifference(g, back), "");
  EXPECT_NO_THROW(VerifyGraph(back));
  for (size_t k = 0; k < back.ops.size(); ++k) EXPECT_EQ(back.ops[k].source_index, static_cast<int>(k));
}

class RoundTripEveryOp : public ::testing::TestWithParam<int> {};

TEST_P(RoundTripEveryOp, SameGraph) { ExpectRoundTrip(GraphWithOp(static_cast<OpKind>(GetParam()))); }

INSTANTIATE_TEST_SUITE_P(AllOps, RoundTripEveryOp, ::testing::Range(0, kNumOpKinds),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(OpName(static_cast<OpKind>(info.param)));
                         });

TEST(RoundTrip, ConvVariants) {
  for (DType dt : {DType::kInt8, DType::kUInt8}) {
    for (bool per_channel : {true, false}) {
      if (dt == DType::kUInt8 && per_channel) continue;
      for (Padding p : {Padding::kSame, Padding::kValid}) {
        for (bool bias : {true, false}) {
          ConvSpec s;
          s.dtype = dt;
          s.per_channel = per_channel;
          s.padding = p;
          s.bias = bias;
          s.stride = 2;
          SCOPED_TRACE(std::string(DTypeName(dt)) + (per_channel ? " per-channel " : " per-tensor ") + PaddingName(p) +
                       (bias ? " bias" : " no bias"));
          ExpectRoundTrip(Conv2DGraph(s));
          ExpectRoundTrip(DepthwiseConv2DGraph(s));
        }
      }
    }
  }
}

TEST(RoundTrip, ConvAttributes) {
  ConvSpec s;
  s.dilation = 2;
  s.groups = 2;
  for (Activation a : {Activation::kNone, Activation::kRelu, Activation::kReluN1To1, Activation::kRelu6}) {
    s.activation = a;
    ExpectRoundTrip(Conv2DGraph(s));
  }
  s = ConvSpec();
  s.depth_multiplier = 3;
  s.dilation = 2;
  ExpectRoundTrip(DepthwiseConv2DGraph(s));
  Graph g = Conv2DGraph();
  auto& a = std::get<Conv2DAttrs>(g.ops[0].attrs);
  a.stride_h = 1;
  a.stride_w = 3;
  a.dilation_h = 2;
  a.dilation_w = 1;
  g.tensors[3].shape = {1, 9, 3, 6};
  ExpectRoundTrip(g);
}

TEST(RoundTrip, OtherVariants) {
  for (DType dt : {DType::kInt8, DType::kUInt8}) {
    for (Padding p : {Padding::kSame, Padding::kValid}) {
      ExpectRoundTrip(Pool2DGraph(OpKind::kAveragePool2D, dt, p));
      ExpectRoundTrip(Pool2DGraph(OpKind::kMaxPool2D, dt, p));
    }
    ExpectRoundTrip(FullyConnectedGraph(dt, false, false));
    ExpectRoundTrip(FullyConnectedGraph(dt, false, true, true));
    ExpectRoundTrip(SoftmaxGraph(dt, 0.37f));
    ExpectRoundTrip(ReshapeGraph(dt, false));
    ExpectRoundTrip(PadGraph(dt, true));
    ExpectRoundTrip(MeanGraph(dt, true));
    ExpectRoundTrip(AddGraph(dt, {1, 4, 1, 3}, {4, 1}));
  }
  ExpectRoundTrip(FullyConnectedGraph(DType::kInt8, true));
  ExpectRoundTrip(QuantizeGraph(DType::kInt8, DType::kUInt8));
  ExpectRoundTrip(ChainGraph());
}

TEST(RoundTrip, Int16TensorsAndEmptyGraph) {
  // int16 is readable (VerifyGraph is what rejects int16 activations).
  Graph g = SoftmaxGraph();
  g.tensors[0].dtype = DType::kInt16;
  const std::vector<uint8_t> bytes = WriteTflite(g);
  EXPECT_EQ(GraphDifference(g, ImportTflite(bytes.data(), bytes.size())), "");
  const std::vector<uint8_t> empty = WriteTflite(Graph());
  EXPECT_EQ(ImportTflite(empty.data(), empty.size()).tensors.size(), 0u);
}

TEST(Writer, FileLayout) {
  Graph g = ChainGraph();
  g.AddOp(g.ops.back());  // a second SOFTMAX v1 ...
  g.ops.back().outputs = {g.AddActivation(DType::kInt8, {1, 3}, PerTensor(1.0f / 256, -128), "p2")};
  g.ops.back().inputs = {g.ops[4].outputs[0]};
  g.AddOp(g.ops.back());  // ... and one of version 2
  g.ops.back().version = 2;
  g.ops.back().outputs = {g.AddActivation(DType::kInt8, {1, 3}, PerTensor(1.0f / 256, -128), "p3")};
  const RawModel m = RawModelFromGraph(g);
  EXPECT_EQ(m.version, 3u);
  ASSERT_EQ(m.subgraphs.size(), 1u);
  ASSERT_FALSE(m.buffers.empty());
  EXPECT_TRUE(m.buffers[0].data.empty());
  size_t constants = 0;
  for (const Tensor& t : g.tensors) constants += t.is_const;
  EXPECT_EQ(m.buffers.size(), constants + 1);
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    EXPECT_EQ(m.subgraphs[0].tensors[i].buffer != 0, g.tensors[i].is_const) << i;
  }
  // CONV_2D v3, DEPTHWISE v2, MAX_POOL v1, RESHAPE v1, FC v9, SOFTMAX v1 (three ops), SOFTMAX v2.
  ASSERT_EQ(m.operator_codes.size(), 7u);
  EXPECT_EQ(m.subgraphs[0].operators[5].opcode_index, m.subgraphs[0].operators[6].opcode_index);
  EXPECT_NE(m.subgraphs[0].operators[6].opcode_index, m.subgraphs[0].operators[7].opcode_index);
  EXPECT_EQ(m.operator_codes[0].builtin_code, 3);
  EXPECT_EQ(m.operator_codes[0].deprecated_builtin_code, 3);
  EXPECT_EQ(m.operator_codes[0].version, 3);
  EXPECT_EQ(m.subgraphs[0].operators[1].inputs[2], -1);  // omitted depthwise bias
  EXPECT_EQ(m.subgraphs[0].operators[3].options.new_shape, (std::vector<int32_t>{1, 16}));
  ExpectRoundTrip(g);
}

TEST(Writer, RejectsIdsOutOfRange) {
  Graph g = SoftmaxGraph();
  g.ops[0].inputs[0] = 5;
  EXPECT_THROW(WriteTflite(g), Error);
}

TEST(Importer, ReadsOperatorCodeFields) {
  // The code is the larger of the byte field (all a pre-2.4 file has) and the int32 field (codes >= 127
  // need it; the byte then holds 127). Codes >= 127 are covered by UnsupportedExtendedOperator.
  RawModel m = RawModelFromGraph(QuantizeGraph());
  for (const auto& [byte, extended] : {std::pair{114, 114}, std::pair{114, 0}, std::pair{0, 114}}) {
    m.operator_codes[0].deprecated_builtin_code = byte;
    m.operator_codes[0].builtin_code = extended;
    const std::vector<uint8_t> bytes = WriteRawModel(m);
    EXPECT_EQ(ImportTflite(bytes.data(), bytes.size()).ops[0].kind, OpKind::kQuantize) << byte << " " << extended;
  }
}

TEST(Importer, MissingOptionsReadAsDefaults) {
  RawModel m = RawModelFromGraph(ReshapeGraph());
  m.subgraphs[0].operators[0].options = RawOptions();
  std::vector<uint8_t> bytes = WriteRawModel(m);
  EXPECT_NO_THROW(VerifyGraph(ImportTflite(bytes.data(), bytes.size())));
  m = RawModelFromGraph(FullyConnectedGraph());
  m.subgraphs[0].operators[0].options = RawOptions();
  bytes = WriteRawModel(m);
  const Graph g = ImportTflite(bytes.data(), bytes.size());
  EXPECT_EQ(std::get<FullyConnectedAttrs>(g.ops[0].attrs).activation, Activation::kNone);
}

TEST(Importer, NormalisesRankOneQuantizedDimension) {
  // person_detect's depthwise biases: rank 1, per-channel, quantized_dimension 3.
  Graph g = DepthwiseConv2DGraph();
  g.tensors[1].quant = PerChannel({0.1f, 0.2f, 0.3f, 0.4f}, 0);
  RawModel m = RawModelFromGraph(g);
  m.subgraphs[0].tensors[1].quantization->quantized_dimension = 3;
  const std::vector<uint8_t> bytes = WriteRawModel(m);
  const Graph back = ImportTflite(bytes.data(), bytes.size());
  EXPECT_EQ(back.tensors[1].quant.axis, 0);
  EXPECT_EQ(GraphDifference(g, back), "");
}

TEST(Importer, SharedConstantBuffers) {
  // Converters deduplicate equal constants into one buffer; each tensor gets its own copy of the bytes.
  Graph c = Conv2DGraph();
  RawModel m = RawModelFromGraph(c);
  m.subgraphs[0].tensors.push_back(m.subgraphs[0].tensors[0]);  // an unused second tensor on w's buffer
  const std::vector<uint8_t> bytes = WriteRawModel(m);
  const Graph back = ImportTflite(bytes.data(), bytes.size());
  ASSERT_EQ(back.tensors.size(), 5u);
  EXPECT_EQ(back.tensors[4].data, c.tensors[0].data);
  EXPECT_EQ(back.tensors[0].data, c.tensors[0].data);
}

TEST(Importer, AcceptsMisalignedData) {
  const std::vector<uint8_t> bytes = WriteTflite(ChainGraph());
  std::vector<uint8_t> shifted(bytes.size() + 3);
  std::memcpy(shifted.data() + 3, bytes.data(), bytes.size());
  EXPECT_EQ(GraphDifference(ChainGraph(), ImportTflite(shifted.data() + 3, bytes.size())), "");
}

TEST(Importer, FileRoundTrip) {
  const std::string path = ::testing::TempDir() + "tinyfuse_roundtrip.tflite";
  WriteTfliteFile(ChainGraph(), path);
  EXPECT_EQ(GraphDifference(ChainGraph(), ImportTfliteFile(path)), "");
  std::remove(path.c_str());
}

TEST(Names, OpTableMatchesTfliteNames) {
  for (int k = 0; k < kNumOpKinds; ++k) {
    const OpKind kind = static_cast<OpKind>(k);
    ASSERT_NE(BuiltinOperatorName(OpBuiltinCode(kind)), nullptr);
    EXPECT_STREQ(BuiltinOperatorName(OpBuiltinCode(kind)), OpName(kind));
  }
  EXPECT_STREQ(BuiltinOperatorName(23), "RESIZE_BILINEAR");
  EXPECT_STREQ(BuiltinOperatorName(127), "PLACEHOLDER_FOR_GREATER_OP_CODES");
  EXPECT_STREQ(BuiltinOperatorName(150), "GELU");
  EXPECT_STREQ(BuiltinOperatorName(161), "RIGHT_SHIFT");
  EXPECT_EQ(BuiltinOperatorName(162), nullptr);
  EXPECT_EQ(BuiltinOperatorName(-1), nullptr);
  EXPECT_EQ(DescribeTensorType(0), "FLOAT32");
  EXPECT_EQ(DescribeTensorType(9), "INT8");
  EXPECT_EQ(DescribeTensorType(99), "unknown type 99");
}

}  // namespace
}  // namespace tinyfuse
