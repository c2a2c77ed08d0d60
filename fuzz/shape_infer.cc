#include "shape_infer.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace tinyfuse::fuzz {

namespace {

using Shape = std::vector<int32_t>;
constexpr int64_t kMax = std::numeric_limits<int32_t>::max();

// Builtin codes (graph/ops.def), spelled here so that this file depends on the raw model only.
enum Code : int {
  kAdd = 0,
  kAvgPool = 1,
  kConv = 3,
  kDepthwise = 4,
  kFullyConnected = 9,
  kMaxPool = 17,
  kReshape = 22,
  kResizeBilinear = 23,
  kSoftmax = 25,
  kPad = 34,
  kTranspose = 39,
  kMean = 40,
  kArgMax = 56,
  kSum = 74,
  kArgMin = 79,
  kReduceMax = 82,
  kReduceMin = 89,
  kQuantize = 114,
  kDequantize = 6,
  kMul = 18,
  kRelu = 19,
  kReluN1To1 = 20,
  kRelu6 = 21,
  kSub = 41,
  kPrelu = 54,
  kMaximum = 55,
  kMinimum = 57,
  kLeakyRelu = 98,
  kSquaredDifference = 99,
};

class Inferrer {
 public:
  explicit Inferrer(RawModel& m) : m_(m), sg_(m.subgraphs[0]) {}

  void Run() {
    for (const RawOperator& op : sg_.operators) {
      if (op.outputs.empty() || !Valid(op.outputs[0]) || op.opcode_index >= m_.operator_codes.size()) continue;
      const RawOperatorCode& c = m_.operator_codes[op.opcode_index];
      const std::optional<Shape> s = Infer(std::max(c.deprecated_builtin_code, c.builtin_code), op);
      if (s) sg_.tensors[static_cast<size_t>(op.outputs[0])].shape = *s;
    }
  }

 private:
  bool Valid(int32_t id) const { return id >= 0 && static_cast<size_t>(id) < sg_.tensors.size(); }
  const Shape* In(const RawOperator& op, size_t i) const {
    return i < op.inputs.size() && Valid(op.inputs[i]) ? &sg_.tensors[static_cast<size_t>(op.inputs[i])].shape
                                                       : nullptr;
  }
  // The int32 constant values of input i, or nullopt.
  std::optional<std::vector<int32_t>> Ints(const RawOperator& op, size_t i) const {
    if (i >= op.inputs.size() || !Valid(op.inputs[i])) return std::nullopt;
    const uint32_t b = sg_.tensors[static_cast<size_t>(op.inputs[i])].buffer;
    if (b >= m_.buffers.size()) return std::nullopt;
    const std::vector<uint8_t>& d = m_.buffers[b].data;
    std::vector<int32_t> v(d.size() / 4);
    for (size_t k = 0; k < v.size(); ++k) {
      v[k] =
          static_cast<int32_t>(static_cast<uint32_t>(d[4 * k]) | static_cast<uint32_t>(d[4 * k + 1]) << 8 |
                               static_cast<uint32_t>(d[4 * k + 2]) << 16 | static_cast<uint32_t>(d[4 * k + 3]) << 24);
    }
    return v;
  }

  static std::optional<int32_t> Window(int padding, int64_t in, int64_t filter, int64_t stride, int64_t dilation) {
    if (stride < 1 || dilation < 1 || filter < 1 || in < 0 || filter > kMax || dilation > kMax) return std::nullopt;
    const int64_t effective = (filter - 1) * dilation + 1;
    if (effective > kMax) return std::nullopt;
    int64_t out;
    if (padding == 0) {
      out = (in + stride - 1) / stride;
    } else if (padding == 1) {
      out = (in + stride - effective) / stride;
    } else {
      return std::nullopt;
    }
    if (out < 1 || out > kMax) return std::nullopt;
    return static_cast<int32_t>(out);
  }

  static int64_t Elements(const Shape& s) {
    int64_t n = 1;
    for (int32_t d : s) {
      if (d < 0) return -1;
      n = std::min<int64_t>(n * d, kMax + 1);  // saturates: both factors < 2^31
    }
    return n;
  }

  std::optional<Shape> Infer(int code, const RawOperator& op) const {
    const Shape* x = In(op, 0);
    if (x == nullptr) return std::nullopt;
    const RawOptions& o = op.options;
    switch (code) {
      case kConv:
      case kDepthwise: {
        const Shape* w = In(op, 1);
        if (w == nullptr || x->size() != 4 || w->size() != 4) return std::nullopt;
        const auto oh = Window(o.padding, (*x)[1], (*w)[1], o.stride_h, o.dilation_h);
        const auto ow = Window(o.padding, (*x)[2], (*w)[2], o.stride_w, o.dilation_w);
        if (!oh || !ow) return std::nullopt;
        return Shape{(*x)[0], *oh, *ow, code == kConv ? (*w)[0] : (*w)[3]};
      }
      case kAvgPool:
      case kMaxPool: {
        if (x->size() != 4) return std::nullopt;
        const auto oh = Window(o.padding, (*x)[1], o.filter_h, o.stride_h, 1);
        const auto ow = Window(o.padding, (*x)[2], o.filter_w, o.stride_w, 1);
        if (!oh || !ow) return std::nullopt;
        return Shape{(*x)[0], *oh, *ow, (*x)[3]};
      }
      case kFullyConnected: {
        const Shape* w = In(op, 1);
        if (w == nullptr || w->size() != 2 || (*w)[1] < 1) return std::nullopt;
        if (o.keep_num_dims) {
          if (x->empty()) return std::nullopt;
          Shape s = *x;
          s.back() = (*w)[0];
          return s;
        }
        const int64_t n = Elements(*x);
        if (n < 0 || n > kMax || n % (*w)[1] != 0) return std::nullopt;
        return Shape{static_cast<int32_t>(n / (*w)[1]), (*w)[0]};
      }
      case kAdd:
      case kMul:
      case kSub:
      case kPrelu:
      case kMaximum:
      case kMinimum:
      case kSquaredDifference: {
        const Shape* y = In(op, 1);
        if (y == nullptr) return std::nullopt;
        const size_t rank = std::max(x->size(), y->size());
        Shape s(rank);
        for (size_t i = 0; i < rank; ++i) {
          const size_t ix = i + x->size(), iy = i + y->size();
          const int32_t a = ix >= rank ? (*x)[ix - rank] : 1, b = iy >= rank ? (*y)[iy - rank] : 1;
          if (a != b && a != 1 && b != 1) return std::nullopt;
          s[i] = a == 1 ? b : a;
        }
        return s;
      }
      case kSoftmax:
      case kQuantize:
      case kDequantize:
      case kRelu:
      case kReluN1To1:
      case kRelu6:
      case kLeakyRelu:
        return *x;
      case kReshape: {
        const Shape& out = sg_.tensors[static_cast<size_t>(op.outputs[0])].shape;
        const int64_t n = Elements(*x);
        if (n < 0 || n > kMax) return std::nullopt;
        if (Elements(out) == n) return out;
        // Keep the output's leading dims when they divide the element count, else flatten.
        if (out.size() >= 2) {
          const Shape lead(out.begin(), out.end() - 1);
          const int64_t m = Elements(lead);
          if (m > 0 && n % m == 0) {
            Shape s = lead;
            s.push_back(static_cast<int32_t>(n / m));
            return s;
          }
        }
        return Shape{static_cast<int32_t>(n)};
      }
      case kPad: {
        const auto pads = Ints(op, 1);
        if (!pads || pads->size() != 2 * x->size()) return std::nullopt;
        Shape s = *x;
        for (size_t i = 0; i < s.size(); ++i) {
          const int64_t d = int64_t{s[i]} + (*pads)[2 * i] + (*pads)[2 * i + 1];
          if (d < 0 || d > kMax) return std::nullopt;
          s[i] = static_cast<int32_t>(d);
        }
        return s;
      }
      case kTranspose: {
        const auto perm = Ints(op, 1);
        if (!perm || perm->size() != x->size()) return std::nullopt;
        Shape s(x->size());
        const int32_t rank = static_cast<int32_t>(x->size());
        for (size_t i = 0; i < s.size(); ++i) {
          int32_t p = (*perm)[i];
          if (p < 0 && p >= -rank) p += rank;
          if (p < 0 || p >= rank) return std::nullopt;
          s[i] = (*x)[static_cast<size_t>(p)];
        }
        return s;
      }
      case kArgMax:
      case kArgMin: {
        const auto axis = Ints(op, 1);  // an int64 axis reads as two int32 words: the low one first
        if (!axis || axis->empty()) return std::nullopt;
        const int32_t rank = static_cast<int32_t>(x->size());
        const int32_t a = (*axis)[0];
        if (a < -rank || a >= rank) return std::nullopt;
        Shape s = *x;
        s.erase(s.begin() + (a < 0 ? a + rank : a));
        return s;
      }
      case kResizeBilinear: {
        const auto size = Ints(op, 1);
        if (!size || size->size() != 2 || x->size() != 4) return std::nullopt;
        return Shape{(*x)[0], (*size)[0], (*size)[1], (*x)[3]};
      }
      case kMean:
      case kSum:
      case kReduceMax:
      case kReduceMin: {
        const auto axes = Ints(op, 1);
        if (!axes) return std::nullopt;
        const int32_t rank = static_cast<int32_t>(x->size());
        std::vector<bool> reduced(x->size(), false);
        for (int32_t a : *axes) {
          if (a < -rank || a >= rank) return std::nullopt;
          reduced[static_cast<size_t>(a < 0 ? a + rank : a)] = true;
        }
        Shape s;
        for (size_t i = 0; i < x->size(); ++i) {
          if (!reduced[i]) {
            s.push_back((*x)[i]);
          } else if (o.keep_dims) {
            s.push_back(1);
          }
        }
        return s;
      }
      default:
        return std::nullopt;
    }
  }

  RawModel& m_;
  RawSubGraph& sg_;
};

}  // namespace

void InferOutputShapes(RawModel& m) {
  if (m.subgraphs.empty()) return;
  Inferrer(m).Run();
}

}  // namespace tinyfuse::fuzz
