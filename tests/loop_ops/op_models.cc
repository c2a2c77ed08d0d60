#include "op_models.h"

#include <algorithm>

#include "test_models.h"

namespace tinyfuse::loopops {

namespace {

using testmodels::PerTensor;

int OutSize(Padding p, int in, int k, int stride) {
  return p == Padding::kSame ? (in + stride - 1) / stride : (in - k + stride) / stride;
}

// Appends QUANTIZE(output) when `then` asks for it and makes the last tensor the graph output.
void Finish(Graph& g, int out, const Requant& then) {
  if (then.enabled) {
    const int q = g.AddActivation(then.dtype, g.tensor(out).shape, PerTensor(then.scale, then.zero_point), "requant");
    Op op;
    op.kind = OpKind::kQuantize;
    op.inputs = {out};
    op.outputs = {q};
    g.AddOp(op);
    out = q;
  }
  g.outputs = {out};
}

int Int32Constant(Graph& g, std::vector<int32_t> shape, const std::vector<int32_t>& v, const std::string& name) {
  return g.AddConstant(DType::kInt32, std::move(shape), Quantization{}, BytesOf(v), name);
}

// The broadcast of two shapes (right-aligned).
std::vector<int32_t> BroadcastShape(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
  const std::vector<int32_t>& longer = a.size() >= b.size() ? a : b;
  const std::vector<int32_t>& shorter = a.size() >= b.size() ? b : a;
  std::vector<int32_t> shape = longer;
  for (size_t k = 0; k < shorter.size(); ++k) {
    int32_t& d = shape[shape.size() - 1 - k];
    d = std::max(d, shorter[shorter.size() - 1 - k]);
  }
  return shape;
}

}  // namespace

std::string PoolCase::Name() const {
  std::string s = std::string(average ? "avg_" : "max_") + DTypeName(dtype);
  s += "_b" + std::to_string(batches) + "_" + std::to_string(height) + "x" + std::to_string(width) + "x" +
       std::to_string(channels) + "_k" + std::to_string(filter_h) + "x" + std::to_string(filter_w) + "_s" +
       std::to_string(stride_h) + "x" + std::to_string(stride_w) + (padding == Padding::kSame ? "_same" : "_valid") +
       "_" + ActivationName(activation);
  if (then.enabled) s += std::string("_q") + DTypeName(then.dtype);
  return s;
}

Graph PoolModel(const PoolCase& c) {
  Graph g;
  const Quantization q = PerTensor(c.scale, c.zero_point);
  const int in = g.AddActivation(c.dtype, {c.batches, c.height, c.width, c.channels}, q, "input");
  const int oh = OutSize(c.padding, c.height, c.filter_h, c.stride_h);
  const int ow = OutSize(c.padding, c.width, c.filter_w, c.stride_w);
  const int out = g.AddActivation(c.dtype, {c.batches, oh, ow, c.channels}, q, "pooled");
  Op op;
  op.kind = c.average ? OpKind::kAveragePool2D : OpKind::kMaxPool2D;
  op.inputs = {in};
  op.outputs = {out};
  Pool2DAttrs a;
  a.padding = c.padding;
  a.stride_h = c.stride_h;
  a.stride_w = c.stride_w;
  a.filter_h = c.filter_h;
  a.filter_w = c.filter_w;
  a.activation = c.activation;
  op.attrs = a;
  g.AddOp(op);
  g.inputs = {in};
  Finish(g, out, c.then);
  return g;
}

Graph AddModel(const AddCase& c) {
  Graph g;
  const int in1 = g.AddActivation(c.dtype, c.shape1, PerTensor(c.scale1, c.zp1), "input1");
  const int in2 = g.AddActivation(c.dtype, c.shape2, PerTensor(c.scale2, c.zp2), "input2");
  const int out = g.AddActivation(c.dtype, BroadcastShape(c.shape1, c.shape2), PerTensor(c.scale_out, c.zp_out), "sum");
  Op op;
  op.kind = OpKind::kAdd;
  op.inputs = {in1, in2};
  op.outputs = {out};
  op.attrs = AddAttrs{c.activation};
  g.AddOp(op);
  g.inputs = {in1, in2};
  Finish(g, out, c.then);
  return g;
}

Graph UnaryModel(const UnaryCase& c) {
  Graph g;
  const int in = g.AddActivation(c.dtype, c.shape, PerTensor(c.in_scale, c.in_zp), "x");
  g.inputs = {in};
  g.outputs = {in};
  AppendUnary(g, c);
  Finish(g, g.outputs[0], c.then);
  return g;
}

void AppendUnary(Graph& g, const UnaryCase& c) {
  const int in = g.outputs.at(0);
  const Tensor& t = g.tensor(in);
  const int out = g.AddActivation(t.dtype, t.shape, PerTensor(c.out_scale, c.out_zp), OpName(c.op));
  Op op;
  op.kind = c.op;
  op.inputs = {in};
  op.outputs = {out};
  if (c.op == OpKind::kLeakyRelu) op.attrs = LeakyReluAttrs{c.alpha};
  g.AddOp(op);
  g.outputs = {out};
}

Graph BinaryModel(const BinaryCase& c) {
  Graph g;
  const int in1 = g.AddActivation(c.dtype, c.shape1, PerTensor(c.scale1, c.zp1), "input1");
  int in2;
  if (c.const_input2) {
    testmodels::Rng rng(static_cast<uint64_t>(c.shape2.size()) * 7 + static_cast<uint64_t>(c.op));
    int64_t n = 1;
    for (int32_t d : c.shape2) n *= d;
    std::vector<uint8_t> bytes(static_cast<size_t>(n));
    for (auto& b : bytes) b = static_cast<uint8_t>(rng.Int(0, 255));
    in2 = g.AddConstant(c.dtype, c.shape2, PerTensor(c.scale2, c.zp2), bytes, "constant2");
  } else {
    in2 = g.AddActivation(c.dtype, c.shape2, PerTensor(c.scale2, c.zp2), "input2");
  }
  const int out =
      g.AddActivation(c.dtype, BroadcastShape(c.shape1, c.shape2), PerTensor(c.scale_out, c.zp_out), OpName(c.op));
  Op op;
  op.kind = c.op;
  op.inputs = {in1, in2};
  op.outputs = {out};
  if (c.op == OpKind::kMul || c.op == OpKind::kSub) op.attrs = AddAttrs{c.activation};
  g.AddOp(op);
  g.inputs = {in1};
  if (!c.const_input2) g.inputs.push_back(in2);
  Finish(g, out, c.then);
  return g;
}

Graph SoftmaxModel(const SoftmaxCase& c) {
  Graph g;
  const int in = g.AddActivation(c.dtype, c.shape, PerTensor(c.input_scale, c.input_zp), "logits");
  const int out =
      g.AddActivation(c.dtype, c.shape, PerTensor(1.0f / 256, c.dtype == DType::kInt8 ? -128 : 0), "probabilities");
  Op op;
  op.kind = OpKind::kSoftmax;
  op.inputs = {in};
  op.outputs = {out};
  op.attrs = SoftmaxAttrs{c.beta};
  g.AddOp(op);
  g.inputs = {in};
  Finish(g, out, c.then);
  return g;
}

Graph MeanModel(const MeanCase& c) {
  Graph g;
  const int in = g.AddActivation(c.dtype, c.shape, PerTensor(c.in_scale, c.in_zp), "input");
  const int axes = Int32Constant(g, {static_cast<int32_t>(c.axes.size())}, c.axes, "axes");
  const int rank = static_cast<int>(c.shape.size());
  std::vector<bool> reduced(c.shape.size(), false);
  for (int32_t a : c.axes) reduced[static_cast<size_t>(a < 0 ? a + rank : a)] = true;
  std::vector<int32_t> shape;
  for (size_t i = 0; i < c.shape.size(); ++i) {
    if (!reduced[i]) {
      shape.push_back(c.shape[i]);
    } else if (c.keep_dims) {
      shape.push_back(1);
    }
  }
  const bool requantizes = c.kind == OpKind::kMean || c.kind == OpKind::kSum;
  const int out = g.AddActivation(c.dtype, shape,
                                  requantizes ? PerTensor(c.out_scale, c.out_zp) : PerTensor(c.in_scale, c.in_zp),
                                  "reduced");
  Op op;
  op.kind = c.kind;
  op.inputs = {in, axes};
  op.outputs = {out};
  op.attrs = MeanAttrs{c.keep_dims};
  g.AddOp(op);
  g.inputs = {in};
  Finish(g, out, c.then);
  return g;
}

Graph ResizeBilinearModel(const ResizeCase& c) {
  Graph g;
  const Quantization q = PerTensor(0.05f, c.dtype == DType::kInt8 ? -1 : 127);
  const int in = g.AddActivation(c.dtype, c.shape, q, "input");
  const int size = Int32Constant(g, {2}, {c.out_h, c.out_w}, "size");
  const int out = g.AddActivation(c.dtype, {c.shape[0], c.out_h, c.out_w, c.shape[3]}, q, "resized");
  Op op;
  op.kind = OpKind::kResizeBilinear;
  op.version = c.half_pixel_centers ? 3 : 2;
  op.inputs = {in, size};
  op.outputs = {out};
  op.attrs = ResizeBilinearAttrs{c.align_corners, c.half_pixel_centers};
  g.AddOp(op);
  g.inputs = {in};
  Finish(g, out, c.then);
  return g;
}

Graph TransposeModel(DType dtype, const std::vector<int32_t>& shape, const std::vector<int32_t>& perm,
                     const Requant& then) {
  Graph g;
  const Quantization q = PerTensor(0.5f, dtype == DType::kInt8 ? -3 : 130);
  const int in = g.AddActivation(dtype, shape, q, "input");
  const int pm = Int32Constant(g, {static_cast<int32_t>(perm.size())}, perm, "perm");
  std::vector<int32_t> out_shape;
  for (int32_t p : perm) out_shape.push_back(shape[static_cast<size_t>(p)]);
  const int out = g.AddActivation(dtype, out_shape, q, "transposed");
  Op op;
  op.kind = OpKind::kTranspose;
  op.inputs = {in, pm};
  op.outputs = {out};
  g.AddOp(op);
  g.inputs = {in};
  Finish(g, out, then);
  return g;
}

Graph PadModel(DType dtype, const std::vector<int32_t>& shape, const std::vector<std::pair<int, int>>& paddings,
               int32_t zero_point, const Requant& then) {
  Graph g;
  const Quantization q = PerTensor(0.25f, zero_point);
  const int in = g.AddActivation(dtype, shape, q, "input");
  std::vector<int32_t> flat, out_shape;
  for (size_t i = 0; i < shape.size(); ++i) {
    flat.push_back(paddings[i].first);
    flat.push_back(paddings[i].second);
    out_shape.push_back(shape[i] + paddings[i].first + paddings[i].second);
  }
  const int pads = Int32Constant(g, {static_cast<int32_t>(shape.size()), 2}, flat, "paddings");
  const int out = g.AddActivation(dtype, out_shape, q, "padded");
  Op op;
  op.kind = OpKind::kPad;
  op.inputs = {in, pads};
  op.outputs = {out};
  g.AddOp(op);
  g.inputs = {in};
  Finish(g, out, then);
  return g;
}

Graph QuantizeModel(const QuantizeCase& c) {
  Graph g;
  const int in = g.AddActivation(c.in_dtype, c.shape, PerTensor(c.in_scale, c.in_zp), "input");
  g.inputs = {in};
  Finish(g, in, Requant{true, c.out_dtype, c.out_scale, c.out_zp});
  return g;
}

std::vector<std::vector<std::vector<uint8_t>>> EdgeInputs(const Graph& g, int random_sets, uint64_t seed) {
  std::vector<std::vector<std::vector<uint8_t>>> sets;
  for (int s = 0; s < random_sets; ++s) sets.push_back(testmodels::RandomInputs(g, seed + static_cast<uint64_t>(s)));
  for (int pattern = 0; pattern < 3; ++pattern) {
    std::vector<std::vector<uint8_t>> set;
    for (size_t k = 0; k < g.inputs.size(); ++k) {
      const Tensor& t = g.tensor(g.inputs[k]);
      const uint8_t lo = t.dtype == DType::kInt8 ? 0x80 : 0x00;
      const uint8_t hi = t.dtype == DType::kInt8 ? 0x7F : 0xFF;
      std::vector<uint8_t> v(static_cast<size_t>(t.byte_size()));
      for (size_t i = 0; i < v.size(); ++i) v[i] = pattern == 0 ? lo : pattern == 1 ? hi : ((i + k) % 2 ? hi : lo);
      set.push_back(std::move(v));
    }
    sets.push_back(std::move(set));
  }
  return sets;
}

}  // namespace tinyfuse::loopops
