// RESIZE_BILINEAR: generated C against the interpreter, tolerance zero, in both arithmetic flavours (TFLite
// Micro's Q10 kernel, XNNPACK's Q11 one), both dtypes, align_corners x half_pixel_centers, upscale,
// downscale, non-integer ratios, 1-pixel sides, and a chained QUANTIZE.
#include <gtest/gtest.h>

#include <tuple>
#include <vector>

#include "differential.h"
#include "op_models.h"
#include "test_models.h"

namespace tinyfuse::loopops {
namespace {

using codegen::DiffAgainstInterpreter;

const char* ModeName(int mode) { return mode == 0 ? "legacy" : mode == 1 ? "align_corners" : "half_pixel"; }

class ResizeBilinearDiff : public ::testing::TestWithParam<std::tuple<DType, int>> {};

TEST_P(ResizeBilinearDiff, MatchesInterpreter) {
  const DType dtype = std::get<0>(GetParam());
  const int mode = std::get<1>(GetParam());  // 0 legacy, 1 align_corners, 2 half_pixel_centers
  std::vector<Graph> parts;
  auto add = [&](std::vector<int32_t> shape, int oh, int ow, bool then) {
    ResizeCase c;
    c.dtype = dtype;
    c.shape = std::move(shape);
    c.out_h = oh;
    c.out_w = ow;
    c.align_corners = mode == 1;
    c.half_pixel_centers = mode == 2;
    if (then) c.then = Requant{true, dtype == DType::kInt8 ? DType::kUInt8 : DType::kInt8, 0.07f, 3};
    parts.push_back(ResizeBilinearModel(c));
  };
  add({1, 3, 4, 2}, 7, 5, false);
  add({2, 5, 5, 3}, 17, 17, false);  // deeplab-like 1 + 4k
  add({1, 9, 7, 2}, 4, 3, false);    // downscale
  add({1, 1, 1, 3}, 3, 2, false);
  add({1, 4, 6, 1}, 1, 1, false);
  add({1, 3, 3, 4}, 5, 6, true);
  const Graph g = testmodels::Bundle(parts);
  for (Arith arith : {Arith::kTflm, Arith::kTflite}) {
    EXPECT_EQ(DiffAgainstInterpreter(g, arith, EdgeInputs(g, 2, 81)), "") << ArithName(arith);
  }
}

INSTANTIATE_TEST_SUITE_P(All, ResizeBilinearDiff,
                         ::testing::Combine(::testing::Values(DType::kInt8, DType::kUInt8), ::testing::Values(0, 1, 2)),
                         [](const auto& info) {
                           return std::string(DTypeName(std::get<0>(info.param))) + "_" + ModeName(std::get<1>(info.param));
                         });

}  // namespace
}  // namespace tinyfuse::loopops
