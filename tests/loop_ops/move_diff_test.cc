// TRANSPOSE, standalone PAD, QUANTIZE and the rest of the data-movement family (CONCATENATION, PACK, SPLIT,
// SLICE, STRIDED_SLICE with negative strides, masks and shrunk axes): generated C against the interpreter,
// tolerance zero. TRANSPOSE
// over every rank-4 permutation and ranks 1, 2, 3, 5, 6; PAD on every side with a nonzero zero point, ranks
// 1 to 6, empty and one-sided paddings; QUANTIZE in both directions, with the sign-flip fast path and the
// general requantization, including saturating scales; TRANSPOSE and PAD also with a chained QUANTIZE.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "differential.h"
#include "op_models.h"
#include "test_models.h"

namespace tinyfuse::loopops {
namespace {

using codegen::DiffAgainstInterpreter;

class MoveDiff : public ::testing::TestWithParam<DType> {};

TEST_P(MoveDiff, TransposeEveryRank4Permutation) {
  const DType dtype = GetParam();
  std::vector<Graph> parts;
  std::vector<int32_t> perm = {0, 1, 2, 3};
  do {
    parts.push_back(TransposeModel(dtype, {2, 3, 4, 5}, perm));
  } while (std::next_permutation(perm.begin(), perm.end()));
  ASSERT_EQ(parts.size(), 24u);
  parts.push_back(TransposeModel(dtype, {7}, {0}));
  parts.push_back(TransposeModel(dtype, {3, 5}, {1, 0}));
  parts.push_back(TransposeModel(dtype, {1, 4, 3}, {2, 0, 1}));
  parts.push_back(TransposeModel(dtype, {2, 1, 3, 2, 3}, {4, 2, 0, 3, 1}));
  parts.push_back(TransposeModel(dtype, {2, 2, 1, 3, 2, 2}, {5, 3, 1, 0, 4, 2}));
  parts.push_back(TransposeModel(dtype, {1, 4, 5, 3}, {0, 3, 1, 2}, Requant{true, DType::kInt8, 0.3f, -4}));
  parts.push_back(TransposeModel(dtype, {2, 3, 4}, {2, 1, 0}, Requant{true, DType::kUInt8, 0.6f, 100}));
  const Graph g = testmodels::Bundle(parts);
  EXPECT_EQ(DiffAgainstInterpreter(g, Arith::kTflm, EdgeInputs(g, 2, 31)), "");
}

TEST_P(MoveDiff, PadEverySide) {
  const DType dtype = GetParam();
  const int32_t zp = dtype == DType::kInt8 ? -37 : 201;
  std::vector<Graph> parts;
  parts.push_back(PadModel(dtype, {1, 3, 4, 5}, {{0, 0}, {1, 2}, {2, 1}, {0, 0}}, zp));
  parts.push_back(PadModel(dtype, {1, 3, 4, 5}, {{1, 1}, {2, 3}, {1, 0}, {2, 2}}, zp));
  parts.push_back(PadModel(dtype, {2, 3, 4, 1}, {{0, 1}, {0, 2}, {3, 0}, {1, 1}}, zp));
  parts.push_back(PadModel(dtype, {1, 3, 4, 5}, {{0, 0}, {0, 0}, {0, 0}, {0, 0}}, zp));
  parts.push_back(PadModel(dtype, {6}, {{2, 3}}, zp));
  parts.push_back(PadModel(dtype, {6}, {{0, 1}}, zp));
  parts.push_back(PadModel(dtype, {3, 4}, {{1, 0}, {0, 2}}, zp));
  parts.push_back(PadModel(dtype, {2, 3, 2}, {{1, 1}, {1, 1}, {1, 1}}, zp));
  parts.push_back(PadModel(dtype, {1, 2, 2, 2, 3}, {{1, 0}, {0, 1}, {1, 1}, {0, 0}, {2, 1}}, zp));
  parts.push_back(PadModel(dtype, {1, 2, 1, 2, 2, 3}, {{0, 1}, {1, 0}, {1, 1}, {0, 2}, {1, 0}, {0, 1}}, zp));
  parts.push_back(PadModel(dtype, {1, 1, 1, 1}, {{2, 2}, {2, 2}, {2, 2}, {2, 2}}, zp));
  parts.push_back(PadModel(dtype, {1, 3, 4, 5}, {{0, 0}, {1, 1}, {1, 1}, {0, 0}}, zp,
                           Requant{true, dtype == DType::kInt8 ? DType::kUInt8 : DType::kInt8, 0.2f, 3}));
  parts.push_back(PadModel(dtype, {2, 5}, {{1, 1}, {2, 0}}, zp, Requant{true, dtype, 0.1f, 0}));
  const Graph g = testmodels::Bundle(parts);
  EXPECT_EQ(DiffAgainstInterpreter(g, Arith::kTflm, EdgeInputs(g, 2, 41)), "");
}

// One op of the data-movement family: activations of `shapes` then int32 constants `ints`, outputs `outs`.
Graph MoveModel(DType dtype, OpKind kind, const std::vector<std::vector<int32_t>>& shapes,
                const std::vector<std::vector<int32_t>>& ints, const std::vector<std::vector<int32_t>>& outs,
                OpAttrs attrs, bool ints_first = false) {
  Graph g;
  const Quantization q{{0.25f}, {dtype == DType::kInt8 ? -5 : 130}, 0};
  Op op;
  op.kind = kind;
  op.attrs = std::move(attrs);
  std::vector<int> consts;
  for (const auto& v : ints) {
    consts.push_back(g.AddConstant(DType::kInt32, {static_cast<int32_t>(v.size())}, {}, BytesOf(v)));
  }
  if (ints_first) op.inputs = consts;
  for (const auto& s : shapes) {
    const int id = g.AddActivation(dtype, s, q);
    op.inputs.push_back(id);
    g.inputs.push_back(id);
  }
  if (!ints_first) op.inputs.insert(op.inputs.end(), consts.begin(), consts.end());
  for (const auto& s : outs) op.outputs.push_back(g.AddActivation(dtype, s, q));
  g.outputs = op.outputs;
  g.AddOp(std::move(op));
  return g;
}

TEST_P(MoveDiff, DataMovementFamily) {
  const DType t = GetParam();
  std::vector<Graph> parts;
  parts.push_back(MoveModel(t, OpKind::kConcatenation, {{1, 3, 4, 2}, {1, 3, 1, 2}, {1, 3, 2, 2}}, {}, {{1, 3, 7, 2}},
                            ConcatenationAttrs{-2}));
  parts.push_back(MoveModel(t, OpKind::kConcatenation, {{2, 5}, {3, 5}}, {}, {{5, 5}}, ConcatenationAttrs{0}));
  parts.push_back(MoveModel(t, OpKind::kConcatenation, {{2, 3}, {2, 1}}, {}, {{2, 4}}, ConcatenationAttrs{1}));
  parts.push_back(MoveModel(t, OpKind::kPack, {{3, 2}, {3, 2}, {3, 2}}, {}, {{3, 3, 2}}, PackAttrs{3, 1}));
  parts.push_back(MoveModel(t, OpKind::kPack, {{4}, {4}}, {}, {{4, 2}}, PackAttrs{2, -1}));
  parts.push_back(MoveModel(t, OpKind::kSplit, {{2, 6, 3}}, {{1}}, {{2, 2, 3}, {2, 2, 3}, {2, 2, 3}}, SplitAttrs{3},
                            /*ints_first=*/true));
  parts.push_back(MoveModel(t, OpKind::kSplit, {{4, 3}}, {{-1}}, {{4, 1}, {4, 1}, {4, 1}}, SplitAttrs{3}, true));
  parts.push_back(MoveModel(t, OpKind::kSlice, {{3, 5, 4}}, {{1, 2, 0}, {-1, 3, 2}}, {{2, 3, 2}}, NoAttrs{}));
  // RESIZE_NEAREST_NEIGHBOR: up, down and non-integer ratios under every mode (per-axis source tables).
  for (const ResizeBilinearAttrs mode : {ResizeBilinearAttrs{false, false}, ResizeBilinearAttrs{true, false},
                                         ResizeBilinearAttrs{false, true}, ResizeBilinearAttrs{true, true}}) {
    parts.push_back(MoveModel(t, OpKind::kResizeNearestNeighbor, {{1, 3, 4, 2}}, {{5, 7}}, {{1, 5, 7, 2}}, mode));
    parts.push_back(MoveModel(t, OpKind::kResizeNearestNeighbor, {{2, 5, 6, 3}}, {{2, 4}}, {{2, 2, 4, 3}}, mode));
    parts.push_back(MoveModel(t, OpKind::kResizeNearestNeighbor, {{1, 1, 3, 1}}, {{3, 1}}, {{1, 3, 1, 1}}, mode));
  }
  parts.push_back(MoveModel(t, OpKind::kStridedSlice, {{3, 6, 5}}, {{-1, 1, 4}, {0, 6, -6}, {-1, 2, -2}}, {{2, 3, 3}},
                            StridedSliceAttrs{}));
  parts.push_back(MoveModel(t, OpKind::kStridedSlice, {{1, 6, 5, 3}}, {{0, 5, 1, 2}, {1, 0, 4, 3}, {1, -1, 3, 1}},
                            {{6, 2}}, StridedSliceAttrs{0, 6, 0, 0, 9, false}));
  parts.push_back(MoveModel(t, OpKind::kStridedSlice, {{4, 4}}, {{0, 0}, {4, 4}, {2, -3}}, {{2, 2}},
                            StridedSliceAttrs{2, 2, 0, 0, 0, false}));
  const Graph g = testmodels::Bundle(parts);
  EXPECT_EQ(DiffAgainstInterpreter(g, Arith::kTflm, EdgeInputs(g, 2, 61)), "");
}

INSTANTIATE_TEST_SUITE_P(All, MoveDiff, ::testing::Values(DType::kInt8, DType::kUInt8),
                         [](const auto& info) { return std::string(DTypeName(info.param)); });

class QuantizeDiff : public ::testing::TestWithParam<Arith> {};

TEST_P(QuantizeDiff, BothDirections) {
  std::vector<Graph> parts;
  auto add = [&](DType in, DType out, float si, int32_t zi, float so, int32_t zo, std::vector<int32_t> shape) {
    QuantizeCase c;
    c.in_dtype = in;
    c.out_dtype = out;
    c.in_scale = si;
    c.in_zp = zi;
    c.out_scale = so;
    c.out_zp = zo;
    c.shape = std::move(shape);
    parts.push_back(QuantizeModel(c));
  };
  const DType s8 = DType::kInt8, u8 = DType::kUInt8;
  add(s8, u8, 0.05f, -3, 0.05f, 125, {1, 3, 4, 5});   // sign flip
  add(u8, s8, 0.05f, 131, 0.05f, 3, {2, 17});         // sign flip
  add(s8, u8, 0.05f, -128, 0.05f, 0, {33});           // sign flip at the edge zero points
  add(u8, s8, 0.02f, 0, 0.02f, -128, {1, 1, 1, 16});  // sign flip
  add(s8, u8, 0.05f, -3, 0.04f, 125, {1, 3, 4, 5});   // rescale
  add(u8, s8, 0.05f, 128, 0.07f, -2, {2, 17});        // rescale
  add(s8, s8, 0.05f, 10, 0.01f, -20, {40});           // saturating
  add(u8, u8, 0.01f, 200, 0.3f, 7, {40});             // shrinking
  add(s8, u8, 0.05f, -3, 0.05f, 120, {9});            // same scale, zero points not 128 apart
  const Graph g = testmodels::Bundle(parts);
  EXPECT_EQ(DiffAgainstInterpreter(g, GetParam(), EdgeInputs(g, 2, 51)), "");
}

INSTANTIATE_TEST_SUITE_P(All, QuantizeDiff, ::testing::Values(Arith::kTflm, Arith::kTflite),
                         [](const auto& info) { return std::string(ArithName(info.param)); });

}  // namespace
}  // namespace tinyfuse::loopops
