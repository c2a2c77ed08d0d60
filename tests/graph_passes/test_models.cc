#include "test_models.h"

#include <cmath>

namespace tinyfuse::testmodels {

uint64_t Rng::Next() {
  state_ += 0x9E3779B97F4A7C15ULL;
  uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

int32_t Rng::Int(int32_t lo, int32_t hi) {
  // In 64 bits: over a range wider than INT32_MAX, lo + (offset as int32) would overflow.
  const uint64_t range = static_cast<uint64_t>(static_cast<int64_t>(hi) - lo + 1);
  return static_cast<int32_t>(lo + static_cast<int64_t>(Next() % range));
}

float Rng::Float(float lo, float hi) {
  return lo + (hi - lo) * static_cast<float>(Next() >> 40) / static_cast<float>(1 << 24);
}

std::string ConvCase::Name() const {
  std::string s = std::string(DTypeName(dtype)) + (per_channel ? "pc" : "pt");
  s += "_b" + std::to_string(batches) + "_" + std::to_string(height) + "x" + std::to_string(width) + "x" +
       std::to_string(in_channels) + "to" + std::to_string(out_channels);
  s += "_k" + std::to_string(kernel_h) + "x" + std::to_string(kernel_w);
  s += "_s" + std::to_string(stride_h) + "x" + std::to_string(stride_w);
  s += "_d" + std::to_string(dilation_h) + "x" + std::to_string(dilation_w);
  if (depth_multiplier != 1) s += "_m" + std::to_string(depth_multiplier);
  s += padding == Padding::kSame ? "_same" : "_valid";
  s += std::string("_") + ActivationName(activation);
  if (explicit_pad) {
    s += "_pad" + std::to_string(pad_top) + std::to_string(pad_bottom) + std::to_string(pad_left) +
         std::to_string(pad_right);
  }
  s += "_seed" + std::to_string(seed);
  return s;
}

namespace {

int OutSize(Padding p, int in, int k, int stride, int dilation) {
  const int eff = (k - 1) * dilation + 1;
  return p == Padding::kSame ? (in + stride - 1) / stride : (in - eff + stride) / stride;
}

std::vector<uint8_t> RandomBytes(Rng& rng, int64_t n) {
  std::vector<uint8_t> v(static_cast<size_t>(n));
  for (uint8_t& b : v) b = static_cast<uint8_t>(rng.Next());
  return v;
}

// Weights of an op: int8 per-channel along `axis` (or per-tensor), or uint8 per-tensor with weight_zp.
int AddWeights(Graph& g, const ConvCase& c, Rng& rng, std::vector<int32_t> shape, int axis, int channels) {
  int64_t n = 1;
  for (int32_t d : shape) n *= d;
  Quantization q;
  if (c.dtype == DType::kInt8 && c.per_channel) {
    std::vector<float> scales;
    for (int i = 0; i < channels; ++i) scales.push_back(c.weight_scale * rng.Float(0.25f, 2.0f));
    q = PerChannel(scales, axis);
  } else {
    q = PerTensor(c.weight_scale, c.dtype == DType::kUInt8 ? c.weight_zp : 0);
  }
  return g.AddConstant(c.dtype, std::move(shape), q, RandomBytes(rng, n), "weights");
}

int AddBias(Graph& g, const ConvCase& c, Rng& rng, int channels) {
  std::vector<int32_t> bias;
  for (int i = 0; i < channels; ++i) bias.push_back(rng.Int(-c.bias_range, c.bias_range));
  return g.AddConstant(DType::kInt32, {channels}, PerTensor(c.input_scale * c.weight_scale, 0), BytesOf(bias), "bias");
}

// The op's input: the graph input, or the output of a PAD of it when c.explicit_pad.
int AddInput(Graph& g, const ConvCase& c, int* h, int* w) {
  const Quantization qin = PerTensor(c.input_scale, c.input_zp);
  const int in = g.AddActivation(c.dtype, {c.batches, c.height, c.width, c.in_channels}, qin, "input");
  g.inputs.push_back(in);
  *h = c.height;
  *w = c.width;
  if (!c.explicit_pad) return in;
  *h = c.height + c.pad_top + c.pad_bottom;
  *w = c.width + c.pad_left + c.pad_right;
  const int paddings = g.AddConstant(DType::kInt32, {4, 2}, Quantization{},
                                     BytesOf(std::vector<int32_t>{0, 0, c.pad_top, c.pad_bottom, c.pad_left,
                                                                  c.pad_right, 0, 0}),
                                     "paddings");
  const int padded = g.AddActivation(c.dtype, {c.batches, *h, *w, c.in_channels}, qin, "padded");
  Op pad;
  pad.kind = OpKind::kPad;
  pad.inputs = {in, paddings};
  pad.outputs = {padded};
  g.AddOp(pad);
  return padded;
}

}  // namespace

Graph Conv2DModel(const ConvCase& c) {
  Graph g;
  Rng rng(c.seed);
  int h = 0, w = 0;
  const int in = AddInput(g, c, &h, &w);
  const int filter = AddWeights(g, c, rng, {c.out_channels, c.kernel_h, c.kernel_w, c.in_channels}, 0, c.out_channels);
  const int bias = c.has_bias ? AddBias(g, c, rng, c.out_channels) : -1;
  const int oh = OutSize(c.padding, h, c.kernel_h, c.stride_h, c.dilation_h);
  const int ow = OutSize(c.padding, w, c.kernel_w, c.stride_w, c.dilation_w);
  const int out = g.AddActivation(c.dtype, {c.batches, oh, ow, c.out_channels}, PerTensor(c.output_scale, c.output_zp),
                                  "output");
  Op op;
  op.kind = OpKind::kConv2D;
  op.inputs = {in, filter, bias};
  op.outputs = {out};
  op.attrs = Conv2DAttrs{c.padding, c.stride_h, c.stride_w, c.dilation_h, c.dilation_w, c.activation};
  g.AddOp(op);
  g.outputs.push_back(out);
  return g;
}

Graph DepthwiseConv2DModel(const ConvCase& c) {
  Graph g;
  Rng rng(c.seed);
  int h = 0, w = 0;
  const int in = AddInput(g, c, &h, &w);
  const int oc = c.in_channels * c.depth_multiplier;
  const int filter = AddWeights(g, c, rng, {1, c.kernel_h, c.kernel_w, oc}, 3, oc);
  const int bias = c.has_bias ? AddBias(g, c, rng, oc) : -1;
  const int oh = OutSize(c.padding, h, c.kernel_h, c.stride_h, c.dilation_h);
  const int ow = OutSize(c.padding, w, c.kernel_w, c.stride_w, c.dilation_w);
  const int out =
      g.AddActivation(c.dtype, {c.batches, oh, ow, oc}, PerTensor(c.output_scale, c.output_zp), "output");
  Op op;
  op.kind = OpKind::kDepthwiseConv2D;
  op.inputs = {in, filter, bias};
  op.outputs = {out};
  op.attrs = DepthwiseConv2DAttrs{c.padding, c.stride_h, c.stride_w, c.dilation_h, c.dilation_w, c.depth_multiplier,
                                  c.activation};
  g.AddOp(op);
  g.outputs.push_back(out);
  return g;
}

Graph FullyConnectedModel(const ConvCase& c) {
  Graph g;
  Rng rng(c.seed);
  const int in = g.AddActivation(c.dtype, {c.batches, c.in_channels}, PerTensor(c.input_scale, c.input_zp), "input");
  g.inputs.push_back(in);
  const int filter = AddWeights(g, c, rng, {c.out_channels, c.in_channels}, 0, c.out_channels);
  const int bias = c.has_bias ? AddBias(g, c, rng, c.out_channels) : -1;
  const int out = g.AddActivation(c.dtype, {c.batches, c.out_channels}, PerTensor(c.output_scale, c.output_zp),
                                  "output");
  Op op;
  op.kind = OpKind::kFullyConnected;
  op.inputs = {in, filter, bias};
  op.outputs = {out};
  op.attrs = FullyConnectedAttrs{c.activation, false};
  g.AddOp(op);
  g.outputs.push_back(out);
  return g;
}

Graph SeedLayer() {
  ConvCase c;
  c.dtype = DType::kUInt8;
  c.per_channel = false;
  c.height = 56;
  c.width = 56;
  c.in_channels = 128;
  c.kernel_h = c.kernel_w = 3;
  c.padding = Padding::kSame;
  c.activation = Activation::kRelu6;
  c.input_zp = 128;
  c.output_zp = 0;
  c.weight_zp = 122;
  c.input_scale = 0.0235f;
  c.weight_scale = 0.0342f;
  c.output_scale = 0.0235f;
  c.bias_range = 20000;
  c.seed = 8717;
  return DepthwiseConv2DModel(c);
}

Graph Bundle(const std::vector<Graph>& parts) {
  Graph g;
  for (const Graph& p : parts) {
    const int base = static_cast<int>(g.tensors.size());
    for (const Tensor& t : p.tensors) g.AddTensor(t);
    for (Op op : p.ops) {
      for (int& i : op.inputs) i = i < 0 ? i : i + base;
      for (int& o : op.outputs) o += base;
      op.source_index = -1;
      g.AddOp(op);
    }
    for (int i : p.inputs) g.inputs.push_back(i + base);
    for (int o : p.outputs) g.outputs.push_back(o + base);
  }
  return g;
}

std::vector<std::vector<uint8_t>> RandomInputs(const Graph& g, uint64_t seed) {
  Rng rng(seed);
  std::vector<std::vector<uint8_t>> out;
  for (int id : g.inputs) out.push_back(RandomBytes(rng, g.tensor(id).byte_size()));
  return out;
}

}  // namespace tinyfuse::testmodels
