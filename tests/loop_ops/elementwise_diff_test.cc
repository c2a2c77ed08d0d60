// The unary table family and the binary elementwise operators: generated C against the interpreter,
// tolerance zero, both dtypes and arithmetic flavours. Unary ops alone on a graph input (their own loop
// with the table), as the epilogue of a conv, an ADD and a pooling (one kernel, no 8-bit tensor in
// between), chained with a QUANTIZE; every byte value as input; zero points at the dtype's ends, rescale
// factors above and below one, negative and large alphas. Binary ops over equal shapes and broadcasting
// of ranks 1 to 6, constant second inputs (PRELU's alpha), saturating output scales, fused activations.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "differential.h"
#include "loop/lower.h"
#include "op_models.h"
#include "test_models.h"

namespace tinyfuse::loopops {
namespace {

using codegen::DiffAgainstInterpreter;

std::vector<UnaryCase> UnarySweep(DType dtype) {
  const bool s8 = dtype == DType::kInt8;
  const int32_t lo = s8 ? -128 : 0, hi = s8 ? 127 : 255, mid = s8 ? 0 : 128;
  std::vector<UnaryCase> cases;
  auto add = [&](OpKind op, float si, int32_t zi, float so, int32_t zo, float alpha) {
    UnaryCase c;
    c.op = op;
    c.dtype = dtype;
    c.shape = {2, 8, 16};  // 256 elements: the all-bytes input set covers every value
    c.in_scale = si;
    c.in_zp = zi;
    c.out_scale = so;
    c.out_zp = zo;
    c.alpha = alpha;
    if (cases.size() % 4 == 3) c.then = Requant{true, s8 ? DType::kUInt8 : DType::kInt8, 0.07f, s8 ? 130 : -3};
    cases.push_back(c);
  };
  for (OpKind op : {OpKind::kRelu, OpKind::kRelu6, OpKind::kReluN1To1, OpKind::kLeakyRelu}) {
    add(op, 0.05f, mid, 0.05f, mid, 0.1f);
    add(op, 0.05f, lo, 0.02f, hi, -0.25f);
    add(op, 0.02f, hi, 0.09f, lo, 3.5f);
    add(op, 0.1f, mid + 7, 0.003f, mid, 0.0f);
  }
  if (s8) {  // LOGISTIC and TANH: int8 only, output quantization implied
    for (OpKind op : {OpKind::kLogistic, OpKind::kTanh}) {
      add(op, 0.05f, mid, 1.0f / 256, -128, 0.0f);
      add(op, 0.0031f, lo, 1.0f / 256, -128, 0.0f);
      add(op, 0.2f, hi, 1.0f / 256, -128, 0.0f);
    }
  }
  return cases;
}

// Every input i holds byte i % 256 (covers every value of a 256-element unary input).
codegen::InputSet AllBytes(const Graph& g) {
  codegen::InputSet set;
  for (int id : g.inputs) {
    std::vector<uint8_t> v(static_cast<size_t>(g.tensor(id).byte_size()));
    for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<uint8_t>(i);
    set.push_back(v);
  }
  return set;
}

// Producers the fusion pass can extend with a unary epilogue: a conv, an ADD and a max pool.
std::vector<Graph> Producers(DType dtype) {
  const bool s8 = dtype == DType::kInt8;
  testmodels::ConvCase conv;
  conv.dtype = dtype;
  conv.per_channel = s8;
  conv.input_zp = s8 ? 3 : 120;
  conv.output_zp = s8 ? -5 : 130;
  conv.weight_zp = s8 ? 0 : 117;
  AddCase add;
  add.dtype = dtype;
  add.zp1 = s8 ? 3 : 120;
  add.zp2 = s8 ? -7 : 135;
  add.zp_out = s8 ? 1 : 128;
  PoolCase pool;
  pool.average = false;
  pool.dtype = dtype;
  pool.zero_point = s8 ? 3 : 125;
  return {testmodels::Conv2DModel(conv), AddModel(add), PoolModel(pool)};
}

class UnaryDiff : public ::testing::TestWithParam<std::tuple<DType, Arith>> {};

TEST_P(UnaryDiff, MatchesInterpreter) {
  const auto [dtype, arith] = GetParam();
  std::vector<Graph> parts;
  for (const UnaryCase& c : UnarySweep(dtype)) parts.push_back(UnaryModel(c));
  int k = 0;
  for (Graph g : Producers(dtype)) {
    for (const UnaryCase& c : UnarySweep(dtype)) {
      if (k++ % 3 != 0) continue;
      Graph fused = g;
      AppendUnary(fused, c);
      if (k % 2 == 0) AppendUnary(fused, {OpKind::kRelu, dtype, {}, 0.04f, 0.02f, c.out_zp, c.out_zp, 0.0f, {}});
      parts.push_back(fused);
    }
  }
  const Graph g = testmodels::Bundle(parts);
  std::vector<codegen::InputSet> sets = EdgeInputs(g, 2, 31);
  sets.push_back(AllBytes(g));
  EXPECT_EQ(DiffAgainstInterpreter(g, arith, sets), "");
}

std::vector<BinaryCase> BinarySweep(DType dtype) {
  const bool s8 = dtype == DType::kInt8;
  const int32_t lo = s8 ? -128 : 0, hi = s8 ? 127 : 255, mid = s8 ? 0 : 128;
  const std::vector<std::pair<std::vector<int32_t>, std::vector<int32_t>>> shapes = {
      {{1, 3, 2, 5}, {1, 3, 2, 5}}, {{33}, {33}},         {{1, 4, 5, 3}, {3}},
      {{1, 1, 1, 3}, {1, 4, 5, 3}}, {{2, 1, 3}, {4, 1}},  {{6}, {1}},
      {{2, 1, 2, 1, 3}, {1, 3, 1, 2, 1}},                 {{2, 2, 1, 2, 1, 3}, {2, 1, 1, 3}}};
  std::vector<BinaryCase> cases;
  size_t n = 0;
  for (OpKind op : {OpKind::kMul, OpKind::kSub, OpKind::kMaximum, OpKind::kMinimum, OpKind::kSquaredDifference,
                    OpKind::kPrelu}) {
    for (const auto& [s1, s2] : shapes) {
      BinaryCase c;
      c.op = op;
      c.dtype = dtype;
      c.shape1 = s1;
      c.shape2 = s2;
      switch (n++ % 4) {
        case 0: c.zp1 = s8 ? 3 : 131; c.zp2 = s8 ? -7 : 120; c.zp_out = s8 ? 1 : 129; break;
        case 1: c.zp1 = lo; c.zp2 = hi; c.zp_out = mid; c.scale_out = 0.004f; break;
        case 2: c.zp1 = hi; c.zp2 = lo; c.zp_out = lo; c.scale1 = 0.5f; c.scale_out = 0.9f; break;
        default: c.zp1 = mid; c.zp2 = mid; c.zp_out = hi; c.scale2 = 0.5f; c.scale_out = 0.02f; break;
      }
      if (op == OpKind::kMul || op == OpKind::kSub) {
        c.activation = n % 3 == 0 ? Activation::kRelu6 : (n % 3 == 1 ? Activation::kRelu : Activation::kNone);
      }
      c.const_input2 = op == OpKind::kPrelu ? n % 2 == 0 : n % 5 == 0;
      if (n % 6 == 5) c.then = Requant{true, s8 ? DType::kUInt8 : DType::kInt8, 0.09f, s8 ? 2 : -1};
      cases.push_back(c);
    }
  }
  return cases;
}

class BinaryDiff : public ::testing::TestWithParam<std::tuple<DType, Arith>> {};

TEST_P(BinaryDiff, MatchesInterpreter) {
  const auto [dtype, arith] = GetParam();
  std::vector<Graph> parts;
  for (const BinaryCase& c : BinarySweep(dtype)) parts.push_back(BinaryModel(c));
  const Graph g = testmodels::Bundle(parts);
  EXPECT_EQ(DiffAgainstInterpreter(g, arith, EdgeInputs(g, 3, 17)), "");
}

const auto kParams = ::testing::Combine(::testing::Values(DType::kInt8, DType::kUInt8),
                                        ::testing::Values(Arith::kTflm, Arith::kTflite));
std::string ParamName(const ::testing::TestParamInfo<std::tuple<DType, Arith>>& info) {
  return std::string(DTypeName(std::get<0>(info.param))) + "_" + ArithName(std::get<1>(info.param));
}
INSTANTIATE_TEST_SUITE_P(All, UnaryDiff, kParams, ParamName);
INSTANTIATE_TEST_SUITE_P(All, BinaryDiff, kParams, ParamName);

// The fusion itself: conv -> LEAKY_RELU -> QUANTIZE is one kernel whose loop loads the table; a LEAKY_RELU
// on a graph input, or on a tensor with a second reader, is its own loop.
TEST(UnaryFusion, TableJoinsTheProducersEpilogue) {
  testmodels::ConvCase conv;
  Graph g = testmodels::Conv2DModel(conv);
  AppendUnary(g, {OpKind::kLeakyRelu, DType::kInt8, {}, 0.1f, 0.05f, -5, 4, 0.2f, {}});
  AppendUnary(g, {OpKind::kRelu, DType::kInt8, {}, 0.05f, 0.05f, 4, 4, 0.0f, {}});
  const loop::LoweredModel m = loop::LowerGraph(g, Arith::kTflm);
  ASSERT_EQ(m.kernels.size(), 1u);
  EXPECT_EQ(m.kernels[0].func.name, "conv2d_rq_leaky_relu_relu_n0");
  const std::string text = loop::PrintLoweredModel(m);
  EXPECT_NE(text.find("LEAKY_RELU #1 as a 256-entry table"), std::string::npos) << text;
  EXPECT_NE(text.find("leaky_relu_table"), std::string::npos) << text;

  Graph alone = UnaryModel({});
  const loop::LoweredModel a = loop::LowerGraph(alone, Arith::kTflm);
  ASSERT_EQ(a.kernels.size(), 1u);
  EXPECT_EQ(a.kernels[0].func.name, "leaky_relu_n0");

  Graph shared = testmodels::Conv2DModel(conv);
  const int conv_out = shared.outputs[0];
  AppendUnary(shared, {OpKind::kRelu, DType::kInt8, {}, 0.1f, 0.05f, -5, 4, 0.0f, {}});
  shared.outputs.push_back(conv_out);  // the conv's output is a graph output too: no fusion
  EXPECT_EQ(loop::LowerGraph(shared, Arith::kTflm).kernels.size(), 2u);
}

}  // namespace
}  // namespace tinyfuse::loopops
