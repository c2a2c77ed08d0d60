#include "seed_models.h"

#include <cctype>
#include <string>
#include <utility>

#include "driver/demo_model.h"
#include "test_graphs.h"

namespace tinyfuse::fuzz {

namespace {

using testing::ConvSpec;

ConvSpec Spec(DType dtype, Padding padding, bool per_channel) {
  ConvSpec s;
  s.dtype = dtype;
  s.padding = padding;
  s.per_channel = per_channel && dtype == DType::kInt8;
  return s;
}

std::vector<SeedModel> Build() {
  const DType i8 = DType::kInt8, u8 = DType::kUInt8;
  const Padding same = Padding::kSame, valid = Padding::kValid;
  std::vector<SeedModel> m;
  auto add = [&m](std::string name, Graph g) { m.push_back({std::move(name), std::move(g)}); };

  // Convolutions: dtype x padding x weight quantization, then one variation at a time.
  for (bool depthwise : {false, true}) {
    const std::string op = depthwise ? "dwconv" : "conv2d";
    auto build = [depthwise](const ConvSpec& s) {
      return depthwise ? testing::DepthwiseConv2DGraph(s) : testing::Conv2DGraph(s);
    };
    add(op + "_int8_pc_same", build(Spec(i8, same, true)));
    add(op + "_int8_pc_valid", build(Spec(i8, valid, true)));
    add(op + "_int8_pt_same", build(Spec(i8, same, false)));
    add(op + "_int8_pt_valid", build(Spec(i8, valid, false)));
    add(op + "_uint8_same", build(Spec(u8, same, false)));
    add(op + "_uint8_valid", build(Spec(u8, valid, false)));
    ConvSpec s = Spec(i8, same, true);
    s.stride = 2;
    add(op + "_int8_stride2", build(s));
    s = Spec(u8, valid, false);
    s.stride = 2;
    add(op + "_uint8_stride2_valid", build(s));
    s = Spec(i8, same, true);
    s.dilation = 2;
    add(op + "_int8_dilation2", build(s));
    s = Spec(i8, valid, true);
    s.bias = false;
    s.activation = Activation::kNone;
    add(op + "_int8_nobias", build(s));
    s = Spec(i8, same, true);
    if (depthwise) {
      s.depth_multiplier = 2;
      add(op + "_int8_mult2", build(s));
    } else {
      s.groups = 2;
      add(op + "_int8_groups2", build(s));
    }
  }
  for (DType t : {i8, u8}) {
    const std::string d = DTypeName(t);
    add("fc_" + d, testing::FullyConnectedGraph(t));
    add("fc_" + d + "_nobias", testing::FullyConnectedGraph(t, false, false));
    add("fc_" + d + "_keepdims", testing::FullyConnectedGraph(t, false, true, true));
  }
  add("fc_int8_pc", testing::FullyConnectedGraph(i8, true));
  for (OpKind k : {OpKind::kAveragePool2D, OpKind::kMaxPool2D}) {
    for (DType t : {i8, u8}) {
      for (Padding p : {same, valid}) {
        add(std::string(k == OpKind::kMaxPool2D ? "maxpool_" : "avgpool_") + DTypeName(t) + "_" + PaddingName(p),
            testing::Pool2DGraph(k, t, p));
      }
    }
  }
  for (DType t : {i8, u8}) {
    const std::string d = DTypeName(t);
    add("add_" + d, testing::AddGraph(t));
    add("add_" + d + "_broadcast", testing::AddGraph(t, {1, 4, 4, 3}, {3}));
    add("softmax_" + d, testing::SoftmaxGraph(t));
    add("reshape_" + d, testing::ReshapeGraph(t));
    add("pad_" + d, testing::PadGraph(t));
    add("transpose_" + d, testing::TransposeGraph(t));
    add("concatenation_" + d, testing::ConcatenationGraph(t));
    add("strided_slice_" + d, testing::StridedSliceGraph(t));
    add("mean_" + d, testing::MeanGraph(t));
    add("sum_" + d, testing::ReduceGraph(OpKind::kSum, t));
    add("reduce_max_" + d, testing::ReduceGraph(OpKind::kReduceMax, t, true));
    add("reduce_min_" + d, testing::ReduceGraph(OpKind::kReduceMin, t));
    add("arg_max_" + d + "_int64", testing::ArgMinMaxGraph(OpKind::kArgMax, t));
    add("arg_min_" + d + "_int32", testing::ArgMinMaxGraph(OpKind::kArgMin, t, DType::kInt32));
    add("resize_bilinear_" + d, testing::ResizeBilinearGraph(t));
    add("resize_bilinear_" + d + "_align_corners", testing::ResizeBilinearGraph(t, true, false));
    add("resize_bilinear_" + d + "_half_pixel", testing::ResizeBilinearGraph(t, false, true));
  }
  add("add_int8_broadcast_rank5", testing::AddGraph(i8, {2, 1, 3, 1, 2}, {1, 4, 1, 5, 1}));
  add("reshape_int8_noshape", testing::ReshapeGraph(i8, false));
  add("pad_int8_value", testing::PadGraph(i8, true));
  add("mean_int8_keepdims", testing::MeanGraph(i8, true));
  add("quantize_uint8_int8", testing::QuantizeGraph(u8, i8));
  add("quantize_int8_uint8", testing::QuantizeGraph(i8, u8));
  add("quantize_int8_int8", testing::QuantizeGraph(i8, i8));
  add("quantize_float32_int8", testing::QuantizeGraph(DType::kFloat32, i8));
  add("dequantize_int8_float32", testing::DequantizeGraph(i8));
  add("dequantize_uint8_float32", testing::DequantizeGraph(u8));
  add("chain_int8", testing::ChainGraph());
  add("demo_seed_layer", BuildSeedLayer());
  add("demo_model", BuildDemoModel());
  // Appended last (a fuzz input names its seed by index): the elementwise families.
  for (DType t : {i8, u8}) {
    const std::string d = DTypeName(t);
    for (OpKind k : {OpKind::kRelu, OpKind::kRelu6, OpKind::kReluN1To1, OpKind::kLeakyRelu, OpKind::kMul, OpKind::kSub,
                     OpKind::kMaximum, OpKind::kMinimum, OpKind::kSquaredDifference, OpKind::kPrelu}) {
      std::string name = OpName(k);
      for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      const bool unary = k == OpKind::kRelu || k == OpKind::kRelu6 || k == OpKind::kReluN1To1 || k == OpKind::kLeakyRelu;
      add(name + "_" + d, unary ? testing::UnaryGraph(k, t) : testing::BinaryGraph(k, t));
    }
  }
  return m;
}

}  // namespace

const std::vector<SeedModel>& SeedModels() {
  static const std::vector<SeedModel>* const models = new std::vector<SeedModel>(Build());
  return *models;
}

}  // namespace tinyfuse::fuzz
