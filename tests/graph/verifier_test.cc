// VerifyGraph: every builder graph passes; then one test per rejection, each breaking one thing.
#include "graph/verifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

#include "common/error.h"
#include "test_graphs.h"

namespace tinyfuse {
namespace {

using ::testing::HasSubstr;
using namespace ::tinyfuse::testing;

// Verifies g and expects an Error whose single-line message contains every fragment.
void ExpectReject(const Graph& g, std::initializer_list<const char*> fragments) {
  try {
    VerifyGraph(g);
    ADD_FAILURE() << "VerifyGraph accepted the graph; expected: " << *fragments.begin();
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    for (const char* f : fragments) EXPECT_THAT(msg, HasSubstr(f));
  }
}

// ----------------------------------------------------------------------------------------- accepted

class VerifyEveryOp : public ::testing::TestWithParam<int> {};

TEST_P(VerifyEveryOp, BuilderGraphPasses) {
  const OpKind kind = static_cast<OpKind>(GetParam());
  EXPECT_NO_THROW(VerifyGraph(GraphWithOp(kind))) << OpName(kind);
}

INSTANTIATE_TEST_SUITE_P(AllOps, VerifyEveryOp, ::testing::Range(0, kNumOpKinds),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(OpName(static_cast<OpKind>(info.param)));
                         });

TEST(VerifyGraph, AcceptsVariants) {
  for (DType dt : {DType::kInt8, DType::kUInt8}) {
    for (Padding p : {Padding::kSame, Padding::kValid}) {
      for (bool bias : {true, false}) {
        ConvSpec s;
        s.dtype = dt;
        s.padding = p;
        s.bias = bias;
        s.per_channel = dt == DType::kInt8;
        for (int stride : {1, 2, 3}) {
          s.stride = stride;
          EXPECT_NO_THROW(VerifyGraph(Conv2DGraph(s)));
          EXPECT_NO_THROW(VerifyGraph(DepthwiseConv2DGraph(s)));
        }
        s.stride = 1;
        s.dilation = 2;
        EXPECT_NO_THROW(VerifyGraph(Conv2DGraph(s)));
        EXPECT_NO_THROW(VerifyGraph(DepthwiseConv2DGraph(s)));
      }
      EXPECT_NO_THROW(VerifyGraph(Pool2DGraph(OpKind::kAveragePool2D, dt, p)));
      EXPECT_NO_THROW(VerifyGraph(Pool2DGraph(OpKind::kMaxPool2D, dt, p)));
    }
    EXPECT_NO_THROW(VerifyGraph(FullyConnectedGraph(dt, false, false)));
    EXPECT_NO_THROW(VerifyGraph(FullyConnectedGraph(dt, false, true, true)));
    EXPECT_NO_THROW(VerifyGraph(SoftmaxGraph(dt)));
    EXPECT_NO_THROW(VerifyGraph(ReshapeGraph(dt, false)));
    EXPECT_NO_THROW(VerifyGraph(PadGraph(dt, true)));
    EXPECT_NO_THROW(VerifyGraph(MeanGraph(dt, true)));
    EXPECT_NO_THROW(VerifyGraph(TransposeGraph(dt)));
  }
  EXPECT_NO_THROW(VerifyGraph(FullyConnectedGraph(DType::kInt8, true)));
  EXPECT_NO_THROW(VerifyGraph(QuantizeGraph(DType::kInt8, DType::kUInt8)));
  EXPECT_NO_THROW(VerifyGraph(QuantizeGraph(DType::kInt8, DType::kInt8)));
  EXPECT_NO_THROW(VerifyGraph(ChainGraph()));
}

TEST(VerifyGraph, AcceptsGroupedConvAndDepthMultiplier) {
  ConvSpec s;
  s.groups = 2;
  EXPECT_NO_THROW(VerifyGraph(Conv2DGraph(s)));
  s.groups = 1;
  s.depth_multiplier = 3;
  EXPECT_NO_THROW(VerifyGraph(DepthwiseConv2DGraph(s)));
  Graph g = DepthwiseConv2DGraph(s);
  std::get<DepthwiseConv2DAttrs>(g.ops[0].attrs).depth_multiplier = 0;  // "derive it from the shapes"
  EXPECT_NO_THROW(VerifyGraph(g));
}

TEST(VerifyGraph, AcceptsAddBroadcasting) {
  EXPECT_NO_THROW(VerifyGraph(AddGraph(DType::kInt8, {1, 4, 4, 3}, {3})));
  EXPECT_NO_THROW(VerifyGraph(AddGraph(DType::kInt8, {1, 4, 1, 3}, {1, 1, 5, 1})));
}

// ------------------------------------------------------------------------------------- tensor checks

TEST(VerifyGraph, RejectsNegativeDimension) {
  Graph g = SoftmaxGraph();
  g.tensors[0].shape = {2, -10};
  ExpectReject(g, {"tensor 0 'x'", "negative dimension"});
}

TEST(VerifyGraph, RejectsHugeTensor) {
  Graph g = SoftmaxGraph();
  g.tensors[0].shape = {65536, 65536, 65536};
  ExpectReject(g, {"tensor 0 'x'", "more than 2^31 - 1 bytes"});
}

TEST(VerifyGraph, RejectsRankAboveEight) {
  Graph g = SoftmaxGraph();
  g.tensors[0].shape = {1, 1, 1, 1, 1, 1, 1, 1, 2};
  ExpectReject(g, {"tensor 0 'x'", "rank 9 exceeds 8"});
}

TEST(VerifyGraph, RejectsConstantOfWrongSize) {
  Graph g = Conv2DGraph();
  g.tensors[0].data.pop_back();
  ExpectReject(g, {"tensor 0 'w'", "constant holds 215 bytes, its shape needs 216"});
}

TEST(VerifyGraph, RejectsZeroPointCountMismatch) {
  Graph g = Conv2DGraph();
  g.tensors[0].quant.zero_point.pop_back();
  ExpectReject(g, {"tensor 0 'w'", "6 scales but 5 zero points"});
}

TEST(VerifyGraph, RejectsNonPositiveScale) {
  Graph g = SoftmaxGraph();
  g.tensors[0].quant.scale[0] = 0.0f;
  ExpectReject(g, {"tensor 0 'x'", "not positive and finite"});
  g.tensors[0].quant.scale[0] = std::numeric_limits<float>::quiet_NaN();
  ExpectReject(g, {"tensor 0 'x'", "not positive and finite"});
}

TEST(VerifyGraph, RejectsZeroPointOutOfRange) {
  Graph g = SoftmaxGraph(DType::kUInt8);
  g.tensors[0].quant.zero_point[0] = 256;
  ExpectReject(g, {"tensor 0 'x'", "zero point 256 is outside the uint8 range"});
  g = SoftmaxGraph(DType::kInt8);
  g.tensors[0].quant.zero_point[0] = -129;
  ExpectReject(g, {"zero point -129 is outside the int8 range"});
}

TEST(VerifyGraph, RejectsPerChannelCountMismatch) {
  Graph g = Conv2DGraph();
  g.tensors[0].quant.scale.pop_back();
  g.tensors[0].quant.zero_point.pop_back();
  ExpectReject(g, {"tensor 0 'w'", "5 per-channel scales for dimension 0 of size 6"});
}

TEST(VerifyGraph, RejectsPerChannelAxisOutOfRange) {
  Graph g = Conv2DGraph();
  g.tensors[0].quant.axis = 4;
  ExpectReject(g, {"tensor 0 'w'", "quantization axis 4 is out of range for rank 4"});
}

// -------------------------------------------------------------------------------------- ids, dataflow

TEST(VerifyGraph, RejectsOpTensorIdOutOfRange) {
  Graph g = SoftmaxGraph();
  g.ops[0].inputs[0] = 7;
  ExpectReject(g, {"op 0 (SOFTMAX)", "input 0 refers to tensor 7, out of range"});
  g = SoftmaxGraph();
  g.ops[0].outputs[0] = -1;
  ExpectReject(g, {"op 0 (SOFTMAX)", "output 0 refers to tensor -1"});
}

TEST(VerifyGraph, RejectsUnsupportedVersion) {
  Graph g = Conv2DGraph();
  g.ops[0].version = 9;
  ExpectReject(g, {"op 0 (CONV_2D): version 9 is outside the supported 1..8"});
}

TEST(VerifyGraph, RejectsGraphOutputIdOutOfRange) {
  Graph g = SoftmaxGraph();
  g.outputs = {2};
  ExpectReject(g, {"graph output 0 refers to tensor 2, out of range"});
}

TEST(VerifyGraph, RejectsReadBeforeWrite) {
  Graph g = SoftmaxGraph();
  g.ops[0].inputs[0] = g.AddActivation(DType::kInt8, {2, 10}, ActQuant(DType::kInt8), "z");
  ExpectReject(g, {"op 0 (SOFTMAX)", "tensor 2 'z'", "read before any op writes it"});
}

TEST(VerifyGraph, RejectsGraphWithoutInputs) {
  Graph g = SoftmaxGraph();
  g.inputs.clear();
  ExpectReject(g, {"the graph has no inputs"});
}

TEST(VerifyGraph, RejectsGraphWithoutOutputs) {
  Graph g = SoftmaxGraph();
  g.outputs.clear();
  ExpectReject(g, {"the graph has no outputs"});
}

TEST(VerifyGraph, RejectsEmptyGraph) {
  Graph g;
  ExpectReject(g, {"the graph has no inputs"});
}

TEST(VerifyGraph, RejectsConstantGraphOutput) {
  Graph g = Conv2DGraph();
  g.outputs.push_back(1);  // the bias
  ExpectReject(g, {"graph output 1 tensor 1 'b' is a constant"});
}

TEST(VerifyGraph, AcceptsGraphWithoutOps) {
  // The output is the input: a valid model (compiled to a copy).
  Graph g = SoftmaxGraph();
  g.ops.clear();
  g.outputs = {0};
  EXPECT_NO_THROW(VerifyGraph(g));
  g.outputs = {0, 0};  // the same tensor twice
  EXPECT_NO_THROW(VerifyGraph(g));
}

TEST(VerifyGraph, RejectsZeroElementActivation) {
  Graph g = SoftmaxGraph();
  g.tensors[0].shape = {2, 0};
  ExpectReject(g, {"graph input 0 tensor 0 'x'", "shape [2,0] has zero elements"});
  g = SoftmaxGraph();
  g.tensors[1].shape = {0, 10};  // an op output
  ExpectReject(g, {"op 0 (SOFTMAX): output 0 tensor 1 'y'", "shape [0,10] has zero elements"});
}

TEST(VerifyGraph, NamesInMessagesAreEscapedAndCut) {
  Graph g = SoftmaxGraph();
  g.tensors[0].name = "x\n\x1b[2J" + std::string(200, 'n');
  g.tensors[0].shape = {-1, 10};
  ExpectReject(g, {"tensor 0 'x\\x0a\\x1b[2Jnnn", "nnn'...(206 bytes): negative dimension -1"});
}

TEST(VerifyGraph, RejectsOpsOutOfOrder) {
  Graph g = ChainGraph();
  std::swap(g.ops[0], g.ops[1]);
  ExpectReject(g, {"op 0 (DEPTHWISE_CONV_2D)", "read before any op writes it"});
}

TEST(VerifyGraph, RejectsTensorWrittenTwice) {
  Graph g = SoftmaxGraph();
  g.ops.push_back(g.ops[0]);
  ExpectReject(g, {"op 1 (SOFTMAX)", "already written"});
}

TEST(VerifyGraph, RejectsWritingAGraphInput) {
  Graph g = SoftmaxGraph();
  g.ops[0].outputs[0] = 0;
  ExpectReject(g, {"op 0 (SOFTMAX)", "is a graph input"});
}

TEST(VerifyGraph, RejectsWritingAConstant) {
  Graph g = Conv2DGraph();
  g.ops[0].outputs[0] = 1;  // the bias
  ExpectReject(g, {"op 0 (CONV_2D)", "output 0 (tensor 1 'b') is a constant"});
}

TEST(VerifyGraph, RejectsConstantGraphInput) {
  Graph g = Conv2DGraph();
  g.inputs.push_back(0);
  ExpectReject(g, {"graph input 1 tensor 0 'w' is a constant"});
}

TEST(VerifyGraph, RejectsDuplicateGraphInput) {
  Graph g = AddGraph();
  g.inputs = {0, 0, 1};
  ExpectReject(g, {"graph input 1 tensor 0 'a' is listed twice"});
}

TEST(VerifyGraph, RejectsUnwrittenGraphOutput) {
  Graph g = SoftmaxGraph();
  g.ops.clear();
  ExpectReject(g, {"graph output 0 tensor 1 'y' is never written"});
}

TEST(VerifyGraph, RejectsInt16Activation) {
  Graph g = SoftmaxGraph();
  g.tensors[0].dtype = DType::kInt16;
  ExpectReject(g, {"tensor 0 'x'", "int16 activations are unsupported (int8/uint8 only)"});
}

TEST(VerifyGraph, RejectsInt32Activation) {
  Graph g = QuantizeGraph();
  g.tensors[1].dtype = DType::kInt32;
  ExpectReject(g, {"op 0 (QUANTIZE): output 0", "int32 activations are unsupported"});
}

TEST(VerifyGraph, RejectsActivationWithoutQuantization) {
  Graph g = SoftmaxGraph();
  g.tensors[0].quant = Quantization();
  ExpectReject(g, {"tensor 0 'x'", "per-tensor quantization"});
}

TEST(VerifyGraph, RejectsPerChannelActivation) {
  Graph g = TransposeGraph();
  g.tensors[1].quant = PerChannel({0.1f, 0.2f, 0.3f}, 1);  // x [1,3,4,5]
  ExpectReject(g, {"tensor 1 'x'", "per-tensor quantization", "3 scales"});
}

// ------------------------------------------------------------------------------------------- op shape

TEST(VerifyGraph, RejectsWrongInputCount) {
  Graph g = SoftmaxGraph();
  g.ops[0].inputs.push_back(0);
  ExpectReject(g, {"op 0 (SOFTMAX)", "2 inputs, expected 1"});
  g = Conv2DGraph();
  g.ops[0].inputs.resize(1);
  ExpectReject(g, {"op 0 (CONV_2D)", "1 inputs, expected 2 to 3"});
}

TEST(VerifyGraph, RejectsWrongOutputCount) {
  Graph g = SoftmaxGraph();
  g.ops[0].outputs.push_back(g.AddActivation(DType::kInt8, {2, 10}, ActQuant(DType::kInt8), "extra"));
  ExpectReject(g, {"op 0 (SOFTMAX)", "2 outputs, expected 1"});
}

TEST(VerifyGraph, RejectsOmittedRequiredInput) {
  Graph g = TransposeGraph();
  g.ops[0].inputs[1] = -1;
  ExpectReject(g, {"op 0 (TRANSPOSE)", "required input 1 is omitted"});
}

TEST(VerifyGraph, RejectsAttrsOfAnotherKind) {
  Graph g = Conv2DGraph();
  g.ops[0].attrs = Pool2DAttrs{};
  ExpectReject(g, {"op 0 (CONV_2D)", "attributes are missing or of another op kind"});
}

TEST(VerifyGraph, RejectsConvOutputShape) {
  for (Padding p : {Padding::kSame, Padding::kValid}) {
    Graph g = Conv2DGraph({.padding = p, .stride = 2});
    g.tensors[3].shape[1] += 1;
    ExpectReject(g, {"op 0 (CONV_2D)", "output shape", "differs from the expected"});
  }
}

TEST(VerifyGraph, RejectsWindowLargerThanInput) {
  Graph g = Conv2DGraph({.padding = Padding::kValid});
  std::get<Conv2DAttrs>(g.ops[0].attrs).dilation_h = 5;
  ExpectReject(g, {"op 0 (CONV_2D)", "height: the window (11) is larger than the input (9)"});
}

TEST(VerifyGraph, RejectsZeroStride) {
  Graph g = Conv2DGraph();
  std::get<Conv2DAttrs>(g.ops[0].attrs).stride_w = 0;
  ExpectReject(g, {"op 0 (CONV_2D)", "width: stride, dilation and filter size must be at least 1"});
}

TEST(VerifyGraph, RejectsWindowArithmeticOverflow) {
  Graph g = Conv2DGraph();
  std::get<Conv2DAttrs>(g.ops[0].attrs).dilation_h = std::numeric_limits<int>::max();
  ExpectReject(g, {"op 0 (CONV_2D)", "window arithmetic overflows int32"});
}

TEST(VerifyGraph, RejectsConvChannelMismatch) {
  Graph g = Conv2DGraph();
  g.tensors[2].shape[3] = 3;  // input channels 3, weights expect 4
  ExpectReject(g, {"op 0 (CONV_2D)", "input channels 3 are not a multiple of the weights' 4"});
}

TEST(VerifyGraph, RejectsGroupedConvOutputChannels) {
  ConvSpec s;
  s.groups = 4;  // weights [6,3,3,1]: 6 outputs do not split into 4 groups
  ExpectReject(Conv2DGraph(s), {"op 0 (CONV_2D)", "output channels 6 are not a multiple of the 4 groups"});
}

TEST(VerifyGraph, RejectsNonConstantWeights) {
  Graph g = Conv2DGraph();
  Tensor& w = g.tensors[0];
  w.is_const = false;
  w.data.clear();
  w.quant = ActQuant(DType::kInt8);
  g.inputs.push_back(0);
  ExpectReject(g, {"op 0 (CONV_2D)", "weights (tensor 0 'w') must be constant"});
}

TEST(VerifyGraph, RejectsWeightsWithoutQuantization) {
  Graph g = FullyConnectedGraph();
  g.tensors[0].quant = Quantization();
  ExpectReject(g, {"op 0 (FULLY_CONNECTED)", "weights (tensor 0 'w') have no quantization"});
}

TEST(VerifyGraph, RejectsPerChannelCountNotOutputChannels) {
  // Valid per-channel quantization of the tensor itself (along axis 3), but not along the output channels.
  Graph g = Conv2DGraph();
  g.tensors[0].quant = PerChannel({0.1f, 0.1f, 0.1f, 0.1f}, 3);
  ExpectReject(g, {"op 0 (CONV_2D)", "weights (tensor 0 'w') are quantized along axis 3, expected 0"});
}

TEST(VerifyGraph, RejectsDepthwiseWeightAxis) {
  Graph g = DepthwiseConv2DGraph({.depth_multiplier = 1});
  g.tensors[0].quant = PerTensor(0.1f, 0);
  EXPECT_NO_THROW(VerifyGraph(g));
  g.tensors[0].shape = {1, 3, 3, 4};
  g.tensors[0].quant = PerChannel({0.1f, 0.1f, 0.1f}, 1);
  ExpectReject(g, {"op 0 (DEPTHWISE_CONV_2D)", "quantized along axis 1, expected 3"});
}

TEST(VerifyGraph, RejectsInt8WeightsWithZeroPoint) {
  Graph g = FullyConnectedGraph();
  g.tensors[0].quant.zero_point[0] = 4;
  ExpectReject(g, {"op 0 (FULLY_CONNECTED)", "int8 weights need zero point 0, found 4"});
}

TEST(VerifyGraph, RejectsPerChannelUint8Weights) {
  Graph g = FullyConnectedGraph(DType::kUInt8);
  g.tensors[0].quant = PerChannel({0.1f, 0.1f, 0.1f, 0.1f, 0.1f}, 0);
  ExpectReject(g, {"op 0 (FULLY_CONNECTED)", "per-channel quantization needs int8 weights"});
}

TEST(VerifyGraph, RejectsMixedDTypes) {
  Graph g = FullyConnectedGraph(DType::kUInt8);
  g.tensors[0].dtype = DType::kInt8;
  g.tensors[0].quant.zero_point[0] = 0;
  ExpectReject(g, {"op 0 (FULLY_CONNECTED)", "weights (tensor 0 'w') are int8 but the input is uint8"});
  g = SoftmaxGraph();
  g.tensors[1].dtype = DType::kUInt8;
  g.tensors[1].quant.zero_point[0] = 0;
  ExpectReject(g, {"op 0 (SOFTMAX)", "input and output dtypes differ: int8 vs uint8"});
}

TEST(VerifyGraph, RejectsBiasDType) {
  Graph g = Conv2DGraph();
  g.tensors[1].dtype = DType::kInt8;
  g.tensors[1].data.resize(6);
  ExpectReject(g, {"op 0 (CONV_2D)", "bias (tensor 1 'b') is int8, expected int32"});
}

TEST(VerifyGraph, RejectsBiasShape) {
  Graph g = FullyConnectedGraph();
  g.tensors[1].shape = {1, 5};
  ExpectReject(g, {"op 0 (FULLY_CONNECTED)", "bias shape [1,5] differs from the expected [5]"});
}

TEST(VerifyGraph, RejectsDepthMultiplierMismatch) {
  Graph g = DepthwiseConv2DGraph({.depth_multiplier = 2});
  std::get<DepthwiseConv2DAttrs>(g.ops[0].attrs).depth_multiplier = 3;
  ExpectReject(g, {"op 0 (DEPTHWISE_CONV_2D)", "depth_multiplier 3 disagrees with the shapes (2)"});
}

TEST(VerifyGraph, RejectsDepthwiseWeightShape) {
  Graph g = DepthwiseConv2DGraph();
  g.tensors[0].shape = {2, 3, 3, 2};
  g.tensors[0].quant = PerTensor(0.1f, 0);
  ExpectReject(g, {"op 0 (DEPTHWISE_CONV_2D)", "must have shape [1, KH, KW, channels]"});
}

TEST(VerifyGraph, RejectsFullyConnectedDepth) {
  Graph g = FullyConnectedGraph();
  g.tensors[2].shape = {2, 3, 5};  // 30 elements, depth 12
  ExpectReject(g, {"op 0 (FULLY_CONNECTED)", "input elements 30 are not a multiple of the weights' depth 12"});
}

TEST(VerifyGraph, RejectsFullyConnectedOutputShape) {
  Graph g = FullyConnectedGraph();
  g.tensors[3].shape = {1, 10};
  ExpectReject(g, {"op 0 (FULLY_CONNECTED)", "output shape [1,10] differs from the expected [2,5]"});
  g = FullyConnectedGraph(DType::kInt8, false, true, true);
  g.tensors[3].shape = {6, 5};
  ExpectReject(g, {"output shape [6,5] differs from the expected [2,3,5]"});
}

TEST(VerifyGraph, RejectsPoolOutputShape) {
  Graph g = Pool2DGraph();
  g.tensors[1].shape = {1, 3, 3, 2};
  ExpectReject(g, {"op 0 (AVERAGE_POOL_2D)", "output shape [1,3,3,2] differs from the expected [1,3,3,3]"});
}

TEST(VerifyGraph, RejectsHugePoolWindow) {
  Graph g = Pool2DGraph(OpKind::kAveragePool2D, DType::kInt8, Padding::kSame);
  auto& a = std::get<Pool2DAttrs>(g.ops[0].attrs);
  a.filter_h = a.filter_w = 4096;
  ExpectReject(g, {"op 0 (AVERAGE_POOL_2D)", "pooling window of 16777216 taps exceeds 2^23"});
}

TEST(VerifyGraph, RejectsAddShapesThatDoNotBroadcast) {
  ExpectReject(AddGraph(DType::kInt8, {1, 4, 4, 3}, {1, 4, 4, 2}),
               {"op 0 (ADD)", "shapes [1,4,4,3] and [1,4,4,2] do not broadcast"});
}

TEST(VerifyGraph, RejectsAddBroadcastAboveRankSix) {
  ExpectReject(AddGraph(DType::kInt8, {1, 1, 1, 1, 1, 1, 2}, {2}), {"op 0 (ADD)", "unsupported above rank 6"});
}

TEST(VerifyGraph, RejectsAddOutputShape) {
  Graph g = AddGraph(DType::kInt8, {1, 4, 4, 3}, {3});
  g.tensors[2].shape = {1, 4, 4, 1};
  ExpectReject(g, {"op 0 (ADD)", "output shape [1,4,4,1] differs from the expected [1,4,4,3]"});
}

TEST(VerifyGraph, RejectsSoftmaxOutputQuantization) {
  Graph g = SoftmaxGraph();
  g.tensors[1].quant = PerTensor(1.0f / 128, -128);
  ExpectReject(g, {"op 0 (SOFTMAX)", "output quantization must be scale 1/256, zero point -128"});
  g = SoftmaxGraph(DType::kUInt8);
  g.tensors[1].quant = PerTensor(1.0f / 256, 128);
  ExpectReject(g, {"zero point 0"});
}

TEST(VerifyGraph, RejectsSoftmaxBeta) {
  ExpectReject(SoftmaxGraph(DType::kInt8, 0.0f), {"op 0 (SOFTMAX)", "beta 0.000000 is not positive and finite"});
}

TEST(VerifyGraph, RejectsReshapeElementCount) {
  Graph g = ReshapeGraph();
  g.tensors[2].shape = {1, 25};
  ExpectReject(g, {"op 0 (RESHAPE)", "input [1,2,3,4] and output [1,25] differ in element count"});
}

TEST(VerifyGraph, RejectsNonInt32ReshapeShape) {
  Graph g = ReshapeGraph();
  g.ops[0].inputs[1] = 1;  // x itself
  ExpectReject(g, {"op 0 (RESHAPE)", "shape (tensor 1 'x') is int8, expected int32"});
}

TEST(VerifyGraph, RejectsPadPaddingsShape) {
  Graph g = PadGraph();
  g.tensors[0].shape = {2, 4};
  ExpectReject(g, {"op 0 (PAD)", "paddings shape [2,4] differs from the expected [4,2]"});
}

TEST(VerifyGraph, RejectsNegativePaddings) {
  Graph g = PadGraph();
  g.tensors[0].data = BytesOf(std::vector<int32_t>{0, 0, -1, 2, 0, 1, 0, 0});
  ExpectReject(g, {"op 0 (PAD)", "paddings (tensor 0 'paddings') are negative on axis 1"});
}

TEST(VerifyGraph, RejectsPadOutputShape) {
  Graph g = PadGraph();
  g.tensors[2].shape = {1, 6, 6, 2};
  ExpectReject(g, {"op 0 (PAD)", "output shape [1,6,6,2] differs from the expected [1,6,5,2]"});
}

TEST(VerifyGraph, RejectsPadValueDType) {
  Graph g = PadGraph(DType::kInt8, true);
  g.tensors[1].dtype = DType::kUInt8;
  g.tensors[1].quant = Quantization();
  ExpectReject(g, {"op 0 (PAD)", "pad value (tensor 1 'value') is uint8, expected int8"});
}

TEST(VerifyGraph, RejectsTransposeNonPermutation) {
  Graph g = TransposeGraph();
  g.tensors[0].data = BytesOf(std::vector<int32_t>{0, 3, 3, 2});
  ExpectReject(g, {"op 0 (TRANSPOSE)", "perm (tensor 0 'perm') is not a permutation of 0..3"});
}

TEST(VerifyGraph, RejectsTransposeOutputShape) {
  Graph g = TransposeGraph();
  g.tensors[2].shape = {1, 3, 4, 5};
  ExpectReject(g, {"op 0 (TRANSPOSE)", "output shape [1,3,4,5] differs from the expected [1,5,3,4]"});
}

TEST(VerifyGraph, RejectsMeanAxisOutOfRange) {
  Graph g = MeanGraph();
  g.tensors[0].data = BytesOf(std::vector<int32_t>{1, 4});
  ExpectReject(g, {"op 0 (MEAN)", "axis 4 is out of range for rank 4"});
}

TEST(VerifyGraph, RejectsMeanOutputShape) {
  Graph g = MeanGraph(DType::kInt8, false);
  g.tensors[2].shape = {1, 1, 1, 8};
  ExpectReject(g, {"op 0 (MEAN)", "output shape [1,1,1,8] differs from the expected [1,8]"});
}

TEST(VerifyGraph, RejectsQuantizeShape) {
  Graph g = QuantizeGraph();
  g.tensors[1].shape = {16};
  ExpectReject(g, {"op 0 (QUANTIZE)", "output shape [16] differs from the expected [1,16]"});
}

}  // namespace
}  // namespace tinyfuse
