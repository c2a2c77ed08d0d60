// MEAN: generated C against the interpreter, tolerance zero (TFLite Micro arithmetic, the only one MEAN
// has), both dtypes, keep_dims true and false, reductions over inner, outer, all and negative axes, equal
// and different input/output quantization, and a chained QUANTIZE.
#include <gtest/gtest.h>

#include <vector>

#include "differential.h"
#include "op_models.h"
#include "test_models.h"

namespace tinyfuse::loopops {
namespace {

using codegen::DiffAgainstInterpreter;

class MeanDiff : public ::testing::TestWithParam<std::tuple<DType, bool>> {};

TEST_P(MeanDiff, MatchesInterpreter) {
  const auto dtype = std::get<0>(GetParam());
  const auto keep_dims = std::get<1>(GetParam());
  const bool s8 = dtype == DType::kInt8;
  std::vector<Graph> parts;
  auto add = [&](std::vector<int32_t> shape, std::vector<int32_t> axes, float si, float so, bool then) {
    MeanCase c;
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
  add({1, 7, 7, 17}, {1, 2}, 0.05f, 0.05f, false);  // equal quantization still requantizes
  add({2, 5, 4, 3}, {3}, 0.05f, 0.02f, false);
  add({2, 5, 4, 3}, {-1}, 0.05f, 0.1f, false);
  add({2, 5, 4, 3}, {0}, 0.05f, 0.04f, false);
  add({2, 5, 4, 3}, {2, 0}, 0.05f, 0.04f, false);
  add({2, 5, 4, 3}, {0, 1, 2, 3}, 0.05f, 0.04f, false);
  add({3, 8}, {1}, 0.2f, 0.01f, false);  // saturating
  add({1, 3, 3, 5}, {1, 2}, 0.05f, 0.04f, true);
  const Graph g = testmodels::Bundle(parts);
  EXPECT_EQ(DiffAgainstInterpreter(g, Arith::kTflm, EdgeInputs(g, 2, 61)), "");
}

INSTANTIATE_TEST_SUITE_P(All, MeanDiff,
                         ::testing::Combine(::testing::Values(DType::kInt8, DType::kUInt8), ::testing::Bool()),
                         [](const auto& info) {
                           return std::string(DTypeName(std::get<0>(info.param))) +
                                  (std::get<1>(info.param) ? "_keep_dims" : "_drop_dims");
                         });

}  // namespace
}  // namespace tinyfuse::loopops
