// AVERAGE_POOL_2D and MAX_POOL_2D: generated C against the interpreter, tolerance zero, both dtypes and
// both arithmetic flavours, over SAME/VALID borders, filters bigger than, equal to and smaller than the
// stride, a window bigger than the input, global pooling, channel counts 1, 3, 4, 5, 8, 16, 17, fused
// activations, batches, and a chained QUANTIZE. Each sweep is one bundled graph (one compile per compiler).
#include <gtest/gtest.h>

#include <vector>

#include "differential.h"
#include "op_models.h"
#include "test_models.h"

namespace tinyfuse::loopops {
namespace {

using codegen::DiffAgainstInterpreter;

struct Geometry {
  int h, w, fh, fw, sh, sw;
  Padding padding;
};

std::vector<PoolCase> Sweep(bool average, DType dtype) {
  const std::vector<Geometry> geometries = {
      {7, 6, 3, 3, 1, 1, Padding::kSame},  {7, 6, 3, 3, 1, 1, Padding::kValid}, {8, 7, 3, 3, 2, 2, Padding::kSame},
      {8, 7, 3, 3, 2, 2, Padding::kValid}, {9, 9, 2, 2, 2, 2, Padding::kSame},  {9, 9, 2, 2, 2, 2, Padding::kValid},
      {9, 8, 5, 4, 2, 3, Padding::kSame},  {9, 8, 5, 4, 2, 3, Padding::kValid}, {7, 7, 1, 1, 2, 2, Padding::kSame},
      {7, 8, 2, 2, 3, 3, Padding::kSame},  {3, 3, 5, 5, 1, 1, Padding::kSame},  {5, 4, 5, 4, 1, 1, Padding::kValid},
      {6, 6, 6, 6, 2, 2, Padding::kSame},  {1, 9, 1, 4, 1, 3, Padding::kSame},
  };
  const std::vector<int> channels = {1, 3, 4, 5, 8, 16, 17};
  std::vector<PoolCase> cases;
  size_t k = 0;
  for (const Geometry& g : geometries) {
    for (int c : channels) {
      PoolCase p;
      p.average = average;
      p.dtype = dtype;
      p.height = g.h;
      p.width = g.w;
      p.filter_h = g.fh;
      p.filter_w = g.fw;
      p.stride_h = g.sh;
      p.stride_w = g.sw;
      p.padding = g.padding;
      p.channels = c;
      p.zero_point = dtype == DType::kInt8 ? -5 : 131;
      p.batches = (k % 5 == 0) ? 2 : 1;
      const Activation acts[] = {Activation::kNone, Activation::kRelu, Activation::kRelu6, Activation::kReluN1To1};
      p.activation = acts[k % 4];
      if (k % 9 == 4) p.then = Requant{true, dtype == DType::kInt8 ? DType::kUInt8 : DType::kInt8, 0.07f, 9};
      cases.push_back(p);
      ++k;
    }
  }
  return cases;
}

class PoolDiff : public ::testing::TestWithParam<std::tuple<bool, DType, Arith>> {};

TEST_P(PoolDiff, MatchesInterpreter) {
  const auto [average, dtype, arith] = GetParam();
  std::vector<Graph> parts;
  for (const PoolCase& c : Sweep(average, dtype)) parts.push_back(PoolModel(c));
  const Graph g = testmodels::Bundle(parts);
  EXPECT_EQ(DiffAgainstInterpreter(g, arith, EdgeInputs(g, 2, 11)), "");
}

INSTANTIATE_TEST_SUITE_P(All, PoolDiff,
                         ::testing::Combine(::testing::Bool(), ::testing::Values(DType::kInt8, DType::kUInt8),
                                            ::testing::Values(Arith::kTflm, Arith::kTflite)),
                         [](const auto& info) {
                           return std::string(std::get<0>(info.param) ? "avg_" : "max_") +
                                  DTypeName(std::get<1>(info.param)) + "_" + ArithName(std::get<2>(info.param));
                         });

}  // namespace
}  // namespace tinyfuse::loopops
