// ARG_MAX and ARG_MIN: generated C against the interpreter, tolerance zero, both dtypes, int32 and int64
// indices, every axis of a rank-4 input (negative ones too), a 1-element axis, and inputs full of ties
// (bytes from two neighbouring values) besides the random and edge sets.
#include <gtest/gtest.h>

#include <tuple>
#include <vector>

#include "differential.h"
#include "op_models.h"
#include "test_graphs.h"
#include "test_models.h"

namespace tinyfuse::loopops {
namespace {

using codegen::DiffAgainstInterpreter;

class ArgMinMaxDiff : public ::testing::TestWithParam<std::tuple<OpKind, DType, DType>> {};

TEST_P(ArgMinMaxDiff, MatchesInterpreter) {
  const OpKind kind = std::get<0>(GetParam());
  const DType dtype = std::get<1>(GetParam());
  const DType index_type = std::get<2>(GetParam());
  std::vector<Graph> parts;
  for (int32_t axis : {0, 1, 2, 3, -1, -3}) parts.push_back(testing::ArgMinMaxGraph(kind, dtype, index_type, {2, 5, 4, 3}, axis));
  parts.push_back(testing::ArgMinMaxGraph(kind, dtype, index_type, {3, 1, 4}, 1));  // a 1-element axis
  parts.push_back(testing::ArgMinMaxGraph(kind, dtype, index_type, {1, 9, 9, 21}, 3));  // deeplab's shape, scaled down
  parts.push_back(testing::ArgMinMaxGraph(kind, dtype, index_type, {11}, 0));
  const Graph g = testmodels::Bundle(parts);
  auto sets = EdgeInputs(g, 2, 71);
  std::vector<std::vector<uint8_t>> ties = testmodels::RandomInputs(g, 72);
  for (auto& input : ties) {
    for (auto& b : input) b = static_cast<uint8_t>((dtype == DType::kInt8 ? 0x7e : 0x00) + (b & 1));
  }
  sets.push_back(ties);
  for (Arith arith : {Arith::kTflm, Arith::kTflite}) EXPECT_EQ(DiffAgainstInterpreter(g, arith, sets), "");
}

INSTANTIATE_TEST_SUITE_P(All, ArgMinMaxDiff,
                         ::testing::Combine(::testing::Values(OpKind::kArgMax, OpKind::kArgMin),
                                            ::testing::Values(DType::kInt8, DType::kUInt8),
                                            ::testing::Values(DType::kInt32, DType::kInt64)),
                         [](const auto& info) {
                           return std::string(OpName(std::get<0>(info.param))) + "_" +
                                  DTypeName(std::get<1>(info.param)) + "_to_" + DTypeName(std::get<2>(info.param));
                         });

}  // namespace
}  // namespace tinyfuse::loopops
