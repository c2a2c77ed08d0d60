// RESHAPE copies bytes unchanged, with or without the shape input.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "common/error.h"
#include "graph/graph.h"
#include "interp/interpreter.h"
#include "test_util.h"

namespace tinyfuse {
namespace {

std::vector<uint8_t> RunReshape(DType dtype, const std::vector<int32_t>& in_shape,
                                const std::vector<int32_t>& out_shape, bool with_shape_input,
                                const std::vector<uint8_t>& x) {
  Graph g;
  const int in = g.AddActivation(dtype, in_shape, Quantization{{0.1f}, {-9}, 0});
  const int out = g.AddActivation(dtype, out_shape, Quantization{{0.1f}, {-9}, 0});
  std::vector<int> inputs = {in};
  if (with_shape_input) {
    inputs.push_back(g.AddConstant(DType::kInt32, {static_cast<int32_t>(out_shape.size())}, {}, BytesOf(out_shape)));
  }
  testing::AddOnlyOp(g, OpKind::kReshape, inputs, {out});
  return testing::RunGraph(g, Arith::kTflm, {x}, /*round_trip=*/false);
}

TEST(Reshape, CopiesBytes) {
  std::vector<uint8_t> x(1280);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<uint8_t>(i * 31 + 7);
  EXPECT_EQ(RunReshape(DType::kInt8, {1, 1, 1, 1280}, {1, 1280}, true, x), x);
  EXPECT_EQ(RunReshape(DType::kUInt8, {1, 1280}, {1, 40, 32}, false, x), x);
}

TEST(Reshape, RejectsAnElementCountChange) {
  EXPECT_THROW(RunReshape(DType::kInt8, {1, 4}, {1, 5}, false, std::vector<uint8_t>(4)), Error);
}

}  // namespace
}  // namespace tinyfuse
