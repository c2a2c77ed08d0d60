// SUM, REDUCE_MAX and REDUCE_MIN against a naive reference written here (an odometer over any rank,
// axes resolved from the definitions), tolerance zero. MEAN has its own test (mean_test.cc).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "common/error.h"
#include "graph/graph.h"
#include "interp/interpreter.h"
#include "test_util.h"

namespace tinyfuse {
namespace {

using testing::Get;
using testing::QMax;
using testing::QMin;

struct Case {
  OpKind kind;
  DType dtype;
  std::vector<int32_t> shape;
  std::vector<int32_t> axes;
  bool keep_dims;
  float in_scale = 0.05f, out_scale = 0.05f;
  int32_t in_zp = 3, out_zp = 3;
};

std::vector<int32_t> OutputShape(const Case& c, std::vector<bool>* reduced) {
  const int rank = static_cast<int>(c.shape.size());
  reduced->assign(c.shape.size(), false);
  for (int32_t a : c.axes) (*reduced)[static_cast<size_t>(a < 0 ? a + rank : a)] = true;
  std::vector<int32_t> out;
  for (size_t i = 0; i < c.shape.size(); ++i) {
    if (!(*reduced)[i]) out.push_back(c.shape[i]);
    else if (c.keep_dims) out.push_back(1);
  }
  return out;
}

std::vector<uint8_t> RunReduce(const Case& c, const std::vector<uint8_t>& x) {
  std::vector<bool> reduced;
  Graph g;
  const int in = g.AddActivation(c.dtype, c.shape, Quantization{{c.in_scale}, {c.in_zp}, 0});
  const int ax = g.AddConstant(DType::kInt32, {static_cast<int32_t>(c.axes.size())}, {}, BytesOf(c.axes));
  const int out = g.AddActivation(c.dtype, OutputShape(c, &reduced), Quantization{{c.out_scale}, {c.out_zp}, 0});
  testing::AddOnlyOp(g, c.kind, {in, ax}, {out}, MeanAttrs{c.keep_dims});
  g.ops[0].version = 2;
  return testing::RunGraph(g, Arith::kTflm, {x});
}

// The naive reduction: for every output element, the list of input values that reduce into it (found by
// comparing every input coordinate with the output coordinate on the kept axes), then the op's formula.
std::vector<uint8_t> Naive(const Case& c, const std::vector<uint8_t>& x) {
  std::vector<bool> reduced;
  OutputShape(c, &reduced);
  const size_t rank = c.shape.size();
  std::vector<int32_t> kept_dims;
  for (size_t i = 0; i < rank; ++i) if (!reduced[i]) kept_dims.push_back(c.shape[i]);
  int64_t outputs = 1;
  for (int32_t d : kept_dims) outputs *= d;
  std::vector<std::vector<int32_t>> groups(static_cast<size_t>(outputs));
  std::vector<int32_t> coord(rank, 0);
  for (size_t i = 0; i < x.size(); ++i) {
    int64_t o = 0;
    for (size_t a = 0; a < rank; ++a) if (!reduced[a]) o = o * c.shape[a] + coord[a];
    groups[static_cast<size_t>(o)].push_back(Get(x, i, c.dtype));
    for (size_t a = rank; a-- > 0;) {
      if (++coord[a] < c.shape[a]) break;
      coord[a] = 0;
    }
  }
  const testing::RefMultiplier m = testing::RefQuantize(double(c.in_scale) / double(c.out_scale));
  std::vector<uint8_t> y;
  for (const std::vector<int32_t>& v : groups) {
    int32_t r = 0;
    if (c.kind == OpKind::kReduceMax) r = *std::max_element(v.begin(), v.end());
    if (c.kind == OpKind::kReduceMin) r = *std::min_element(v.begin(), v.end());
    if (c.kind == OpKind::kSum) {
      int64_t sum = 0;
      for (int32_t e : v) sum += e - c.in_zp;
      r = std::clamp(testing::RefDoubleRounding(static_cast<int32_t>(sum), m) + c.out_zp, QMin(c.dtype),
                     QMax(c.dtype));
    }
    y.push_back(testing::Put(r));
  }
  return y;
}

std::vector<Case> Cases() {
  std::vector<Case> cases;
  const std::vector<std::pair<std::vector<int32_t>, std::vector<int32_t>>> shapes = {
      {{1, 5, 5, 8}, {1, 2}},   {{2, 3, 4, 5}, {0}},  {{2, 3, 4, 5}, {3}},       {{2, 3, 4, 5}, {-1, -4}},
      {{2, 3, 4, 5}, {0, 1, 2, 3}}, {{4, 1, 6}, {1}}, {{7}, {0}},              {{3, 4, 5}, {2, 2, -1}},
      {{2, 2, 3, 2, 3}, {1, 3}},    {{1, 1, 1, 1}, {2}}};
  for (OpKind kind : {OpKind::kSum, OpKind::kReduceMax, OpKind::kReduceMin}) {
    for (DType dtype : {DType::kInt8, DType::kUInt8}) {
      for (bool keep : {false, true}) {
        for (const auto& [shape, axes] : shapes) {
          Case c{kind, dtype, shape, axes, keep};
          if (dtype == DType::kUInt8) c.in_zp = c.out_zp = 130;
          cases.push_back(c);
        }
      }
    }
  }
  // SUM requantizes: smaller, larger and equal output scales, saturating both ways, zero points apart.
  for (DType dtype : {DType::kInt8, DType::kUInt8}) {
    const int32_t zp = dtype == DType::kInt8 ? -7 : 120;
    cases.push_back({OpKind::kSum, dtype, {2, 6, 6, 3}, {1, 2}, true, 0.02f, 0.5f, zp, zp + 4});
    cases.push_back({OpKind::kSum, dtype, {2, 6, 6, 3}, {1, 2}, false, 0.02f, 0.01f, zp, dtype == DType::kInt8 ? 20 : 60});
    cases.push_back({OpKind::kSum, dtype, {3, 40}, {1}, false, 0.1f, 3.9f, zp, zp});
    cases.push_back({OpKind::kSum, dtype, {1, 100, 100}, {1, 2}, false, 0.001f, 17.0f, zp, zp});
  }
  return cases;
}

TEST(Reduce, AgainstNaiveOnRandomAndEdgeInputs) {
  testing::Rng rng(99);
  for (const Case& c : Cases()) {
    int64_t n = 1;
    for (int32_t d : c.shape) n *= d;
    std::vector<std::vector<uint8_t>> inputs = {testing::RandomBytes(rng, static_cast<size_t>(n), c.dtype),
                                                std::vector<uint8_t>(static_cast<size_t>(n), testing::Put(QMin(c.dtype))),
                                                std::vector<uint8_t>(static_cast<size_t>(n), testing::Put(QMax(c.dtype)))};
    for (const auto& x : inputs) {
      EXPECT_TRUE(testing::SameBytes(RunReduce(c, x), Naive(c, x), c.dtype))
          << OpName(c.kind) << " " << DTypeName(c.dtype) << " rank " << c.shape.size() << " keep " << c.keep_dims;
    }
  }
}

TEST(Reduce, MaxMinRejectARequantization) {
  Case c{OpKind::kReduceMax, DType::kInt8, {1, 2, 2, 1}, {1}, true, 0.1f, 0.2f, 0, 0};
  EXPECT_THROW(RunReduce(c, {1, 2, 3, 4}), Error);
  c = {OpKind::kReduceMin, DType::kInt8, {1, 2, 2, 1}, {1}, true, 0.1f, 0.1f, 0, 1};
  EXPECT_THROW(RunReduce(c, {1, 2, 3, 4}), Error);
}

TEST(Reduce, RejectsAnAxisOutOfRange) {
  for (OpKind kind : {OpKind::kSum, OpKind::kReduceMax}) {
    Case c{kind, DType::kInt8, {1, 2, 2, 1}, {4}, true};
    Graph g;
    const int in = g.AddActivation(c.dtype, c.shape, Quantization{{0.1f}, {0}, 0});
    const int ax = g.AddConstant(DType::kInt32, {1}, {}, BytesOf(std::vector<int32_t>{-5}));
    const int out = g.AddActivation(c.dtype, {1, 2, 2, 1}, Quantization{{0.1f}, {0}, 0});
    testing::AddOnlyOp(g, kind, {in, ax}, {out}, MeanAttrs{true});
    EXPECT_THROW(testing::RunGraph(g, Arith::kTflm, {{1, 2, 3, 4}}, false), Error);
  }
}

TEST(Reduce, SumRejectsTheTfliteFlavour) {
  Graph g;
  const int in = g.AddActivation(DType::kUInt8, {1, 4}, Quantization{{0.1f}, {0}, 0});
  const int ax = g.AddConstant(DType::kInt32, {1}, {}, BytesOf(std::vector<int32_t>{1}));
  const int out = g.AddActivation(DType::kUInt8, {1}, Quantization{{0.1f}, {0}, 0});
  testing::AddOnlyOp(g, OpKind::kSum, {in, ax}, {out}, MeanAttrs{false});
  EXPECT_THROW(testing::RunGraph(g, Arith::kTflite, {{1, 2, 3, 4}}, false), Error);
}

}  // namespace
}  // namespace tinyfuse
