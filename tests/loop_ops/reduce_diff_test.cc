// The reduction family (MEAN, SUM, REDUCE_MAX, REDUCE_MIN): generated C against the interpreter, tolerance
// zero (TFLite Micro arithmetic), both dtypes, keep_dims true and false, reductions over inner, outer, all,
// 1-element and negative axes, equal and different input/output quantization (MEAN, SUM), saturating
// outputs, and a chained QUANTIZE.
#include <gtest/gtest.h>

#include <tuple>
#include <vector>

#include "differential.h"
#include "op_models.h"
#include "test_models.h"

namespace tinyfuse::loopops {
namespace {

using codegen::DiffAgainstInterpreter;

class ReduceDiff : public ::testing::TestWithParam<std::tuple<OpKind, DType, bool>> {};

TEST_P(ReduceDiff, MatchesInterpreter) {
  const OpKind kind = std::get<0>(GetParam());
  const DType dtype = std::get<1>(GetParam());
  const bool keep_dims = std::get<2>(GetParam());
  const bool s8 = dtype == DType::kInt8;
  std::vector<Graph> parts;
  auto add = [&](std::vector<int32_t> shape, std::vector<int32_t> axes, float si, float so, bool then) {
    MeanCase c;
    c.kind = kind;
    c.dtype = dtype;
    c.shape = std::move(shape);
    c.axes = std::move(axes);
    c.keep_dims = keep_dims;
    c.in_scale = si;
    c.out_scale = so;
    c.in_zp = s8 ? 5 : 133;
    c.out_zp = s8 ? -3 : 121;
    if (then) c.then = Requant{true, s8 ? DType::kUInt8 : DType::kInt8, 0.03f, 4};
    parts.push_back(MeanModel(c));
  };
  add({1, 5, 4, 3}, {1, 2}, 0.05f, 0.04f, false);
  add({1, 7, 7, 17}, {1, 2}, 0.05f, 0.05f, false);  // equal quantization still requantizes (MEAN, SUM)
  add({2, 5, 4, 3}, {3}, 0.05f, 0.02f, false);
  add({2, 5, 4, 3}, {-1}, 0.05f, 0.1f, false);
  add({2, 5, 4, 3}, {0}, 0.05f, 0.04f, false);
  add({2, 5, 4, 3}, {2, 0}, 0.05f, 0.04f, false);
  add({2, 5, 4, 3}, {0, 1, 2, 3}, 0.05f, 0.04f, false);
  add({2, 1, 4, 3}, {1}, 0.05f, 0.04f, false);        // a 1-element axis
  add({2, 5, 4, 3}, {-3, 1, -1}, 0.05f, 0.7f, false);  // repeated and negative axes
  add({3, 8}, {1}, 0.2f, 0.01f, false);               // saturating
  add({1, 3, 3, 5}, {1, 2}, 0.05f, 0.04f, true);
  const Graph g = testmodels::Bundle(parts);
  EXPECT_EQ(DiffAgainstInterpreter(g, Arith::kTflm, EdgeInputs(g, 2, 61)), "");
}

INSTANTIATE_TEST_SUITE_P(All, ReduceDiff,
                         ::testing::Combine(::testing::Values(OpKind::kMean, OpKind::kSum, OpKind::kReduceMax,
                                                              OpKind::kReduceMin),
                                            ::testing::Values(DType::kInt8, DType::kUInt8), ::testing::Bool()),
                         [](const auto& info) {
                           return std::string(OpName(std::get<0>(info.param))) + "_" +
                                  DTypeName(std::get<1>(info.param)) +
                                  (std::get<2>(info.param) ? "_keep_dims" : "_drop_dims");
                         });

// REDUCE_MAX and REDUCE_MIN are a max of raw bytes in both flavours (TFLite's own kernel too).
TEST(ReduceDiff, MaxAndMinUnderTheTfliteFlavour) {
  std::vector<Graph> parts;
  for (OpKind kind : {OpKind::kReduceMax, OpKind::kReduceMin}) {
    MeanCase c;
    c.kind = kind;
    c.dtype = DType::kUInt8;
    c.shape = {1, 6, 5, 4};
    c.axes = {1, 2};
    c.in_zp = 128;
    parts.push_back(MeanModel(c));
  }
  const Graph g = testmodels::Bundle(parts);
  EXPECT_EQ(DiffAgainstInterpreter(g, Arith::kTflite, EdgeInputs(g, 2, 62)), "");
}

}  // namespace
}  // namespace tinyfuse::loopops
