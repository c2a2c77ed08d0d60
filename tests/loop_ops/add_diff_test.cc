// ADD: generated C against the interpreter, tolerance zero, both dtypes and arithmetic flavours: equal
// shapes (one flat loop) over several sizes, broadcasting of either or both inputs, input scales in both
// orders, output scales small enough to saturate, fused activations, and a chained QUANTIZE.
#include <gtest/gtest.h>

#include <vector>

#include "differential.h"
#include "op_models.h"
#include "test_models.h"

namespace tinyfuse::loopops {
namespace {

using codegen::DiffAgainstInterpreter;

std::vector<AddCase> Sweep(DType dtype) {
  const bool s8 = dtype == DType::kInt8;
  std::vector<AddCase> cases;
  auto add = [&](std::vector<int32_t> s1, std::vector<int32_t> s2, float sc1, float sc2, float so, Activation act) {
    AddCase c;
    c.dtype = dtype;
    c.shape1 = std::move(s1);
    c.shape2 = std::move(s2);
    c.scale1 = sc1;
    c.scale2 = sc2;
    c.scale_out = so;
    c.zp1 = s8 ? 3 : 120;
    c.zp2 = s8 ? -7 : 135;
    c.zp_out = s8 ? 1 : 128;
    c.activation = act;
    if (cases.size() % 5 == 3) c.then = Requant{true, s8 ? DType::kUInt8 : DType::kInt8, 0.09f, s8 ? 2 : -1};
    cases.push_back(c);
  };
  for (int ch : {1, 3, 4, 5, 8, 16, 17}) {
    add({1, 3, 2, ch}, {1, 3, 2, ch}, 0.05f, 0.08f, 0.1f, Activation::kNone);
    add({2, ch}, {2, ch}, 0.08f, 0.05f, 0.07f, Activation::kRelu);
  }
  // Saturation: the output scale is far below the inputs'.
  add({4, 33}, {4, 33}, 0.05f, 0.05f, 0.004f, Activation::kNone);
  add({4, 33}, {4, 33}, 0.5f, 0.02f, 0.01f, Activation::kRelu6);
  add({3, 7}, {3, 7}, 0.02f, 0.5f, 0.3f, Activation::kReluN1To1);
  add({1, 1}, {1, 1}, 1.0f, 1.0f, 0.001f, Activation::kNone);
  // Broadcasting.
  add({1, 4, 5, 3}, {1, 1, 1, 3}, 0.05f, 0.08f, 0.1f, Activation::kNone);
  add({1, 4, 5, 3}, {3}, 0.05f, 0.08f, 0.1f, Activation::kRelu);
  add({1, 1, 1, 3}, {1, 4, 5, 3}, 0.05f, 0.03f, 0.06f, Activation::kNone);
  add({1, 4, 1, 1}, {1, 1, 5, 3}, 0.04f, 0.03f, 0.02f, Activation::kRelu6);
  add({2, 1, 3}, {4, 1}, 0.1f, 0.2f, 0.15f, Activation::kNone);
  return cases;
}

class AddDiff : public ::testing::TestWithParam<std::tuple<DType, Arith>> {};

TEST_P(AddDiff, MatchesInterpreter) {
  const auto [dtype, arith] = GetParam();
  std::vector<Graph> parts;
  for (const AddCase& c : Sweep(dtype)) parts.push_back(AddModel(c));
  const Graph g = testmodels::Bundle(parts);
  EXPECT_EQ(DiffAgainstInterpreter(g, arith, EdgeInputs(g, 3, 21)), "");
}

INSTANTIATE_TEST_SUITE_P(All, AddDiff,
                         ::testing::Combine(::testing::Values(DType::kInt8, DType::kUInt8),
                                            ::testing::Values(Arith::kTflm, Arith::kTflite)),
                         [](const auto& info) {
                           return std::string(DTypeName(std::get<0>(info.param))) + "_" +
                                  ArithName(std::get<1>(info.param));
                         });

}  // namespace
}  // namespace tinyfuse::loopops
