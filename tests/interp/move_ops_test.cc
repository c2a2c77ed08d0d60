// The data-movement operators (CONCATENATION, PACK, SPLIT, SLICE, STRIDED_SLICE, SQUEEZE, EXPAND_DIMS, SHAPE
// and constant folding) through the interpreter, against naive references written here from the operators'
// definitions (index lists per axis, coordinates looked up one by one; no MoveMap). Every element size
// (int8, uint8, int16, int32); axes from -rank to rank-1; negative strides, masks, shrunk axes; bad options
// and empty results are refused with a clear error.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"
#include "graph/graph.h"
#include "graph/prepare/move_ops.h"
#include "graph/verifier.h"
#include "interp/fold_constants.h"
#include "interp/interpreter.h"
#include "test_util.h"

namespace tinyfuse {
namespace {

using Shape = std::vector<int32_t>;

int64_t Count(const Shape& s) {
  int64_t n = 1;
  for (int32_t d : s) n *= d;
  return n;
}
// Element `i` of a test tensor: distinct in the low bits, so misplaced elements show.
int32_t ValueOf(int64_t i, int salt) { return static_cast<int32_t>(i * 7 + salt * 61 + 3); }

std::vector<uint8_t> Encode(const std::vector<int32_t>& v, DType t) {
  const size_t e = static_cast<size_t>(DTypeSize(t));
  std::vector<uint8_t> b(v.size() * e);
  for (size_t i = 0; i < v.size(); ++i) {
    for (size_t k = 0; k < e; ++k) b[i * e + k] = static_cast<uint8_t>(static_cast<uint32_t>(v[i]) >> (8 * k));
  }
  return b;
}
std::vector<int32_t> Values(const Shape& s, int salt) {
  std::vector<int32_t> v;
  for (int64_t i = 0; i < Count(s); ++i) v.push_back(ValueOf(i, salt));
  return v;
}
Shape Unravel(int64_t flat, const Shape& s) {
  Shape c(s.size());
  for (size_t k = s.size(); k-- > 0;) {
    c[k] = static_cast<int32_t>(flat % s[k]);
    flat /= s[k];
  }
  return c;
}
int64_t Ravel(const Shape& c, const Shape& s) {
  int64_t f = 0;
  for (size_t k = 0; k < s.size(); ++k) f = f * s[k] + c[k];
  return f;
}

class MoveOps : public ::testing::TestWithParam<DType> {
 protected:
  DType t() const { return GetParam(); }
  int In(Graph& g, const Shape& s, float scale = 0.5f, int zp = 1) {
    const bool q = t() == DType::kInt8 || t() == DType::kUInt8;
    return g.AddActivation(t(), s, q ? Quantization{{scale}, {zp}, 0} : Quantization{});
  }
  static int Ints(Graph& g, const std::vector<int32_t>& v) {
    return g.AddConstant(DType::kInt32, {static_cast<int32_t>(v.size())}, {}, BytesOf(v));
  }
  // Runs the one op of `g` (inputs: every non-constant input, salted by position) and returns its outputs.
  std::vector<std::vector<uint8_t>> Run(Graph& g, OpKind kind, std::vector<int> inputs, std::vector<int> outputs,
                                        OpAttrs attrs = {}) {
    Op op;
    op.kind = kind;
    op.inputs = inputs;
    op.outputs = outputs;
    op.attrs = std::move(attrs);
    g.AddOp(op);
    for (int id : inputs) {
      if (!g.tensor(id).is_const) g.inputs.push_back(id);
    }
    g.outputs = outputs;
    Interpreter interp(g, Arith::kTflm);
    for (size_t i = 0; i < g.inputs.size(); ++i) {
      interp.SetInput(static_cast<int>(i), Encode(Values(g.tensor(g.inputs[i]).shape, static_cast<int>(i)), t()));
    }
    interp.Invoke();
    std::vector<std::vector<uint8_t>> outs;
    for (size_t o = 0; o < outputs.size(); ++o) outs.push_back(interp.Output(static_cast<int>(o)));
    return outs;
  }
};

// ---- STRIDED_SLICE ---------------------------------------------------------------------------------------

struct AxisSlice {
  int32_t begin, end, stride;
  bool begin_mask = false, end_mask = false, shrink = false;
};

// The input indices one axis visits, from TFLite Micro's definition: negative indices count from the end,
// then the range is clamped to the axis ([0, dim] forward, [-1, dim - 1] backward); a mask takes the whole
// axis in the stride's direction. A shrunk axis is the one index `begin` (so read), walked towards begin + 1:
// nothing when the stride is negative or begin is past the end (TFLite Micro then writes no element).
std::vector<int32_t> AxisIndices(const AxisSlice& a, int32_t dim) {
  auto clamp = [&](int32_t x) {
    x = x < 0 ? x + dim : x;
    const int32_t lo = a.stride > 0 ? 0 : -1, hi = a.stride > 0 ? dim : dim - 1;
    return x < lo ? lo : (x > hi ? hi : x);
  };
  const int32_t b = a.begin_mask ? (a.stride > 0 ? 0 : dim - 1) : clamp(a.begin);
  if (a.shrink) return a.stride > 0 && b < dim ? std::vector<int32_t>{b} : std::vector<int32_t>{};
  const int32_t e = a.end_mask ? (a.stride > 0 ? dim : -1) : clamp(a.end);
  std::vector<int32_t> v;
  for (int32_t i = b; a.stride > 0 ? i < e : i > e; i += a.stride) v.push_back(i);
  return v;
}

TEST_P(MoveOps, StridedSliceSweepsOneAxis) {
  const Shape shape = {2, 6, 3};
  int ran = 0, refused = 0;
  for (int32_t begin : {-7, -4, -1, 0, 2, 5, 9}) {
    for (int32_t end : {-8, -2, 0, 3, 6, 12}) {
      for (int32_t stride : {-3, -1, 1, 2}) {
        for (int masks = 0; masks < 8; ++masks) {
          AxisSlice a{begin, end, stride, (masks & 1) != 0, (masks & 2) != 0, (masks & 4) != 0};
          const std::vector<int32_t> idx = AxisIndices(a, shape[1]);
          Graph g;
          const int in = In(g, shape);
          Shape out_shape = {2};
          if (!a.shrink) out_shape.push_back(static_cast<int32_t>(idx.size()));
          out_shape.push_back(3);
          const int out = In(g, out_shape);
          const StridedSliceAttrs attrs{(a.begin_mask ? 2 : 0), (a.end_mask ? 2 : 0), 0, 0, (a.shrink ? 2 : 0), false};
          const int b = Ints(g, {0, begin, 0}), e = Ints(g, {2, end, 3}), s = Ints(g, {1, stride, 1});
          if (idx.empty()) {
            EXPECT_THROW(Run(g, OpKind::kStridedSlice, {in, b, e, s}, {out}, attrs), Error);
            ++refused;
            continue;
          }
          const std::vector<uint8_t> got = Run(g, OpKind::kStridedSlice, {in, b, e, s}, {out}, attrs)[0];
          std::vector<int32_t> want;
          for (int32_t n = 0; n < 2; ++n) {
            for (int32_t i : idx) {
              for (int32_t c = 0; c < 3; ++c) want.push_back(ValueOf(Ravel({n, i, c}, shape), 0));
            }
          }
          ASSERT_EQ(got, Encode(want, t())) << "begin " << begin << " end " << end << " stride " << stride
                                            << " masks " << masks;
          ++ran;
        }
      }
    }
  }
  EXPECT_GT(ran, 300);
  EXPECT_GT(refused, 100);
}

TEST_P(MoveOps, StridedSliceEveryAxisAtOnce) {
  const Shape shape = {3, 4, 5, 2};
  const std::vector<AxisSlice> axes = {{-1, 0, -1}, {1, 4, 2}, {4, -6, -2, false, false, false}, {1, 0, 1, false, false, true}};
  std::vector<std::vector<int32_t>> idx;
  Shape out_shape;
  for (size_t k = 0; k < axes.size(); ++k) {
    idx.push_back(AxisIndices(axes[k], shape[k]));
    if (!axes[k].shrink) out_shape.push_back(static_cast<int32_t>(idx.back().size()));
  }
  Graph g;
  const int in = In(g, shape);
  const int out = In(g, out_shape);
  const int b = Ints(g, {-1, 1, 4, 1}), e = Ints(g, {0, 4, -6, 0}), s = Ints(g, {-1, 2, -2, 1});
  const std::vector<uint8_t> got = Run(g, OpKind::kStridedSlice, {in, b, e, s}, {out}, StridedSliceAttrs{0, 0, 0, 0, 8, false})[0];
  std::vector<int32_t> want;
  for (int32_t i0 : idx[0]) {
    for (int32_t i1 : idx[1]) {
      for (int32_t i2 : idx[2]) want.push_back(ValueOf(Ravel({i0, i1, i2, idx[3][0]}, shape), 0));
    }
  }
  EXPECT_EQ(got, Encode(want, t()));
}

// ---- CONCATENATION, PACK, SPLIT, SLICE -------------------------------------------------------------------

TEST_P(MoveOps, ConcatenationEveryAxis) {
  for (int axis = -3; axis < 3; ++axis) {
    const size_t a = static_cast<size_t>(axis < 0 ? axis + 3 : axis);
    std::vector<Shape> shapes(3, Shape{2, 3, 4});
    shapes[1][a] = 1;
    shapes[2][a] = 3;
    Shape out_shape = {2, 3, 4};
    out_shape[a] = shapes[0][a] + 1 + 3;
    Graph g;
    std::vector<int> ins;
    // Differing quantization: TFLite Micro copies the bytes unchanged all the same.
    for (size_t i = 0; i < 3; ++i) ins.push_back(In(g, shapes[i], 0.1f * static_cast<float>(i + 1), static_cast<int>(i)));
    const int out = In(g, out_shape, 0.7f, -2);
    const std::vector<uint8_t> got = Run(g, OpKind::kConcatenation, ins, {out}, ConcatenationAttrs{axis})[0];
    std::vector<int32_t> want;
    for (int64_t f = 0; f < Count(out_shape); ++f) {
      Shape c = Unravel(f, out_shape);
      size_t i = 0;
      while (c[a] >= shapes[i][a]) c[a] -= shapes[i++][a];
      want.push_back(ValueOf(Ravel(c, shapes[i]), static_cast<int>(i)));
    }
    EXPECT_EQ(got, Encode(want, t())) << "axis " << axis;
  }
}

TEST_P(MoveOps, PackEveryAxis) {
  const Shape shape = {3, 2};
  for (int axis = -3; axis <= 2; ++axis) {
    const size_t a = static_cast<size_t>(axis < 0 ? axis + 3 : axis);
    Shape out_shape = shape;
    out_shape.insert(out_shape.begin() + static_cast<long>(a), 4);
    Graph g;
    std::vector<int> ins;
    for (int i = 0; i < 4; ++i) ins.push_back(In(g, shape));
    const int out = In(g, out_shape);
    const std::vector<uint8_t> got = Run(g, OpKind::kPack, ins, {out}, PackAttrs{4, axis})[0];
    std::vector<int32_t> want;
    for (int64_t f = 0; f < Count(out_shape); ++f) {
      Shape c = Unravel(f, out_shape);
      const int i = c[a];
      c.erase(c.begin() + static_cast<long>(a));
      want.push_back(ValueOf(Ravel(c, shape), i));
    }
    EXPECT_EQ(got, Encode(want, t())) << "axis " << axis;
  }
}

TEST_P(MoveOps, SplitEveryAxis) {
  const Shape shape = {2, 6, 4};
  for (int axis = -3; axis < 3; ++axis) {
    const size_t a = static_cast<size_t>(axis < 0 ? axis + 3 : axis);
    const int n = static_cast<int>(shape[a]);
    Shape part = shape;
    part[a] = 1;
    Graph g;
    const int ax = Ints(g, {axis});
    const int in = In(g, shape);
    std::vector<int> outs;
    for (int j = 0; j < n; ++j) outs.push_back(In(g, part));
    const auto got = Run(g, OpKind::kSplit, {ax, in}, outs, SplitAttrs{n});
    for (int j = 0; j < n; ++j) {
      std::vector<int32_t> want;
      for (int64_t f = 0; f < Count(part); ++f) {
        Shape c = Unravel(f, part);
        c[a] += j;
        want.push_back(ValueOf(Ravel(c, shape), 0));
      }
      EXPECT_EQ(got[static_cast<size_t>(j)], Encode(want, t())) << "axis " << axis << " output " << j;
    }
  }
}

TEST_P(MoveOps, SliceWithToTheEnd) {
  const Shape shape = {3, 5, 4};
  Graph g;
  const int in = In(g, shape);
  const int out = In(g, {2, 3, 4});
  const int b = Ints(g, {1, 2, 0}), s = Ints(g, {-1, 3, -1});
  const std::vector<uint8_t> got = Run(g, OpKind::kSlice, {in, b, s}, {out})[0];
  std::vector<int32_t> want;
  for (int32_t i = 1; i < 3; ++i) {
    for (int32_t j = 2; j < 5; ++j) {
      for (int32_t k = 0; k < 4; ++k) want.push_back(ValueOf(Ravel({i, j, k}, shape), 0));
    }
  }
  EXPECT_EQ(got, Encode(want, t()));
}

TEST_P(MoveOps, SqueezeAndExpandDimsKeepTheBytes) {
  Graph g;
  const int in = In(g, {1, 3, 1, 2});
  const int out = In(g, {3, 2});
  EXPECT_EQ(Run(g, OpKind::kSqueeze, {in}, {out}, SqueezeAttrs{})[0], Encode(Values({6}, 0), t()));
  Graph h;
  const int x = In(h, {3, 2});
  const int ax = Ints(h, {-1});
  const int y = In(h, {3, 2, 1});
  EXPECT_EQ(Run(h, OpKind::kExpandDims, {x, ax}, {y})[0], Encode(Values({6}, 0), t()));
}

// RESIZE_NEAREST_NEIGHBOR from TFLite Micro's definition, one coordinate at a time: the source row of output
// row y is (y + offset) * scale in float32, rounded half away from zero with align_corners (scale
// (in - 1) / (out - 1) then), floored otherwise (scale in / out), then clamped to [0, in - 1].
int32_t NearestRow(int32_t y, int32_t in, int32_t out, bool align, bool half) {
  const float scale = align && out > 1 ? static_cast<float>(in - 1) / static_cast<float>(out - 1)
                                       : static_cast<float>(in) / static_cast<float>(out);
  const float v = (static_cast<float>(y) + (half ? 0.5f : 0.0f)) * scale;
  int32_t r = static_cast<int32_t>(align ? std::round(v) : std::floor(v));
  if (r > in - 1) r = in - 1;
  if (half && r < 0) r = 0;
  return r;
}

TEST_P(MoveOps, ResizeNearestNeighborEveryModeAndRatio) {
  const std::vector<std::pair<Shape, Shape>> cases = {
      {{1, 3, 4, 2}, {5, 7}}, {{1, 5, 6, 1}, {2, 4}}, {{2, 2, 3, 3}, {2, 3}}, {{1, 1, 1, 2}, {4, 5}},
      {{1, 4, 4, 1}, {1, 1}}, {{1, 7, 5, 2}, {13, 9}}, {{1, 9, 9, 1}, {4, 4}}};
  for (const auto& [in_shape, size] : cases) {
    for (int mode = 0; mode < 4; ++mode) {
      const bool align = mode & 1, half = mode & 2;
      const Shape out_shape = {in_shape[0], size[0], size[1], in_shape[3]};
      Graph g;
      const int x = In(g, in_shape);
      const int s = Ints(g, size);
      const int y = In(g, out_shape);
      const auto got = Run(g, OpKind::kResizeNearestNeighbor, {x, s}, {y}, ResizeBilinearAttrs{align, half})[0];
      std::vector<int32_t> want;
      for (int64_t i = 0; i < Count(out_shape); ++i) {
        const Shape c = Unravel(i, out_shape);
        const Shape src = {c[0], NearestRow(c[1], in_shape[1], size[0], align, half),
                           NearestRow(c[2], in_shape[2], size[1], align, half), c[3]};
        want.push_back(ValueOf(Ravel(src, in_shape), 0));
      }
      EXPECT_EQ(got, Encode(want, t())) << "size " << size[0] << "x" << size[1] << " align " << align << " half "
                                        << half;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(All, MoveOps, ::testing::Values(DType::kInt8, DType::kUInt8, DType::kInt16, DType::kInt32),
                         [](const auto& info) { return std::string(DTypeName(info.param)); });

// ---- Errors: one clear message per rule ------------------------------------------------------------------

std::string PlanError(Graph& g, const Op& op) {
  try {
    PlanMove(g, op);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(MoveOpErrors, OptionsShapesAndAxes) {
  Graph g;
  const Quantization q{{0.5f}, {0}, 0};
  const int x = g.AddActivation(DType::kInt8, {2, 3}, q);
  const int y = g.AddActivation(DType::kInt8, {2, 4}, q);
  const int w = g.AddActivation(DType::kInt16, {2, 3}, Quantization{});
  auto ints = [&](const std::vector<int32_t>& v) {
    return g.AddConstant(DType::kInt32, {static_cast<int32_t>(v.size())}, {}, BytesOf(v));
  };
  auto op = [](OpKind k, std::vector<int> in, size_t outs, OpAttrs a = {}) {
    Op o;
    o.kind = k;
    o.inputs = std::move(in);
    o.outputs.assign(outs, 0);
    o.attrs = std::move(a);
    return o;
  };
  EXPECT_NE(PlanError(g, op(OpKind::kConcatenation, {x, y}, 1, ConcatenationAttrs{2})).find("axis 2 is out of range for rank 2"), std::string::npos);
  EXPECT_NE(PlanError(g, op(OpKind::kConcatenation, {x, y}, 1, ConcatenationAttrs{-3})).find("axis -3 is out of range"), std::string::npos);
  EXPECT_NE(PlanError(g, op(OpKind::kConcatenation, {x, y}, 1, ConcatenationAttrs{0})).find("differs from input 0"), std::string::npos);
  EXPECT_NE(PlanError(g, op(OpKind::kConcatenation, {x, w}, 1, ConcatenationAttrs{0})).find("input 1 is int16"), std::string::npos);
  EXPECT_NE(PlanError(g, op(OpKind::kConcatenation, {x, x}, 1, ConcatenationAttrs{0, Activation::kRelu})).find("fused activation"), std::string::npos);
  EXPECT_NE(PlanError(g, op(OpKind::kPack, {x, x}, 1, PackAttrs{3, 0})).find("values_count 3"), std::string::npos);
  EXPECT_NE(PlanError(g, op(OpKind::kPack, {x, x}, 1, PackAttrs{2, 3})).find("axis 3 is out of range for rank 3"), std::string::npos);
  EXPECT_NE(PlanError(g, op(OpKind::kSplit, {ints({1}), x}, 2, SplitAttrs{2})).find("does not split into 2"), std::string::npos);
  EXPECT_NE(PlanError(g, op(OpKind::kSplit, {ints({2}), x}, 1, SplitAttrs{1})).find("axis 2 is out of range"), std::string::npos);
  EXPECT_NE(PlanError(g, op(OpKind::kSplit, {ints({0}), x}, 1, SplitAttrs{0})).find("num_splits 0"), std::string::npos);
  EXPECT_NE(PlanError(g, op(OpKind::kSlice, {x, ints({1, 0}), ints({2, 3})}, 1)).find("do not fit axis 0"), std::string::npos);
  EXPECT_NE(PlanError(g, op(OpKind::kSlice, {x, ints({0, 0}), ints({0, 3})}, 1)).find("empty slices are refused"), std::string::npos);
  EXPECT_NE(PlanError(g, op(OpKind::kSqueeze, {x}, 1, SqueezeAttrs{{1}})).find("squeeze dim 1 has extent 3"), std::string::npos);
  EXPECT_NE(PlanError(g, op(OpKind::kExpandDims, {x, ints({3})}, 1)).find("axis 3 is out of range for rank 3"), std::string::npos);
  const std::vector<int> ss = {x, ints({0, 0}), ints({2, 3}), ints({1, 1})};
  EXPECT_NE(PlanError(g, op(OpKind::kStridedSlice, ss, 1, StridedSliceAttrs{0, 0, 1, 0, 0, false})).find("ellipsis_mask is unsupported"), std::string::npos);
  EXPECT_NE(PlanError(g, op(OpKind::kStridedSlice, ss, 1, StridedSliceAttrs{0, 0, 0, 1, 0, false})).find("new_axis_mask is unsupported"), std::string::npos);
  EXPECT_NE(PlanError(g, op(OpKind::kStridedSlice, ss, 1, StridedSliceAttrs{0, 0, 0, 0, 0, true})).find("offset is unsupported"), std::string::npos);
  EXPECT_NE(PlanError(g, op(OpKind::kStridedSlice, {x, ints({0, 0}), ints({2, 3}), ints({1, 0})}, 1, StridedSliceAttrs{})).find("stride on axis 1 is 0"), std::string::npos);
  EXPECT_NE(PlanError(g, op(OpKind::kStridedSlice, {x, ints({0, 2}), ints({2, 1}), ints({1, 1})}, 1, StridedSliceAttrs{})).find("axis 1 is empty"), std::string::npos);
  EXPECT_NE(PlanError(g, op(OpKind::kStridedSlice, {x, ints({0}), ints({2}), ints({1})}, 1, StridedSliceAttrs{})).find("must have 2 elements"), std::string::npos);
}

TEST(MoveOpErrors, VerifierComparesTheOutputShape) {
  Graph g;
  const Quantization q{{0.5f}, {0}, 0};
  const int x = g.AddActivation(DType::kInt8, {2, 3}, q);
  const int out = g.AddActivation(DType::kInt8, {2, 5}, q);
  testing::AddOnlyOp(g, OpKind::kConcatenation, {x, x}, {out}, ConcatenationAttrs{1});
  try {
    VerifyGraph(g);
    ADD_FAILURE() << "accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("output 0 has shape [2,5], expected [2,6]"), std::string::npos) << e.what();
  }
}

// ---- SHAPE and constant folding --------------------------------------------------------------------------

TEST(FoldConstants, ShapeSliceAndPackBecomeConstants) {
  Graph g;
  const Quantization q{{0.5f}, {0}, 0};
  const int x = g.AddActivation(DType::kInt8, {1, 4, 6}, q);
  const int shape = g.AddActivation(DType::kInt32, {3}, {});
  const int batch = g.AddActivation(DType::kInt32, {}, {});
  const int two = g.AddConstant(DType::kInt32, {}, {}, BytesOf(std::vector<int32_t>{12}));
  const int new_shape = g.AddActivation(DType::kInt32, {2}, {});
  const int y = g.AddActivation(DType::kInt8, {1, 24}, q);
  auto ints = [&](const std::vector<int32_t>& v) {
    return g.AddConstant(DType::kInt32, {static_cast<int32_t>(v.size())}, {}, BytesOf(v));
  };
  g.AddOp(Op{OpKind::kShape, 1, {x}, {shape}, ShapeAttrs{}, 0});
  g.AddOp(Op{OpKind::kStridedSlice, 1, {shape, ints({0}), ints({1}), ints({1})}, {batch}, StridedSliceAttrs{0, 0, 0, 0, 1, false}, 1});
  g.AddOp(Op{OpKind::kPack, 1, {batch, two}, {new_shape}, PackAttrs{2, 0}, 2});
  g.AddOp(Op{OpKind::kReshape, 1, {x, new_shape}, {y}, NoAttrs{}, 3});
  g.inputs = {x};
  g.outputs = {y};
  VerifyGraph(g);  // the int32 values are computed at compile time, so they need not be activations
  EXPECT_EQ(FoldConstants(g), 3);
  ASSERT_EQ(g.ops.size(), 1u);
  EXPECT_EQ(g.ops[0].kind, OpKind::kReshape);
  EXPECT_TRUE(g.tensor(new_shape).is_const);
  EXPECT_EQ(g.tensor(new_shape).data, BytesOf(std::vector<int32_t>{1, 12}));
  EXPECT_EQ(g.tensor(shape).data, BytesOf(std::vector<int32_t>{1, 4, 6}));
}

TEST(FoldConstants, KeepsOpsWritingGraphOutputs) {
  Graph g;
  const int x = g.AddActivation(DType::kInt8, {1, 4}, Quantization{{0.5f}, {0}, 0});
  const int shape = g.AddActivation(DType::kInt32, {2}, {});
  g.AddOp(Op{OpKind::kShape, 1, {x}, {shape}, ShapeAttrs{}, 0});
  g.inputs = {x};
  g.outputs = {shape};
  EXPECT_EQ(FoldConstants(g), 0);
  EXPECT_EQ(g.ops.size(), 1u);
}

}  // namespace
}  // namespace tinyfuse
