#include "graph/prepare/move_ops.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

#include "common/error.h"
#include "graph/prepare/common.h"

namespace tinyfuse {

namespace {

std::string Ints(const std::vector<int32_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

// The op under planning: its label for messages and typed access to its tensors.
class Planner {
 public:
  Planner(const Graph& g, const Op& op) : g_(g), op_(op), what_(OpLabel(g, op)) {}

  void Require(bool cond, const std::string& message) const { Check(cond, what_ + ": " + message); }
  const Op& op() const { return op_; }
  // The op's options, which must be of type A.
  template <typename A>
  const A& Attrs() const {
    const A* a = std::get_if<A>(&op_.attrs);
    Require(a != nullptr, "its options are missing or belong to another operator");
    return *a;
  }
  const Tensor& In(size_t i) const {
    Require(i < op_.inputs.size() && op_.inputs[i] >= 0, "input " + std::to_string(i) + " is missing");
    return g_.tensor(op_.inputs[i]);
  }
  void Counts(size_t inputs, size_t outputs) const {
    Require(op_.inputs.size() == inputs, std::to_string(op_.inputs.size()) + " inputs, expected " +
                                             std::to_string(inputs));
    Require(op_.outputs.size() == outputs, std::to_string(op_.outputs.size()) + " outputs, expected " +
                                               std::to_string(outputs));
  }
  // The values of constant int32 input `i` (`role` names it in messages).
  std::vector<int32_t> ConstInts(size_t i, const std::string& role) const {
    const Tensor& t = In(i);
    Require(t.is_const && t.dtype == DType::kInt32, role + " must be a constant int32 tensor");
    std::vector<int32_t> v;
    for (int64_t k = 0; k < t.num_elements(); ++k) v.push_back(t.ConstInt(k));
    return v;
  }
  // `axis` resolved against `rank` (valid: -rank .. rank-1).
  int Axis(int axis, int rank, const std::string& role) const {
    Require(axis >= -rank && axis < rank, role + " " + std::to_string(axis) + " is out of range for rank " +
                                              std::to_string(rank));
    return axis < 0 ? axis + rank : axis;
  }
  // Every input from `first` on has the dtype of input `first`.
  DType SameDTypes(size_t first) const {
    const DType t = In(first).dtype;
    for (size_t i = first; i < op_.inputs.size(); ++i) {
      Require(In(i).dtype == t, "input " + std::to_string(i) + " is " + DTypeName(In(i).dtype) + ", input " +
                                    std::to_string(first) + " is " + DTypeName(t));
    }
    return t;
  }

 private:
  const Graph& g_;
  const Op& op_;
  std::string what_;
};

// A map writing a tensor walked as `walk` into the slab at `offset` along `axis` of a row-major output of
// shape `out` (walk and out have equal ranks).
MoveMap IntoSlab(DType dtype, const std::vector<int32_t>& walk, const std::vector<int32_t>& out, int axis,
                 int32_t offset) {
  MoveMap m = StridedMap(dtype, walk, RowMajorStrides(walk));
  const std::vector<int64_t> out_strides = RowMajorStrides(out);
  for (size_t k = 0; k < walk.size(); ++k) m.axes[k].out_stride = out_strides[k];
  m.out_offset = offset * out_strides[static_cast<size_t>(axis)];
  return m;
}

// The bytes of input 0 as output 0 of shape `shape` (a view).
MovePlan Identity(DType dtype, std::vector<int32_t> shape, std::string label) {
  MovePlan p;
  p.parts.push_back({MovePart{0, StridedMap(dtype, shape, RowMajorStrides(shape))}});
  p.output_shapes.push_back(std::move(shape));
  p.label = std::move(label);
  return p;
}

// CONCATENATION of inputs walked as `walks` along `axis` (PACK walks each input with a unit axis inserted).
MovePlan Stack(const Planner& c, DType dtype, const std::vector<std::vector<int32_t>>& walks, int axis) {
  std::vector<int32_t> out = walks[0];
  out[static_cast<size_t>(axis)] = 0;
  for (size_t i = 0; i < walks.size(); ++i) {
    c.Require(walks[i].size() == out.size(), "input " + std::to_string(i) + " has rank " +
                                                 std::to_string(walks[i].size()) + ", input 0 has " +
                                                 std::to_string(out.size()));
    for (size_t k = 0; k < out.size(); ++k) {
      c.Require(static_cast<int>(k) == axis || walks[i][k] == walks[0][k],
                "input " + std::to_string(i) + " " + Ints(walks[i]) + " differs from input 0 " + Ints(walks[0]) +
                    " off axis " + std::to_string(axis));
    }
    out[static_cast<size_t>(axis)] += walks[i][static_cast<size_t>(axis)];
  }
  MovePlan p;
  p.parts.emplace_back();
  int32_t offset = 0;
  for (size_t i = 0; i < walks.size(); ++i) {
    p.parts[0].push_back({static_cast<int>(i), IntoSlab(dtype, walks[i], out, axis, offset)});
    offset += walks[i][static_cast<size_t>(axis)];
  }
  p.output_shapes.push_back(out);
  p.label = "axis=" + std::to_string(axis);
  return p;
}

MovePlan Concatenation(const Planner& c) {
  const auto& a = c.Attrs<ConcatenationAttrs>();
  c.Require(!c.op().inputs.empty() && c.op().outputs.size() == 1, "needs inputs and one output");
  c.Require(a.activation == Activation::kNone, std::string("fused activation ") + ActivationName(a.activation) +
                                                   " is unsupported (TFLite Micro requires NONE)");
  const DType dtype = c.SameDTypes(0);
  const int axis = c.Axis(a.axis, c.In(0).rank(), "axis");
  std::vector<std::vector<int32_t>> walks;
  for (size_t i = 0; i < c.op().inputs.size(); ++i) walks.push_back(c.In(i).shape);
  return Stack(c, dtype, walks, axis);
}

MovePlan Pack(const Planner& c) {
  const auto& a = c.Attrs<PackAttrs>();
  const size_t n = c.op().inputs.size();
  c.Require(n >= 1 && c.op().outputs.size() == 1, "needs inputs and one output");
  c.Require(a.values_count == static_cast<int>(n), "values_count " + std::to_string(a.values_count) +
                                                       " differs from the " + std::to_string(n) + " inputs");
  const DType dtype = c.SameDTypes(0);
  const int axis = c.Axis(a.axis, c.In(0).rank() + 1, "axis");
  std::vector<std::vector<int32_t>> walks;
  for (size_t i = 0; i < n; ++i) {
    c.Require(c.In(i).shape == c.In(0).shape, "input " + std::to_string(i) + " " + Ints(c.In(i).shape) +
                                                  " differs from input 0 " + Ints(c.In(0).shape));
    std::vector<int32_t> w = c.In(i).shape;
    w.insert(w.begin() + axis, 1);
    walks.push_back(w);
  }
  return Stack(c, dtype, walks, axis);
}

MovePlan Split(const Planner& c) {
  const auto& a = c.Attrs<SplitAttrs>();
  c.Require(a.num_splits >= 1, "num_splits " + std::to_string(a.num_splits) + " is not positive");
  c.Counts(2, static_cast<size_t>(a.num_splits));
  const std::vector<int32_t> axes = c.ConstInts(0, "axis");
  c.Require(axes.size() == 1, "axis must have one element");
  const Tensor& in = c.In(1);
  const int axis = c.Axis(axes[0], in.rank(), "axis");
  const int32_t dim = in.dim(axis);
  c.Require(dim % a.num_splits == 0, "axis " + std::to_string(axis) + " of extent " + std::to_string(dim) +
                                         " does not split into " + std::to_string(a.num_splits) + " equal parts");
  std::vector<int32_t> shape = in.shape;
  shape[static_cast<size_t>(axis)] = dim / a.num_splits;
  const std::vector<int64_t> strides = RowMajorStrides(in.shape);
  MovePlan p;
  for (int j = 0; j < a.num_splits; ++j) {
    const int64_t offset = int64_t{j} * shape[static_cast<size_t>(axis)] * strides[static_cast<size_t>(axis)];
    p.parts.push_back({MovePart{1, StridedMap(in.dtype, shape, strides, offset)}});
    p.output_shapes.push_back(shape);
  }
  p.label = "axis=" + std::to_string(axis) + ", num_splits=" + std::to_string(a.num_splits);
  return p;
}

MovePlan Slice(const Planner& c) {
  c.Counts(3, 1);
  const Tensor& in = c.In(0);
  const std::vector<int32_t> begin = c.ConstInts(1, "begin"), size = c.ConstInts(2, "size");
  c.Require(begin.size() == static_cast<size_t>(in.rank()) && size.size() == begin.size(),
            "begin and size must have " + std::to_string(in.rank()) + " elements");
  const std::vector<int64_t> strides = RowMajorStrides(in.shape);
  std::vector<int32_t> shape;
  int64_t offset = 0;
  for (int k = 0; k < in.rank(); ++k) {
    const size_t i = static_cast<size_t>(k);
    const int32_t n = size[i] == -1 ? in.dim(k) - begin[i] : size[i];
    c.Require(begin[i] >= 0 && n >= 1 && int64_t{begin[i]} + n <= in.dim(k),
              "begin " + std::to_string(begin[i]) + ", size " + std::to_string(size[i]) + " do not fit axis " +
                  std::to_string(k) + " of extent " + std::to_string(in.dim(k)) + " (empty slices are refused)");
    shape.push_back(n);
    offset += begin[i] * strides[i];
  }
  MovePlan p;
  p.parts.push_back({MovePart{0, StridedMap(in.dtype, shape, strides, offset)}});
  p.output_shapes.push_back(shape);
  p.label = "begin=" + Ints(begin) + ", size=" + Ints(shape);
  return p;
}

MovePlan Squeeze(const Planner& c) {
  c.Counts(1, 1);
  const Tensor& in = c.In(0);
  std::vector<bool> drop(static_cast<size_t>(in.rank()), false);
  for (int32_t d : c.Attrs<SqueezeAttrs>().squeeze_dims) {
    const int axis = c.Axis(d, in.rank(), "squeeze dim");
    c.Require(in.dim(axis) == 1, "squeeze dim " + std::to_string(d) + " has extent " + std::to_string(in.dim(axis)));
    drop[static_cast<size_t>(axis)] = true;
  }
  const bool all = c.Attrs<SqueezeAttrs>().squeeze_dims.empty();
  std::vector<int32_t> shape;
  for (int k = 0; k < in.rank(); ++k) {
    if (!(drop[static_cast<size_t>(k)] || (all && in.dim(k) == 1))) shape.push_back(in.dim(k));
  }
  return Identity(in.dtype, shape, "");
}

MovePlan ExpandDims(const Planner& c) {
  c.Counts(2, 1);
  const Tensor& in = c.In(0);
  const std::vector<int32_t> axes = c.ConstInts(1, "axis");
  c.Require(axes.size() == 1, "axis must have one element");
  const int axis = c.Axis(axes[0], in.rank() + 1, "axis");
  std::vector<int32_t> shape = in.shape;
  shape.insert(shape.begin() + axis, 1);
  return Identity(in.dtype, shape, "axis=" + std::to_string(axis));
}

int32_t Clamp(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

// TFLite Micro's start and end of one axis (negative indices count from the end; the masks take the whole
// axis in the stride's direction; a shrunk axis is one element).
std::pair<int32_t, int32_t> SliceBounds(const StridedSliceAttrs& a, int axis, int32_t size, int32_t begin,
                                        int32_t end, int32_t stride) {
  const bool forward = stride > 0;
  int32_t start = begin < 0 ? begin + size : begin;
  start = forward ? Clamp(start, 0, size) : Clamp(start, -1, size - 1);
  if (a.begin_mask & (1 << axis)) start = forward ? 0 : size - 1;
  if (a.shrink_axis_mask & (1 << axis)) return {start, start >= size ? start : start + 1};
  int32_t stop = end < 0 ? end + size : end;
  stop = forward ? Clamp(stop, 0, size) : Clamp(stop, -1, size - 1);
  if (a.end_mask & (1 << axis)) stop = forward ? size : -1;
  return {start, stop};
}

MovePlan StridedSlice(const Planner& c) {
  c.Counts(4, 1);
  const auto& a = c.Attrs<StridedSliceAttrs>();
  // TFLite Micro zeroes these two masks and never reads the offset flag; a model relying on them would
  // get other results there, so they are refused rather than guessed.
  c.Require(a.ellipsis_mask == 0, "ellipsis_mask is unsupported (TFLite Micro ignores it)");
  c.Require(a.new_axis_mask == 0, "new_axis_mask is unsupported (TFLite Micro ignores it)");
  c.Require(!a.offset, "offset is unsupported (TFLite Micro ignores it)");
  const Tensor& in = c.In(0);
  const std::vector<int32_t> begin = c.ConstInts(1, "begin"), end = c.ConstInts(2, "end"),
                             step = c.ConstInts(3, "strides");
  const size_t rank = static_cast<size_t>(in.rank());
  c.Require(begin.size() == rank && end.size() == rank && step.size() == rank,
            "begin, end and strides must have " + std::to_string(rank) + " elements");
  const std::vector<int64_t> strides = RowMajorStrides(in.shape);
  std::vector<int32_t> shape;
  std::vector<int64_t> walk_strides;
  int64_t offset = 0;
  for (size_t k = 0; k < rank; ++k) {
    const int axis = static_cast<int>(k);
    c.Require(step[k] != 0, "stride on axis " + std::to_string(k) + " is 0");
    const auto [start, stop] = SliceBounds(a, axis, in.dim(axis), begin[k], end[k], step[k]);
    const int64_t span = step[k] > 0 ? int64_t{stop} - start : int64_t{start} - stop;
    const int64_t n = span <= 0 ? 0 : (span + std::abs(int64_t{step[k]}) - 1) / std::abs(int64_t{step[k]});
    c.Require(n >= 1, "the slice of axis " + std::to_string(k) + " is empty (empty slices are refused)");
    offset += start * strides[k];
    if (a.shrink_axis_mask & (1 << axis)) continue;
    shape.push_back(static_cast<int32_t>(n));
    walk_strides.push_back(strides[k] * step[k]);
  }
  MovePlan p;
  p.parts.push_back({MovePart{0, StridedMap(in.dtype, shape, walk_strides, offset)}});
  p.output_shapes.push_back(shape);
  p.label = "begin=" + Ints(begin) + ", end=" + Ints(end) + ", strides=" + Ints(step);
  return p;
}

// The input row (column) that output row (column) `o` of a nearest-neighbour resize reads, as TFLite Micro's
// reference kernel computes it: float32 scale and offset, round half away from zero with align_corners,
// else floor; clamped to the input.
int32_t NearestSource(int32_t o, int32_t in_size, int32_t out_size, bool align_corners, bool half_pixel_centers) {
  const float scale = (align_corners && out_size > 1)
                          ? static_cast<float>(in_size - 1) / static_cast<float>(out_size - 1)
                          : static_cast<float>(in_size) / static_cast<float>(out_size);
  const float offset = half_pixel_centers ? 0.5f : 0.0f;
  const float scaled = (static_cast<float>(o) + offset) * scale;
  int32_t v = static_cast<int32_t>(align_corners ? std::round(scaled) : std::floor(scaled));
  v = std::min(v, in_size - 1);
  return half_pixel_centers ? std::max(0, v) : v;
}

// RESIZE_NEAREST_NEIGHBOR: NHWC input, constant int32 size {height, width}; every output pixel copies the
// input pixel NearestSource picks, through one table per spatial axis.
MovePlan ResizeNearestNeighbor(const Planner& c) {
  c.Counts(2, 1);
  const auto& a = c.Attrs<ResizeBilinearAttrs>();
  const Tensor& in = c.In(0);
  c.Require(in.rank() == 4, "the input must have rank 4 (NHWC), it has rank " + std::to_string(in.rank()));
  const std::vector<int32_t> size = c.ConstInts(1, "size");
  c.Require(size.size() == 2 && size[0] >= 1 && size[1] >= 1, "size must be two positive values, it is " + Ints(size));
  const std::vector<int32_t> out = {in.dim(0), size[0], size[1], in.dim(3)};
  MoveMap m = StridedMap(in.dtype, out, RowMajorStrides(in.shape));
  for (int k = 1; k <= 2; ++k) {
    MoveAxis& axis = m.axes[static_cast<size_t>(k)];
    for (int32_t o = 0; o < axis.extent; ++o) {
      axis.table.push_back(NearestSource(o, in.dim(k), axis.extent, a.align_corners, a.half_pixel_centers));
    }
    axis.size = in.dim(k);
  }
  MovePlan p;
  p.parts.push_back({MovePart{0, std::move(m)}});
  p.output_shapes.push_back(out);
  p.label = "size=" + Ints(size) + (a.align_corners ? ", align_corners" : "") +
            (a.half_pixel_centers ? ", half_pixel_centers" : "");
  return p;
}

}  // namespace

bool IsMoveOp(OpKind kind) {
  switch (kind) {
    case OpKind::kConcatenation:
    case OpKind::kPack:
    case OpKind::kSplit:
    case OpKind::kSlice:
    case OpKind::kStridedSlice:
    case OpKind::kSqueeze:
    case OpKind::kExpandDims:
    case OpKind::kResizeNearestNeighbor:
      return true;
    default:
      return false;
  }
}

MovePlan PlanMove(const Graph& g, const Op& op) {
  const Planner c(g, op);
  switch (op.kind) {
    case OpKind::kConcatenation: return Concatenation(c);
    case OpKind::kPack: return Pack(c);
    case OpKind::kSplit: return Split(c);
    case OpKind::kSlice: return Slice(c);
    case OpKind::kStridedSlice: return StridedSlice(c);
    case OpKind::kSqueeze: return Squeeze(c);
    case OpKind::kExpandDims: return ExpandDims(c);
    case OpKind::kResizeNearestNeighbor: return ResizeNearestNeighbor(c);
    default: break;
  }
  throw Error(OpLabel(g, op) + ": not a data-movement operator");
}

}  // namespace tinyfuse
