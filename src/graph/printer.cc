#include "graph/printer.h"

#include <algorithm>
#include <cstdio>
#include <type_traits>
#include <variant>

#include "common/text.h"

namespace tinyfuse {

namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}

// Names come from model files: keep the output one line per item whatever they contain (whole, not cut).
std::string Quoted(const std::string& name) { return QuoteName(name, name.size()); }

std::string HxW(int h, int w) { return std::to_string(h) + "x" + std::to_string(w); }

std::string Bool(bool b) { return b ? "true" : "false"; }

}  // namespace

std::string PrintShape(const std::vector<int32_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

std::string PrintQuantization(const Quantization& q) {
  if (q.scale.empty() && q.zero_point.empty()) return "no-quant";
  if (q.scale.size() == 1 && q.zero_point.size() == 1)
    return "s=" + Num(q.scale[0]) + " zp=" + std::to_string(q.zero_point[0]);
  std::string s = "per-channel axis=" + std::to_string(q.axis) + " scales[" + std::to_string(q.scale.size()) + "]";
  if (!q.scale.empty()) {
    const auto [lo, hi] = std::minmax_element(q.scale.begin(), q.scale.end());
    s += "=" + Num(*lo) + ".." + Num(*hi);
  }
  if (q.zero_point.size() != q.scale.size()) return s + " zero_points[" + std::to_string(q.zero_point.size()) + "]";
  const bool same =
      std::all_of(q.zero_point.begin(), q.zero_point.end(), [&](int64_t z) { return z == q.zero_point.front(); });
  return s + (q.zero_point.empty() ? "" : same ? " zp=" + std::to_string(q.zero_point.front()) : " zp=mixed");
}

std::string PrintAttrs(const Op& op) {
  return std::visit(
      [](const auto& a) -> std::string {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, Conv2DAttrs>) {
          return std::string("padding=") + PaddingName(a.padding) + " stride=" + HxW(a.stride_h, a.stride_w) +
                 " dilation=" + HxW(a.dilation_h, a.dilation_w) + " activation=" + ActivationName(a.activation);
        } else if constexpr (std::is_same_v<A, DepthwiseConv2DAttrs>) {
          return std::string("padding=") + PaddingName(a.padding) + " stride=" + HxW(a.stride_h, a.stride_w) +
                 " dilation=" + HxW(a.dilation_h, a.dilation_w) +
                 " depth_multiplier=" + std::to_string(a.depth_multiplier) +
                 " activation=" + ActivationName(a.activation);
        } else if constexpr (std::is_same_v<A, FullyConnectedAttrs>) {
          return std::string("activation=") + ActivationName(a.activation) + " keep_num_dims=" + Bool(a.keep_num_dims);
        } else if constexpr (std::is_same_v<A, Pool2DAttrs>) {
          return std::string("padding=") + PaddingName(a.padding) + " filter=" + HxW(a.filter_h, a.filter_w) +
                 " stride=" + HxW(a.stride_h, a.stride_w) + " activation=" + ActivationName(a.activation);
        } else if constexpr (std::is_same_v<A, AddAttrs>) {
          return std::string("activation=") + ActivationName(a.activation);
        } else if constexpr (std::is_same_v<A, SoftmaxAttrs>) {
          char buf[32];
          std::snprintf(buf, sizeof(buf), "%.9g", static_cast<double>(a.beta));  // exact: it changes results
          return std::string("beta=") + buf;
        } else if constexpr (std::is_same_v<A, MeanAttrs>) {
          return "keep_dims=" + Bool(a.keep_dims);
        } else if constexpr (std::is_same_v<A, ConcatenationAttrs>) {
          return "axis=" + std::to_string(a.axis) + " activation=" + ActivationName(a.activation);
        } else if constexpr (std::is_same_v<A, PackAttrs>) {
          return "values_count=" + std::to_string(a.values_count) + " axis=" + std::to_string(a.axis);
        } else if constexpr (std::is_same_v<A, SplitAttrs>) {
          return "num_splits=" + std::to_string(a.num_splits);
        } else if constexpr (std::is_same_v<A, SqueezeAttrs>) {
          std::string dims;
          for (int32_t d : a.squeeze_dims) dims += (dims.empty() ? "" : ",") + std::to_string(d);
          return "squeeze_dims=[" + dims + "]";
        } else if constexpr (std::is_same_v<A, StridedSliceAttrs>) {
          return "begin_mask=" + std::to_string(a.begin_mask) + " end_mask=" + std::to_string(a.end_mask) +
                 " ellipsis_mask=" + std::to_string(a.ellipsis_mask) + " new_axis_mask=" +
                 std::to_string(a.new_axis_mask) + " shrink_axis_mask=" + std::to_string(a.shrink_axis_mask) +
                 " offset=" + Bool(a.offset);
        } else if constexpr (std::is_same_v<A, ShapeAttrs>) {
          return std::string("out_type=") + DTypeName(a.out_type);
        } else if constexpr (std::is_same_v<A, LeakyReluAttrs>) {
          char buf[32];
          std::snprintf(buf, sizeof(buf), "%.9g", static_cast<double>(a.alpha));
          return std::string("alpha=") + buf;
        } else if constexpr (std::is_same_v<A, ArgMinMaxAttrs>) {
          return std::string("output_type=") + DTypeName(a.output_type);
        } else if constexpr (std::is_same_v<A, ResizeBilinearAttrs>) {
          return "align_corners=" + Bool(a.align_corners) + " half_pixel_centers=" + Bool(a.half_pixel_centers);
        } else {
          return "";
        }
      },
      op.attrs);
}

std::string PrintTensor(const Graph& g, int id) {
  if (id == -1) return "-  (omitted)";
  if (id < 0 || static_cast<size_t>(id) >= g.tensors.size()) return "t" + std::to_string(id) + " (out of range)";
  const Tensor& t = g.tensor(id);
  return "t" + std::to_string(id) + " " + Quoted(t.name) + (t.is_const ? " const " : " ") + DTypeName(t.dtype) +
         PrintShape(t.shape) + " " + PrintQuantization(t.quant);
}

std::string PrintGraph(const Graph& g) {
  std::string s = "graph: " + std::to_string(g.tensors.size()) + " tensors, " + std::to_string(g.ops.size()) +
                  (g.ops.size() == 1 ? " op\n" : " ops\n");
  for (int id : g.inputs) s += "input  " + PrintTensor(g, id) + "\n";
  for (int id : g.outputs) s += "output " + PrintTensor(g, id) + "\n";
  for (size_t k = 0; k < g.ops.size(); ++k) {
    const Op& op = g.ops[k];
    const bool known = static_cast<int>(op.kind) < kNumOpKinds;
    s += "op " + std::to_string(k) + " " + (known ? OpName(op.kind) : "?") + " v" + std::to_string(op.version);
    const std::string attrs = PrintAttrs(op);
    if (!attrs.empty()) s += " " + attrs;
    s += "\n";
    for (int id : op.inputs) s += "  in  " + PrintTensor(g, id) + "\n";
    for (int id : op.outputs) s += "  out " + PrintTensor(g, id) + "\n";
  }
  return s;
}

}  // namespace tinyfuse
