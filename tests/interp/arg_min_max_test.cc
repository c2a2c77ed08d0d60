// ARG_MAX and ARG_MIN against a naive reference written here (for each output coordinate, scan the axis and
// keep the first extreme), tolerance zero: every axis, negative axes, 1-element axes, ranks 1 to 5, int32
// and int64 indices, int32 and int64 axis tensors, inputs full of ties; and the bad-input errors.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "common/error.h"
#include "graph/graph.h"
#include "graph/verifier.h"
#include "interp/interpreter.h"
#include "test_util.h"
#include "tflite/raw_model.h"

namespace tinyfuse {
namespace {

using testing::Get;

struct Case {
  OpKind kind;
  DType dtype;
  std::vector<int32_t> shape;
  int32_t axis;
  DType index_type;
  bool int64_axis = false;
};

std::vector<uint8_t> Int64Bytes(int64_t v) {
  std::vector<uint8_t> b(8);
  for (int i = 0; i < 8; ++i) b[static_cast<size_t>(i)] = static_cast<uint8_t>(static_cast<uint64_t>(v) >> (8 * i));
  return b;
}

Graph Build(const Case& c) {
  Graph g;
  const int rank = static_cast<int>(c.shape.size());
  const int in = g.AddActivation(c.dtype, c.shape, Quantization{{0.1f}, {c.dtype == DType::kInt8 ? 3 : 130}, 0});
  const int ax = c.int64_axis ? g.AddConstant(DType::kInt64, {1}, {}, Int64Bytes(c.axis))
                              : g.AddConstant(DType::kInt32, {}, {}, BytesOf(std::vector<int32_t>{c.axis}));
  std::vector<int32_t> out_shape = c.shape;
  out_shape.erase(out_shape.begin() + (c.axis < 0 ? c.axis + rank : c.axis));
  const int out = g.AddActivation(c.index_type, out_shape, Quantization{});
  testing::AddOnlyOp(g, c.kind, {in, ax}, {out}, ArgMinMaxAttrs{c.index_type});
  g.ops[0].version = 2;
  return g;
}

// Reads index i of an int32 or int64 little-endian buffer.
int64_t IndexAt(const std::vector<uint8_t>& v, size_t i, DType t) {
  const size_t n = t == DType::kInt64 ? 8 : 4;
  uint64_t u = 0;
  for (size_t b = 0; b < n; ++b) u |= static_cast<uint64_t>(v[i * n + b]) << (8 * b);
  return t == DType::kInt64 ? static_cast<int64_t>(u) : static_cast<int64_t>(static_cast<int32_t>(u));
}

// For every output coordinate (the input coordinate with the axis removed), the first index along the axis
// whose value no other element beats strictly.
std::vector<int64_t> Naive(const Case& c, const std::vector<uint8_t>& x) {
  const int rank = static_cast<int>(c.shape.size());
  const int axis = c.axis < 0 ? c.axis + rank : c.axis;
  std::vector<int64_t> strides(static_cast<size_t>(rank), 1);
  for (int d = rank - 2; d >= 0; --d) strides[static_cast<size_t>(d)] = strides[static_cast<size_t>(d) + 1] * c.shape[static_cast<size_t>(d) + 1];
  std::vector<int64_t> y;
  std::vector<int32_t> coord(static_cast<size_t>(rank), 0);  // coord[axis] stays 0
  while (true) {
    int64_t base = 0;
    for (int d = 0; d < rank; ++d) base += coord[static_cast<size_t>(d)] * strides[static_cast<size_t>(d)];
    int64_t best_index = 0;
    int32_t best = Get(x, static_cast<size_t>(base), c.dtype);
    for (int32_t a = 0; a < c.shape[static_cast<size_t>(axis)]; ++a) {
      const int32_t v = Get(x, static_cast<size_t>(base + a * strides[static_cast<size_t>(axis)]), c.dtype);
      const bool better = c.kind == OpKind::kArgMax ? v > best : v < best;
      if (better) {
        best = v;
        best_index = a;
      }
    }
    y.push_back(best_index);
    int d = rank - 1;
    for (; d >= 0; --d) {
      if (d == axis) continue;
      if (++coord[static_cast<size_t>(d)] < c.shape[static_cast<size_t>(d)]) break;
      coord[static_cast<size_t>(d)] = 0;
    }
    if (d < 0) break;
  }
  return y;
}

TEST(ArgMinMax, AgainstNaiveOnEveryAxis) {
  testing::Rng rng(5);
  const std::vector<std::vector<int32_t>> shapes = {{7}, {3, 5}, {1, 4, 1}, {2, 3, 4, 5}, {2, 1, 3, 2, 4}, {1, 9, 9, 21}};
  int checked = 0;
  for (OpKind kind : {OpKind::kArgMax, OpKind::kArgMin}) {
    for (DType dtype : {DType::kInt8, DType::kUInt8}) {
      for (const auto& shape : shapes) {
        const int rank = static_cast<int>(shape.size());
        for (int32_t axis = -rank; axis < rank; ++axis) {
          for (DType index_type : {DType::kInt32, DType::kInt64}) {
            const Case c{kind, dtype, shape, axis, index_type, axis % 2 == 0};
            int64_t n = 1;
            for (int32_t d : shape) n *= d;
            // Random bytes, bytes from {lo, lo + 1} (ties everywhere), and one constant value.
            std::vector<uint8_t> random = testing::RandomBytes(rng, static_cast<size_t>(n), dtype);
            std::vector<uint8_t> ties(static_cast<size_t>(n));
            for (auto& b : ties) b = testing::Put(testing::QMin(dtype) + rng.Uniform(0, 1));
            const std::vector<uint8_t> flat(static_cast<size_t>(n), testing::Put(testing::QMax(dtype)));
            for (const auto& x : {random, ties, flat}) {
              const std::vector<uint8_t> got = testing::RunGraph(Build(c), Arith::kTflm, {x});
              const std::vector<int64_t> want = Naive(c, x);
              ASSERT_EQ(got.size(), want.size() * static_cast<size_t>(DTypeSize(index_type)));
              for (size_t i = 0; i < want.size(); ++i) {
                ASSERT_EQ(IndexAt(got, i, index_type), want[i]) << OpName(kind) << " axis " << axis << " at " << i;
              }
              // TFLite's builtin kernel (the uint8 goldens' engine) computes the same.
              EXPECT_EQ(testing::RunGraph(Build(c), Arith::kTflite, {x}, false), got);
              ++checked;
            }
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 500);
}

TEST(ArgMinMax, TiesKeepTheLowestIndex) {
  const Case c{OpKind::kArgMax, DType::kInt8, {1, 6}, 1, DType::kInt32};
  const std::vector<uint8_t> got = testing::RunGraph(Build(c), Arith::kTflm, {{1, 5, 2, 5, 5, 0}});
  EXPECT_EQ(IndexAt(got, 0, DType::kInt32), 1);
  const Case m{OpKind::kArgMin, DType::kUInt8, {1, 6}, -1, DType::kInt64};
  EXPECT_EQ(IndexAt(testing::RunGraph(Build(m), Arith::kTflm, {{9, 3, 7, 3, 200, 3}}), 0, DType::kInt64), 1);
}

TEST(ArgMinMax, RejectsAnAxisOutOfRange) {
  for (int32_t axis : {2, -3}) {
    Graph g = Build({OpKind::kArgMax, DType::kInt8, {2, 3}, 1, DType::kInt32});
    g.tensors[1].data = BytesOf(std::vector<int32_t>{axis});
    EXPECT_THROW(VerifyGraph(g), Error) << axis;
  }
}

TEST(ArgMinMax, RejectsAnOutputTypeThatIsNotAnIndexType) {
  Graph g = Build({OpKind::kArgMax, DType::kInt8, {2, 3}, 1, DType::kInt32});
  g.ops[0].attrs = ArgMinMaxAttrs{DType::kInt8};
  EXPECT_THROW(VerifyGraph(g), Error);
  // The options and the output tensor disagree.
  g = Build({OpKind::kArgMax, DType::kInt8, {2, 3}, 1, DType::kInt32});
  g.ops[0].attrs = ArgMinMaxAttrs{DType::kInt64};
  EXPECT_THROW(VerifyGraph(g), Error);
  // An 8-bit output tensor.
  g = Build({OpKind::kArgMin, DType::kInt8, {2, 3}, 1, DType::kInt32});
  g.tensors[2].dtype = DType::kInt8;
  EXPECT_THROW(VerifyGraph(g), Error);
}

TEST(ArgMinMax, ImporterRejectsAFloatOutputTypeInTheOptions) {
  const Graph g = Build({OpKind::kArgMax, DType::kUInt8, {2, 3}, 1, DType::kInt64});
  RawModel m = RawModelFromGraph(g);
  m.subgraphs[0].operators[0].options.output_type = tfl_type::kFloat32;
  const std::vector<uint8_t> bytes = WriteRawModel(m);
  try {
    ImportTflite(bytes.data(), bytes.size());
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("output_type"), std::string::npos) << e.what();
  }
}

TEST(ArgMinMax, RejectsAMultiElementAxis) {
  Graph g = Build({OpKind::kArgMax, DType::kInt8, {2, 3}, 1, DType::kInt32});
  g.tensors[1].shape = {2};
  g.tensors[1].data = BytesOf(std::vector<int32_t>{1, 0});
  EXPECT_THROW(VerifyGraph(g), Error);
}

}  // namespace
}  // namespace tinyfuse
