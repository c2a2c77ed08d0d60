#include "graph/verifier.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/text.h"
#include "graph/prepare/move_ops.h"

namespace tinyfuse {

namespace {

constexpr int kMaxRank = 8;
constexpr int64_t kMaxBytes = std::numeric_limits<int32_t>::max();

std::string TensorWhere(const Graph& g, int id) {
  return "tensor " + std::to_string(id) + " " + QuoteName(g.tensor(id).name);
}

std::string ShapeText(const std::vector<int32_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

bool ScaleOk(float s) { return std::isfinite(s) && s > 0.0f; }

void VerifyQuantization(const Tensor& t, const std::string& where) {
  const Quantization& q = t.quant;
  if (q.scale.empty() && q.zero_point.empty()) return;
  Check(q.scale.size() == q.zero_point.size(), where + ": " + std::to_string(q.scale.size()) + " scales but " +
                                                   std::to_string(q.zero_point.size()) + " zero points");
  for (float s : q.scale) {
    Check(ScaleOk(s), where + ": quantization scale " + std::to_string(s) + " is not positive and finite");
  }
  if (t.dtype == DType::kInt8 || t.dtype == DType::kUInt8) {
    const int64_t lo = t.dtype == DType::kInt8 ? -128 : 0;
    const int64_t hi = t.dtype == DType::kInt8 ? 127 : 255;
    for (int64_t zp : q.zero_point) {
      Check(zp >= lo && zp <= hi,
            where + ": zero point " + std::to_string(zp) + " is outside the " + DTypeName(t.dtype) + " range");
    }
  }
  if (q.per_channel()) {
    Check(q.axis >= 0 && q.axis < t.rank(), where + ": quantization axis " + std::to_string(q.axis) +
                                                " is out of range for rank " + std::to_string(t.rank()));
    Check(static_cast<int64_t>(q.scale.size()) == t.dim(q.axis),
          where + ": " + std::to_string(q.scale.size()) + " per-channel scales for dimension " +
              std::to_string(q.axis) + " of size " + std::to_string(t.dim(q.axis)));
  }
}

void VerifyTensor(const Graph& g, int id) {
  const Tensor& t = g.tensor(id);
  const std::string where = TensorWhere(g, id);
  Check(t.rank() <= kMaxRank, where + ": rank " + std::to_string(t.rank()) + " exceeds " + std::to_string(kMaxRank));
  int64_t bytes = DTypeSize(t.dtype);
  for (int32_t d : t.shape) {
    Check(d >= 0, where + ": negative dimension " + std::to_string(d));
    bytes *= d;  // both factors < 2^31: no overflow
    Check(bytes <= kMaxBytes, where + ": more than 2^31 - 1 bytes");
  }
  if (t.is_const) {
    Check(static_cast<int64_t>(t.data.size()) == bytes, where + ": constant holds " + std::to_string(t.data.size()) +
                                                            " bytes, its shape needs " + std::to_string(bytes));
  } else {
    Check(t.data.empty(), where + ": a non-constant tensor carries data");
  }
  VerifyQuantization(t, where);
}

void VerifyIds(const Graph& g) {
  const int n = static_cast<int>(g.tensors.size());
  auto in_range = [n](int id) { return id >= 0 && id < n; };
  for (size_t i = 0; i < g.inputs.size(); ++i) {
    Check(in_range(g.inputs[i]),
          "graph input " + std::to_string(i) + " refers to tensor " + std::to_string(g.inputs[i]) + ", out of range");
  }
  for (size_t i = 0; i < g.outputs.size(); ++i) {
    Check(in_range(g.outputs[i]),
          "graph output " + std::to_string(i) + " refers to tensor " + std::to_string(g.outputs[i]) + ", out of range");
  }
  for (size_t k = 0; k < g.ops.size(); ++k) {
    const Op& op = g.ops[k];
    Check(static_cast<int>(op.kind) < kNumOpKinds, "op " + std::to_string(k) + ": invalid operator kind");
    const std::string where = "op " + std::to_string(k) + " (" + OpName(op.kind) + ")";
    Check(op.version >= 1 && op.version <= OpMaxVersion(op.kind), where + ": version " + std::to_string(op.version) +
                                                                      " is outside the supported 1.." +
                                                                      std::to_string(OpMaxVersion(op.kind)));
    for (size_t i = 0; i < op.inputs.size(); ++i) {
      Check(op.inputs[i] == -1 || in_range(op.inputs[i]), where + ": input " + std::to_string(i) +
                                                              " refers to tensor " + std::to_string(op.inputs[i]) +
                                                              ", out of range");
    }
    for (size_t i = 0; i < op.outputs.size(); ++i) {
      Check(in_range(op.outputs[i]), where + ": output " + std::to_string(i) + " refers to tensor " +
                                         std::to_string(op.outputs[i]) + ", out of range");
    }
  }
}

void VerifyActivation(const Graph& g, int id, const std::string& role) {
  const Tensor& t = g.tensor(id);
  const std::string where = role + " " + TensorWhere(g, id);
  if (t.dtype == DType::kFloat32) {  // a model edge (VerifyFloatEdges checks where it may appear)
    Check(t.num_elements() > 0, where + ": shape " + ShapeText(t.shape) + " has zero elements");
    return;
  }
  Check(t.dtype == DType::kInt8 || t.dtype == DType::kUInt8,
        where + ": " + DTypeName(t.dtype) + " activations are unsupported (int8/uint8 only)");
  Check(t.quant.scale.size() == 1 && t.quant.zero_point.size() == 1,
        where + ": an activation needs per-tensor quantization (one scale, one zero point), it has " +
            std::to_string(t.quant.scale.size()) + " scales");
  // Legal in TFLite, but there is nothing to compute and the C would need zero-length arrays.
  Check(t.num_elements() > 0, where + ": shape " + ShapeText(t.shape) +
                                  " has zero elements (empty activations are unsupported)");
}

// float32 lives only at the model's edges: the input of a QUANTIZE and the output of a DEQUANTIZE. Any
// other op touching a float32 tensor (float weights, float compute) is refused, naming the op.
void VerifyFloatEdges(const Graph& g, size_t k, const std::string& where) {
  const Op& op = g.ops[k];
  const auto check = [&](const std::vector<int>& ids, const char* role, bool allowed_first) {
    for (size_t i = 0; i < ids.size(); ++i) {
      if (ids[i] < 0 || g.tensor(ids[i]).dtype != DType::kFloat32 || (i == 0 && allowed_first)) continue;
      throw Error(where + ": " + role + " " + std::to_string(i) + " (" + TensorWhere(g, ids[i]) + ") is float32; " +
                  (g.tensor(ids[i]).is_const ? "float weights are" : "float compute is") +
                  " unsupported (float32 only enters through QUANTIZE and leaves through DEQUANTIZE)");
    }
  };
  check(op.inputs, "input", op.kind == OpKind::kQuantize);
  check(op.outputs, "output", op.kind == OpKind::kDequantize);
}

// ARG_MAX/ARG_MIN write indices: an int32 or int64 tensor without quantization.
bool WritesIndices(const Op& op) { return op.kind == OpKind::kArgMax || op.kind == OpKind::kArgMin; }

void VerifyIndexTensor(const Graph& g, int id, const std::string& role) {
  const Tensor& t = g.tensor(id);
  const std::string where = role + " " + TensorWhere(g, id);
  Check(t.dtype == DType::kInt32 || t.dtype == DType::kInt64,
        where + ": an index output is " + DTypeName(t.dtype) + " (int32 or int64 expected)");
  Check(t.num_elements() > 0, where + ": shape " + ShapeText(t.shape) + " has zero elements");
}

// Execution order, single assignment and the dtype of every activation.
void VerifyDataflow(const Graph& g) {
  // A model computes its outputs from its inputs: without either there is no entry point to call
  // (`tinyfuse run` feeds inputs and writes outputs; the C's invoke takes both).
  Check(!g.inputs.empty(), "the graph has no inputs (a model without inputs is unsupported)");
  Check(!g.outputs.empty(), "the graph has no outputs (nothing to compute)");
  enum class State : uint8_t { kUnwritten, kGraphInput, kWritten };
  std::vector<State> state(g.tensors.size(), State::kUnwritten);
  for (size_t i = 0; i < g.inputs.size(); ++i) {
    const int id = g.inputs[i];
    const std::string role = "graph input " + std::to_string(i);
    Check(!g.tensor(id).is_const, role + " " + TensorWhere(g, id) + " is a constant");
    Check(state[static_cast<size_t>(id)] == State::kUnwritten, role + " " + TensorWhere(g, id) + " is listed twice");
    VerifyActivation(g, id, role);
    state[static_cast<size_t>(id)] = State::kGraphInput;
  }
  // Values known at compile time (SHAPE of a static shape, ops on constants only) are folded into
  // constants before compilation (interp/fold_constants.h); they need not be 8-bit activations.
  std::vector<bool> folded(g.tensors.size(), false);
  for (size_t k = 0; k < g.ops.size(); ++k) {
    const Op& op = g.ops[k];
    const std::string where = "op " + std::to_string(k) + " (" + OpName(op.kind) + ")";
    VerifyFloatEdges(g, k, where);
    bool foldable = op.kind == OpKind::kShape;
    bool all_const = true;
    for (size_t i = 0; i < op.inputs.size(); ++i) {
      const int id = op.inputs[i];
      if (id < 0 || g.tensor(id).is_const) continue;
      Check(state[static_cast<size_t>(id)] != State::kUnwritten,
            where + ": input " + std::to_string(i) + " (" + TensorWhere(g, id) +
                ") is read before any op writes it and is not a graph input");
      all_const = all_const && folded[static_cast<size_t>(id)];
      if (!folded[static_cast<size_t>(id)]) VerifyActivation(g, id, where + ": input " + std::to_string(i));
    }
    foldable = foldable || (all_const && !op.inputs.empty());
    for (int id : op.outputs) {  // FoldConstants keeps ops that write a graph output
      foldable = foldable && std::find(g.outputs.begin(), g.outputs.end(), id) == g.outputs.end();
    }
    for (size_t i = 0; i < op.outputs.size(); ++i) {
      const int id = op.outputs[i];
      const std::string role = where + ": output " + std::to_string(i);
      Check(!g.tensor(id).is_const, role + " (" + TensorWhere(g, id) + ") is a constant");
      Check(state[static_cast<size_t>(id)] != State::kGraphInput,
            role + " (" + TensorWhere(g, id) + ") is a graph input");
      Check(state[static_cast<size_t>(id)] != State::kWritten,
            role + " (" + TensorWhere(g, id) + ") is already written by another op or an earlier output");
      folded[static_cast<size_t>(id)] = foldable;
      if (WritesIndices(op)) {
        VerifyIndexTensor(g, id, role);
      } else if (!foldable) {
        VerifyActivation(g, id, role);
      }
      state[static_cast<size_t>(id)] = State::kWritten;
    }
  }
  for (size_t i = 0; i < g.outputs.size(); ++i) {
    const int id = g.outputs[i];
    Check(!g.tensor(id).is_const, "graph output " + std::to_string(i) + " " + TensorWhere(g, id) +
                                      " is a constant (constant outputs are unsupported)");
    Check(state[static_cast<size_t>(id)] != State::kUnwritten,
          "graph output " + std::to_string(i) + " " + TensorWhere(g, id) + " is never written");
  }
}

// ------------------------------------------------------------------------------------------ per-op checks

// The checks of one op; every failure names the op index and name.
class OpCheck {
 public:
  OpCheck(const Graph& g, int index)
      : g_(g),
        op_(g.ops[static_cast<size_t>(index)]),
        where_("op " + std::to_string(index) + " (" + OpName(op_.kind) + ")") {}

  const Op& op() const { return op_; }

  void Require(bool cond, const std::string& message) const { Check(cond, where_ + ": " + message); }

  // min_inputs..max_inputs input slots (slots past min_inputs may hold -1), exactly `outputs` outputs.
  void Counts(size_t min_inputs, size_t max_inputs, size_t outputs) const {
    const size_t n = op_.inputs.size();
    Require(n >= min_inputs && n <= max_inputs,
            std::to_string(n) + " inputs, expected " +
                (min_inputs == max_inputs ? std::to_string(min_inputs)
                                          : std::to_string(min_inputs) + " to " + std::to_string(max_inputs)));
    Require(op_.outputs.size() == outputs,
            std::to_string(op_.outputs.size()) + " outputs, expected " + std::to_string(outputs));
    for (size_t i = 0; i < min_inputs; ++i) {
      Require(op_.inputs[i] >= 0, "required input " + std::to_string(i) + " is omitted (-1)");
    }
  }

  bool Has(size_t i) const { return i < op_.inputs.size() && op_.inputs[i] >= 0; }
  const Tensor& In(size_t i) const { return g_.tensor(op_.inputs[i]); }
  const Tensor& Out() const { return g_.tensor(op_.outputs[0]); }

  std::string Name(size_t input, const char* role) const {
    return std::string(role) + " (tensor " + std::to_string(op_.inputs[input]) + " " + QuoteName(In(input).name) + ")";
  }

  // A constant input of the given dtype.
  const Tensor& Const(size_t i, const char* role, DType dtype) const {
    const Tensor& t = In(i);
    Require(t.is_const, Name(i, role) + " must be constant");
    Require(t.dtype == dtype, Name(i, role) + " is " + DTypeName(t.dtype) + ", expected " + DTypeName(dtype));
    return t;
  }

  template <typename A>
  const A& Attrs() const {
    const A* a = std::get_if<A>(&op_.attrs);
    Require(a != nullptr, "attributes are missing or of another op kind");
    return *a;
  }

  void SameDType(const Tensor& a, const Tensor& b, const char* what) const {
    Require(a.dtype == b.dtype, std::string(what) + ": " + DTypeName(a.dtype) + " vs " + DTypeName(b.dtype));
  }

  void Shape(const Tensor& t, const std::vector<int32_t>& expected, const char* role) const {
    Require(t.shape == expected,
            std::string(role) + " shape " + ShapeText(t.shape) + " differs from the expected " + ShapeText(expected));
  }

 private:
  const Graph& g_;
  const Op& op_;
  std::string where_;
};

// Checks the output size along one spatial axis as TFLite computes it (ComputeOutSize), with every
// intermediate of the window arithmetic kept inside int32.
int32_t WindowOut(const OpCheck& c, const char* axis, Padding padding, int64_t in, int64_t filter, int64_t stride,
                  int64_t dilation) {
  c.Require(stride >= 1 && dilation >= 1 && filter >= 1,
            std::string(axis) + ": stride, dilation and filter size must be at least 1");
  const int64_t effective = (filter - 1) * dilation + 1;  // < 2^62
  c.Require(in + stride + effective <= std::numeric_limits<int32_t>::max(),
            std::string(axis) + ": window arithmetic overflows int32");
  const int64_t out = padding == Padding::kSame ? (in + stride - 1) / stride : (in + stride - effective) / stride;
  c.Require(out >= 1, std::string(axis) + ": the window (" + std::to_string(effective) +
                          ") is larger than the input (" + std::to_string(in) + ")");
  return static_cast<int32_t>(out);
}

// Dtypes and quantization of the weights of a conv-like op with `channels` outputs along `axis`.
void CheckWeights(const OpCheck& c, const Tensor& input, const Tensor& weights, const Tensor& output, int axis,
                  int32_t channels) {
  c.Require(weights.is_const, c.Name(1, "weights") + " must be constant");
  c.SameDType(input, output, "input and output dtypes differ");
  c.Require(weights.dtype == input.dtype,
            c.Name(1, "weights") + " are " + DTypeName(weights.dtype) + " but the input is " + DTypeName(input.dtype));
  const Quantization& q = weights.quant;
  c.Require(!q.empty(), c.Name(1, "weights") + " have no quantization");
  if (q.per_channel()) {
    c.Require(weights.dtype == DType::kInt8, c.Name(1, "weights") + ": per-channel quantization needs int8 weights");
    c.Require(q.axis == axis, c.Name(1, "weights") + " are quantized along axis " + std::to_string(q.axis) +
                                  ", expected " + std::to_string(axis));
    c.Require(static_cast<int64_t>(q.scale.size()) == channels,
              c.Name(1, "weights") + " have " + std::to_string(q.scale.size()) + " per-channel scales, expected " +
                  std::to_string(channels) + " (one per output channel)");
  }
  if (weights.dtype == DType::kInt8) {
    for (int64_t zp : q.zero_point) {
      c.Require(zp == 0, c.Name(1, "weights") + ": int8 weights need zero point 0, found " + std::to_string(zp));
    }
  }
}

void CheckBias(const OpCheck& c, int32_t channels) {
  if (!c.Has(2)) return;
  const Tensor& bias = c.Const(2, "bias", DType::kInt32);
  c.Shape(bias, {channels}, "bias");
}

void CheckConv2D(const OpCheck& c) {
  c.Counts(2, 3, 1);
  const auto& a = c.Attrs<Conv2DAttrs>();
  const Tensor& in = c.In(0);
  const Tensor& w = c.In(1);
  const Tensor& out = c.Out();
  c.Require(in.rank() == 4 && w.rank() == 4 && out.rank() == 4, "input, weights and output must have rank 4");
  const int32_t channels = in.dim(3), o = w.dim(0), kh = w.dim(1), kw = w.dim(2), per_group = w.dim(3);
  c.Require(per_group >= 1 && channels % per_group == 0, "input channels " + std::to_string(channels) +
                                                             " are not a multiple of the weights' " +
                                                             std::to_string(per_group));
  const int32_t groups = channels / per_group;
  c.Require(groups >= 1 && o % groups == 0, "output channels " + std::to_string(o) + " are not a multiple of the " +
                                                std::to_string(groups) + " groups");
  CheckWeights(c, in, w, out, 0, o);
  CheckBias(c, o);
  const int32_t oh = WindowOut(c, "height", a.padding, in.dim(1), kh, a.stride_h, a.dilation_h);
  const int32_t ow = WindowOut(c, "width", a.padding, in.dim(2), kw, a.stride_w, a.dilation_w);
  c.Shape(out, {in.dim(0), oh, ow, o}, "output");
}

void CheckDepthwiseConv2D(const OpCheck& c) {
  c.Counts(2, 3, 1);
  const auto& a = c.Attrs<DepthwiseConv2DAttrs>();
  const Tensor& in = c.In(0);
  const Tensor& w = c.In(1);
  const Tensor& out = c.Out();
  c.Require(in.rank() == 4 && w.rank() == 4 && out.rank() == 4, "input, weights and output must have rank 4");
  c.Require(w.dim(0) == 1, c.Name(1, "weights") + " must have shape [1, KH, KW, channels]");
  const int32_t channels = in.dim(3), o = w.dim(3);
  c.Require(
      channels >= 1 && o % channels == 0,
      "weight channels " + std::to_string(o) + " are not a multiple of the input channels " + std::to_string(channels));
  c.Require(a.depth_multiplier == 0 || a.depth_multiplier == o / channels,
            "depth_multiplier " + std::to_string(a.depth_multiplier) + " disagrees with the shapes (" +
                std::to_string(o / channels) + ")");
  CheckWeights(c, in, w, out, 3, o);
  CheckBias(c, o);
  const int32_t oh = WindowOut(c, "height", a.padding, in.dim(1), w.dim(1), a.stride_h, a.dilation_h);
  const int32_t ow = WindowOut(c, "width", a.padding, in.dim(2), w.dim(2), a.stride_w, a.dilation_w);
  c.Shape(out, {in.dim(0), oh, ow, o}, "output");
}

void CheckFullyConnected(const OpCheck& c) {
  c.Counts(2, 3, 1);
  const auto& a = c.Attrs<FullyConnectedAttrs>();
  const Tensor& in = c.In(0);
  const Tensor& w = c.In(1);
  const Tensor& out = c.Out();
  c.Require(w.rank() == 2, c.Name(1, "weights") + " must have rank 2 [outputs, depth]");
  const int32_t o = w.dim(0), depth = w.dim(1);
  c.Require(depth >= 1, c.Name(1, "weights") + " have depth 0");
  c.Require(in.num_elements() % depth == 0, "input elements " + std::to_string(in.num_elements()) +
                                                " are not a multiple of the weights' depth " + std::to_string(depth));
  CheckWeights(c, in, w, out, 0, o);
  CheckBias(c, o);
  if (a.keep_num_dims) {
    c.Require(in.rank() >= 1 && in.dim(in.rank() - 1) == depth,
              "keep_num_dims needs the input's last dimension to equal the weights' depth " + std::to_string(depth));
    std::vector<int32_t> expected = in.shape;
    expected.back() = o;
    c.Shape(out, expected, "output");
  } else {
    c.Shape(out, {static_cast<int32_t>(in.num_elements() / depth), o}, "output");
  }
}

void CheckPool2D(const OpCheck& c) {
  c.Counts(1, 1, 1);
  const auto& a = c.Attrs<Pool2DAttrs>();
  const Tensor& in = c.In(0);
  const Tensor& out = c.Out();
  c.Require(in.rank() == 4 && out.rank() == 4, "input and output must have rank 4");
  c.SameDType(in, out, "input and output dtypes differ");
  c.Require(
      static_cast<int64_t>(a.filter_h) * a.filter_w <= (int64_t{1} << 23),
      "pooling window of " + std::to_string(static_cast<int64_t>(a.filter_h) * a.filter_w) + " taps exceeds 2^23");
  const int32_t oh = WindowOut(c, "height", a.padding, in.dim(1), a.filter_h, a.stride_h, 1);
  const int32_t ow = WindowOut(c, "width", a.padding, in.dim(2), a.filter_w, a.stride_w, 1);
  c.Shape(out, {in.dim(0), oh, ow, in.dim(3)}, "output");
}

// ADD, MUL, SUB, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE, PRELU: NumPy broadcasting of two inputs.
void CheckBinary(const OpCheck& c) {
  c.Counts(2, 2, 1);
  if (c.op().kind == OpKind::kAdd || c.op().kind == OpKind::kMul || c.op().kind == OpKind::kSub) c.Attrs<AddAttrs>();
  const Tensor& a = c.In(0);
  const Tensor& b = c.In(1);
  const Tensor& out = c.Out();
  c.SameDType(a, out, "input 0 and output dtypes differ");
  c.SameDType(b, out, "input 1 and output dtypes differ");
  if (a.shape == b.shape) {
    c.Shape(out, a.shape, "output");
    return;
  }
  const int rank = std::max(a.rank(), b.rank());
  c.Require(rank <= 6,
            "broadcasting " + ShapeText(a.shape) + " with " + ShapeText(b.shape) + " is unsupported above rank 6");
  std::vector<int32_t> expected(static_cast<size_t>(rank));
  for (int i = 0; i < rank; ++i) {
    const int ia = i - (rank - a.rank()), ib = i - (rank - b.rank());
    const int32_t da = ia >= 0 ? a.dim(ia) : 1, db = ib >= 0 ? b.dim(ib) : 1;
    c.Require(da == db || da == 1 || db == 1,
              "shapes " + ShapeText(a.shape) + " and " + ShapeText(b.shape) + " do not broadcast");
    expected[static_cast<size_t>(i)] = da == 1 ? db : da;
  }
  c.Shape(out, expected, "output");
}

void CheckSoftmax(const OpCheck& c) {
  c.Counts(1, 1, 1);
  const auto& a = c.Attrs<SoftmaxAttrs>();
  const Tensor& in = c.In(0);
  const Tensor& out = c.Out();
  c.SameDType(in, out, "input and output dtypes differ");
  c.Require(in.rank() >= 1, "input must have rank 1 or more");
  c.Shape(out, in.shape, "output");
  c.Require(std::isfinite(a.beta) && a.beta > 0.0f, "beta " + std::to_string(a.beta) + " is not positive and finite");
  // TFLite and TFLite Micro both fix the output quantization of a quantized softmax.
  const int32_t zp = out.dtype == DType::kInt8 ? -128 : 0;
  const float scale = out.quant.scale[0];
  c.Require(out.quant.zp() == zp && std::fabs(scale - 1.0f / 256) <= 0.001f / 256,
            "output quantization must be scale 1/256, zero point " + std::to_string(zp) + " (found " +
                std::to_string(scale) + ", " + std::to_string(out.quant.zp()) + ")");
}

void CheckReshape(const OpCheck& c) {
  c.Counts(1, 2, 1);
  const Tensor& in = c.In(0);
  const Tensor& out = c.Out();
  c.SameDType(in, out, "input and output dtypes differ");
  if (c.Has(1)) {  // its values may be computed (SHAPE, PACK: folded later); the output shape is authoritative
    const Tensor& shape = c.In(1);
    c.Require(shape.dtype == DType::kInt32, c.Name(1, "shape") + " is " + DTypeName(shape.dtype) + ", expected int32");
    c.Require(shape.rank() <= 1, c.Name(1, "shape") + " must have rank 0 or 1");
  }
  c.Require(in.num_elements() == out.num_elements(),
            "input " + ShapeText(in.shape) + " and output " + ShapeText(out.shape) + " differ in element count");
}

void CheckPad(const OpCheck& c) {
  c.Counts(2, 3, 1);
  const Tensor& in = c.In(0);
  const Tensor& out = c.Out();
  c.SameDType(in, out, "input and output dtypes differ");
  c.Require(in.rank() <= 6, "rank " + std::to_string(in.rank()) + " is unsupported (up to 6)");
  const Tensor& pads = c.Const(1, "paddings", DType::kInt32);
  c.Shape(pads, {in.rank(), 2}, "paddings");
  std::vector<int32_t> expected = in.shape;
  for (int i = 0; i < in.rank(); ++i) {
    const int64_t before = pads.ConstInt(2 * i), after = pads.ConstInt(2 * i + 1);
    c.Require(before >= 0 && after >= 0, c.Name(1, "paddings") + " are negative on axis " + std::to_string(i));
    const int64_t size = before + in.dim(i) + after;
    c.Require(size <= std::numeric_limits<int32_t>::max(), "padded axis " + std::to_string(i) + " overflows");
    expected[static_cast<size_t>(i)] = static_cast<int32_t>(size);
  }
  c.Shape(out, expected, "output");
  if (c.Has(2)) {
    const Tensor& value = c.Const(2, "pad value", in.dtype);
    c.Require(value.num_elements() == 1, c.Name(2, "pad value") + " must have one element");
  }
}

void CheckTranspose(const OpCheck& c) {
  c.Counts(2, 2, 1);
  const Tensor& in = c.In(0);
  const Tensor& out = c.Out();
  c.SameDType(in, out, "input and output dtypes differ");
  c.Require(in.rank() <= 6, "rank " + std::to_string(in.rank()) + " is unsupported (up to 6)");
  const Tensor& perm = c.Const(1, "perm", DType::kInt32);
  c.Shape(perm, {in.rank()}, "perm");
  std::vector<bool> seen(static_cast<size_t>(in.rank()), false);
  std::vector<int32_t> expected(static_cast<size_t>(in.rank()));
  for (int i = 0; i < in.rank(); ++i) {
    int32_t p = perm.ConstInt(i);
    if (p < 0) p += in.rank();
    c.Require(p >= 0 && p < in.rank() && !seen[static_cast<size_t>(p)],
              c.Name(1, "perm") + " is not a permutation of 0.." + std::to_string(in.rank() - 1));
    seen[static_cast<size_t>(p)] = true;
    expected[static_cast<size_t>(i)] = in.dim(p);
  }
  c.Shape(out, expected, "output");
}

void CheckReduce(const OpCheck& c) {
  c.Counts(2, 2, 1);
  const auto& a = c.Attrs<MeanAttrs>();
  const Tensor& in = c.In(0);
  const Tensor& out = c.Out();
  c.SameDType(in, out, "input and output dtypes differ");
  const Tensor& axes = c.Const(1, "axes", DType::kInt32);
  c.Require(axes.rank() <= 1, c.Name(1, "axes") + " must have rank 0 or 1");
  std::vector<bool> reduced(static_cast<size_t>(in.rank()), false);
  for (int64_t i = 0; i < axes.num_elements(); ++i) {
    int32_t axis = axes.ConstInt(i);
    c.Require(axis >= -in.rank() && axis < in.rank(), c.Name(1, "axes") + ": axis " + std::to_string(axis) +
                                                          " is out of range for rank " + std::to_string(in.rank()));
    if (axis < 0) axis += in.rank();
    reduced[static_cast<size_t>(axis)] = true;
  }
  std::vector<int32_t> expected;
  for (int i = 0; i < in.rank(); ++i) {
    if (!reduced[static_cast<size_t>(i)]) {
      expected.push_back(in.dim(i));
    } else if (a.keep_dims) {
      expected.push_back(1);
    }
  }
  c.Shape(out, expected, "output");
}

// ARG_MAX, ARG_MIN: one axis (int32 or int64 constant with one element) in [-rank, rank); the output
// drops that axis and has the dtype the options name.
void CheckArgMinMax(const OpCheck& c) {
  c.Counts(2, 2, 1);
  const auto& a = c.Attrs<ArgMinMaxAttrs>();
  const Tensor& in = c.In(0);
  const Tensor& out = c.Out();
  const Tensor& axis = c.In(1);
  c.Require(axis.is_const, c.Name(1, "axis") + " must be constant");
  c.Require(axis.dtype == DType::kInt32 || axis.dtype == DType::kInt64,
            c.Name(1, "axis") + " is " + DTypeName(axis.dtype) + ", expected int32 or int64");
  c.Require(axis.num_elements() == 1, c.Name(1, "axis") + " must hold exactly one value");
  c.Require(in.rank() >= 1, "the input must have rank 1 or more");
  const int32_t ax = axis.ConstInt(0);
  c.Require(ax >= -in.rank() && ax < in.rank(),
            c.Name(1, "axis") + ": axis " + std::to_string(ax) + " is out of range for rank " + std::to_string(in.rank()));
  c.Require(a.output_type == DType::kInt32 || a.output_type == DType::kInt64,
            std::string("output_type ") + DTypeName(a.output_type) + " is invalid (int32 or int64)");
  c.Require(out.dtype == a.output_type, std::string("the output is ") + DTypeName(out.dtype) +
                                            " but output_type is " + DTypeName(a.output_type));
  std::vector<int32_t> expected = in.shape;
  expected.erase(expected.begin() + (ax < 0 ? ax + in.rank() : ax));
  c.Shape(out, expected, "output");
}

// RESIZE_BILINEAR: NHWC input, constant int32 size {height, width} (each >= 1), output {N, height,
// width, C}; align_corners and half_pixel_centers are exclusive (TFLite rejects both set).
void CheckResizeBilinear(const OpCheck& c) {
  c.Counts(2, 2, 1);
  const auto& a = c.Attrs<ResizeBilinearAttrs>();
  const Tensor& in = c.In(0);
  const Tensor& out = c.Out();
  c.SameDType(in, out, "input and output dtypes differ");
  c.Require(in.rank() == 4, "the input must have rank 4 (NHWC), it has rank " + std::to_string(in.rank()));
  const Tensor& size = c.Const(1, "size", DType::kInt32);
  c.Shape(size, {2}, "size");
  const int32_t h = size.ConstInt(0), w = size.ConstInt(1);
  c.Require(h >= 1 && w >= 1, c.Name(1, "size") + " must be positive, it is " + std::to_string(h) + "x" +
                                  std::to_string(w));
  c.Require(!(a.align_corners && a.half_pixel_centers), "align_corners and half_pixel_centers are both set");
  c.Shape(out, {in.dim(0), h, w, in.dim(3)}, "output");
}

// The unary activations: one input, one output of its dtype and shape.
void CheckUnary(const OpCheck& c) {
  c.Counts(1, 1, 1);
  c.SameDType(c.In(0), c.Out(), "input and output dtypes differ");
  c.Shape(c.Out(), c.In(0).shape, "output");
  if (c.op().kind == OpKind::kLeakyRelu) {
    const float alpha = c.Attrs<LeakyReluAttrs>().alpha;
    c.Require(std::isfinite(alpha), "alpha " + std::to_string(alpha) + " is not finite");
  }
}

// QUANTIZE and DEQUANTIZE: one input, one output of the same shape.
void CheckQuantize(const OpCheck& c) {
  c.Counts(1, 1, 1);
  c.Shape(c.Out(), c.In(0).shape, "output");
}

// The data-movement operators: their one shape-and-map function (graph/prepare/move_ops.h) checks the
// options and inputs; here only the outputs are compared with what it gives.
void CheckMove(const Graph& g, const OpCheck& c) {
  const MovePlan plan = PlanMove(g, c.op());
  c.Require(c.op().outputs.size() == plan.output_shapes.size(),
            std::to_string(c.op().outputs.size()) + " outputs, expected " + std::to_string(plan.output_shapes.size()));
  const Tensor& in = g.tensor(c.op().inputs[plan.parts[0][0].input]);
  for (size_t o = 0; o < plan.output_shapes.size(); ++o) {
    const Tensor& out = g.tensor(c.op().outputs[o]);
    c.Require(out.dtype == in.dtype, "output " + std::to_string(o) + " is " + DTypeName(out.dtype) + ", input " +
                                         DTypeName(in.dtype));
    c.Require(out.shape == plan.output_shapes[o], "output " + std::to_string(o) + " has shape " +
                                                      ShapeText(out.shape) + ", expected " +
                                                      ShapeText(plan.output_shapes[o]));
  }
}

void CheckShape(const OpCheck& c) {
  c.Counts(1, 1, 1);
  c.Require(c.Attrs<ShapeAttrs>().out_type == DType::kInt32, "out_type must be int32");
  c.Require(c.Out().dtype == DType::kInt32, "the output must be int32");
  c.Shape(c.Out(), {c.In(0).rank()}, "output");
}

void VerifyOp(const Graph& g, int index) {
  const OpCheck c(g, index);
  switch (c.op().kind) {
    case OpKind::kConv2D:
      return CheckConv2D(c);
    case OpKind::kDepthwiseConv2D:
      return CheckDepthwiseConv2D(c);
    case OpKind::kFullyConnected:
      return CheckFullyConnected(c);
    case OpKind::kAveragePool2D:
    case OpKind::kMaxPool2D:
      return CheckPool2D(c);
    case OpKind::kAdd:
    case OpKind::kMul:
    case OpKind::kSub:
    case OpKind::kMaximum:
    case OpKind::kMinimum:
    case OpKind::kSquaredDifference:
    case OpKind::kPrelu:
      return CheckBinary(c);
    case OpKind::kLogistic:
    case OpKind::kTanh:
    case OpKind::kRelu:
    case OpKind::kReluN1To1:
    case OpKind::kRelu6:
    case OpKind::kLeakyRelu:
      return CheckUnary(c);
    case OpKind::kSoftmax:
      return CheckSoftmax(c);
    case OpKind::kReshape:
      return CheckReshape(c);
    case OpKind::kPad:
      return CheckPad(c);
    case OpKind::kTranspose:
      return CheckTranspose(c);
    case OpKind::kMean:
    case OpKind::kSum:
    case OpKind::kReduceMax:
    case OpKind::kReduceMin:
      return CheckReduce(c);
    case OpKind::kQuantize:
    case OpKind::kDequantize:
      return CheckQuantize(c);
    case OpKind::kArgMax:
    case OpKind::kArgMin:
      return CheckArgMinMax(c);
    case OpKind::kResizeBilinear:
      return CheckResizeBilinear(c);
    case OpKind::kShape:
      return CheckShape(c);
    default:  // the data-movement family: one shape-and-map function each
      break;
  }
  c.Require(IsMoveOp(c.op().kind), "the verifier has no rule for this operator");
  CheckMove(g, c);
}

}  // namespace

void VerifyGraph(const Graph& g) {
  for (size_t i = 0; i < g.tensors.size(); ++i) VerifyTensor(g, static_cast<int>(i));
  VerifyIds(g);
  VerifyDataflow(g);
  for (size_t k = 0; k < g.ops.size(); ++k) VerifyOp(g, static_cast<int>(k));
}

}  // namespace tinyfuse
