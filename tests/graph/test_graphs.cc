#include "test_graphs.h"

#include <cstring>
#include <utility>

#include "graph/printer.h"

namespace tinyfuse::testing {

Quantization ActQuant(DType dtype, float scale) { return PerTensor(scale, dtype == DType::kInt8 ? -3 : 125); }

std::vector<uint8_t> TestBytes(size_t count, uint32_t seed) {
  std::vector<uint8_t> out(count);
  uint32_t state = seed * 2654435761u + 12345u;
  for (auto& b : out) {
    state = state * 1664525u + 1013904223u;
    b = static_cast<uint8_t>(state >> 24);
  }
  return out;
}

std::vector<uint8_t> TestBias(int count, uint32_t seed) {
  std::vector<int32_t> v(static_cast<size_t>(count));
  const std::vector<uint8_t> r = TestBytes(v.size(), seed);
  for (size_t i = 0; i < v.size(); ++i) v[i] = (static_cast<int32_t>(r[i]) - 128) * 37;
  return BytesOf(v);
}

namespace {

std::vector<float> ChannelScales(int n) {
  std::vector<float> s;
  for (int i = 0; i < n; ++i) s.push_back(0.01f + 0.005f * static_cast<float>(i));
  return s;
}

Quantization WeightQuant(DType dtype, bool per_channel, int channels, int axis) {
  if (dtype == DType::kUInt8) return PerTensor(0.02f, 131);
  return per_channel ? PerChannel(ChannelScales(channels), axis) : PerTensor(0.02f, 0);
}

int64_t Elements(const std::vector<int32_t>& shape) {
  int64_t n = 1;
  for (int32_t d : shape) n *= d;
  return n;
}

int32_t OutSize(Padding p, int in, int filter, int stride, int dilation) {
  const int eff = (filter - 1) * dilation + 1;
  return p == Padding::kSame ? (in + stride - 1) / stride : (in + stride - eff) / stride;
}

// input -> op(extra inputs) -> output; the op's inputs are {input, extra...}.
Graph Single(OpKind kind, DType dtype, std::vector<int32_t> in_shape, std::vector<int32_t> out_shape, OpAttrs attrs,
             const std::vector<int>& extra_inputs, Graph g, Quantization out_q) {
  const int x = g.AddActivation(dtype, std::move(in_shape), ActQuant(dtype), "x");
  const int y = g.AddActivation(dtype, std::move(out_shape), std::move(out_q), "y");
  Op op;
  op.kind = kind;
  op.inputs = {x};
  op.inputs.insert(op.inputs.end(), extra_inputs.begin(), extra_inputs.end());
  op.outputs = {y};
  op.attrs = std::move(attrs);
  g.AddOp(std::move(op));
  g.inputs = {x};
  g.outputs = {y};
  return g;
}

// The builders create their constants first (tensor ids 0..k-1); Single appends x and y.
int AddInt32(Graph& g, std::vector<int32_t> shape, const std::vector<int32_t>& values, const std::string& name) {
  return g.AddConstant(DType::kInt32, std::move(shape), {}, BytesOf(values), name);
}

}  // namespace

Graph Conv2DGraph(const ConvSpec& s) {
  Graph g;
  const int cin = 4, cout = 6, k = 3, in = 9;
  const std::vector<int32_t> wshape = {cout, k, k, cin / s.groups};
  const int w = g.AddConstant(s.dtype, wshape, WeightQuant(s.dtype, s.per_channel, cout, 0),
                              TestBytes(static_cast<size_t>(Elements(wshape)), 1), "w");
  const int b = s.bias ? g.AddConstant(DType::kInt32, {cout}, {}, TestBias(cout, 2), "b") : -1;
  Conv2DAttrs a;
  a.padding = s.padding;
  a.stride_h = a.stride_w = s.stride;
  a.dilation_h = a.dilation_w = s.dilation;
  a.activation = s.activation;
  const int32_t out = OutSize(s.padding, in, k, s.stride, s.dilation);
  return Single(OpKind::kConv2D, s.dtype, {1, in, in, cin}, {1, out, out, cout}, a, {w, b}, std::move(g),
                ActQuant(s.dtype, 0.75f));
}

Graph DepthwiseConv2DGraph(const ConvSpec& s) {
  Graph g;
  const int cin = 4, cout = 4 * s.depth_multiplier, k = 3, in = 9;
  const std::vector<int32_t> wshape = {1, k, k, cout};
  const int w = g.AddConstant(s.dtype, wshape, WeightQuant(s.dtype, s.per_channel, cout, 3),
                              TestBytes(static_cast<size_t>(Elements(wshape)), 3), "w");
  const int b = s.bias ? g.AddConstant(DType::kInt32, {cout}, {}, TestBias(cout, 4), "b") : -1;
  DepthwiseConv2DAttrs a;
  a.padding = s.padding;
  a.stride_h = a.stride_w = s.stride;
  a.dilation_h = a.dilation_w = s.dilation;
  a.depth_multiplier = s.depth_multiplier;
  a.activation = s.activation;
  const int32_t out = OutSize(s.padding, in, k, s.stride, s.dilation);
  return Single(OpKind::kDepthwiseConv2D, s.dtype, {1, in, in, cin}, {1, out, out, cout}, a, {w, b}, std::move(g),
                ActQuant(s.dtype, 0.75f));
}

Graph FullyConnectedGraph(DType dtype, bool per_channel, bool bias, bool keep_num_dims) {
  Graph g;
  const int o = 5, depth = keep_num_dims ? 4 : 12;
  const int w = g.AddConstant(dtype, {o, depth}, WeightQuant(dtype, per_channel, o, 0),
                              TestBytes(static_cast<size_t>(o * depth), 5), "w");
  const int b = bias ? g.AddConstant(DType::kInt32, {o}, {}, TestBias(o, 6), "b") : -1;
  FullyConnectedAttrs a;
  a.activation = Activation::kRelu6;
  a.keep_num_dims = keep_num_dims;
  const std::vector<int32_t> out = keep_num_dims ? std::vector<int32_t>{2, 3, o} : std::vector<int32_t>{2, o};
  return Single(OpKind::kFullyConnected, dtype, {2, 3, 4}, out, a, {w, b}, std::move(g), ActQuant(dtype, 0.75f));
}

Graph Pool2DGraph(OpKind kind, DType dtype, Padding padding) {
  Pool2DAttrs a;
  a.padding = padding;
  a.filter_h = 3;
  a.filter_w = 2;
  a.stride_h = a.stride_w = 2;
  a.activation = Activation::kReluN1To1;
  const int32_t oh = OutSize(padding, 7, 3, 2, 1), ow = OutSize(padding, 7, 2, 2, 1);
  return Single(kind, dtype, {1, 7, 7, 3}, {1, oh, ow, 3}, a, {}, Graph(), ActQuant(dtype));
}

Graph AddGraph(DType dtype, std::vector<int32_t> a_shape, std::vector<int32_t> b_shape) {
  Graph g;
  const size_t rank = std::max(a_shape.size(), b_shape.size());
  std::vector<int32_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    const size_t ia = i + a_shape.size(), ib = i + b_shape.size();
    const int32_t da = ia >= rank ? a_shape[ia - rank] : 1, db = ib >= rank ? b_shape[ib - rank] : 1;
    out[i] = da == 1 ? db : da;
  }
  const int a = g.AddActivation(dtype, std::move(a_shape), ActQuant(dtype, 0.5f), "a");
  const int b = g.AddActivation(dtype, std::move(b_shape), ActQuant(dtype, 0.25f), "b");
  const int y = g.AddActivation(dtype, out, ActQuant(dtype, 0.75f), "y");
  Op op;
  op.kind = OpKind::kAdd;
  op.inputs = {a, b};
  op.outputs = {y};
  op.attrs = AddAttrs{Activation::kRelu};
  g.AddOp(std::move(op));
  g.inputs = {a, b};
  g.outputs = {y};
  return g;
}

Graph BinaryGraph(OpKind kind, DType dtype) {
  Graph g = AddGraph(dtype, {1, 4, 4, 3}, {3});
  Op& op = g.ops[0];
  op.kind = kind;
  op.attrs = kind == OpKind::kMul || kind == OpKind::kSub ? OpAttrs{AddAttrs{Activation::kRelu}} : OpAttrs{};
  if (kind == OpKind::kPrelu) {  // alpha is a constant
    Tensor& alpha = g.tensor(op.inputs[1]);
    alpha.is_const = true;
    alpha.data = TestBytes(3, 7);
    g.inputs = {op.inputs[0]};
  }
  return g;
}

Graph UnaryGraph(OpKind kind, DType dtype) {
  const OpAttrs attrs = kind == OpKind::kLeakyRelu ? OpAttrs{LeakyReluAttrs{0.2f}} : OpAttrs{};
  return Single(kind, dtype, {1, 4, 4, 3}, {1, 4, 4, 3}, attrs, {}, Graph(), ActQuant(dtype, 0.75f));
}

Graph SoftmaxGraph(DType dtype, float beta) {
  return Single(OpKind::kSoftmax, dtype, {2, 10}, {2, 10}, SoftmaxAttrs{beta}, {}, Graph(),
                PerTensor(1.0f / 256, dtype == DType::kInt8 ? -128 : 0));
}

Graph ReshapeGraph(DType dtype, bool shape_input) {
  Graph g;
  const int shape = shape_input ? AddInt32(g, {2}, {1, 24}, "shape") : -1;
  std::vector<int> extra;
  if (shape_input) extra.push_back(shape);
  return Single(OpKind::kReshape, dtype, {1, 2, 3, 4}, {1, 24}, NoAttrs{}, extra, std::move(g), ActQuant(dtype));
}

Graph PadGraph(DType dtype, bool value_input) {
  Graph g;
  const int pads = AddInt32(g, {4, 2}, {0, 0, 1, 2, 0, 1, 0, 0}, "paddings");
  std::vector<int> extra = {pads};
  if (value_input) {
    extra.push_back(g.AddConstant(dtype, {1}, ActQuant(dtype), {7}, "value"));
  }
  return Single(OpKind::kPad, dtype, {1, 3, 4, 2}, {1, 6, 5, 2}, NoAttrs{}, extra, std::move(g), ActQuant(dtype));
}

Graph TransposeGraph(DType dtype) {
  Graph g;
  const int perm = AddInt32(g, {4}, {0, 3, 1, 2}, "perm");
  return Single(OpKind::kTranspose, dtype, {1, 3, 4, 5}, {1, 5, 3, 4}, NoAttrs{}, {perm}, std::move(g),
                ActQuant(dtype));
}

Graph ConcatenationGraph(DType dtype) {
  Graph g = Single(OpKind::kConcatenation, dtype, {1, 3, 4}, {1, 3, 8}, ConcatenationAttrs{2}, {}, Graph{},
                   ActQuant(dtype));
  g.ops[0].inputs.push_back(g.ops[0].inputs[0]);
  return g;
}

Graph StridedSliceGraph(DType dtype) {
  Graph g;
  const std::vector<int> extra = {AddInt32(g, {3}, {0, 1, 0}, "begin"), AddInt32(g, {3}, {1, 6, 4}, "end"),
                                  AddInt32(g, {3}, {1, 2, 1}, "strides")};
  return Single(OpKind::kStridedSlice, dtype, {1, 6, 4}, {3, 4}, StridedSliceAttrs{0, 0, 0, 0, 1, false}, extra,
                std::move(g), ActQuant(dtype));
}

Graph ReduceGraph(OpKind kind, DType dtype, bool keep_dims) {
  Graph g;
  const int axes = AddInt32(g, {2}, {1, 2}, "axes");
  const std::vector<int32_t> out = keep_dims ? std::vector<int32_t>{1, 1, 1, 8} : std::vector<int32_t>{1, 8};
  // REDUCE_MAX and REDUCE_MIN do not requantize: the output keeps the input's quantization.
  const bool requantizes = kind == OpKind::kMean || kind == OpKind::kSum;
  return Single(kind, dtype, {1, 5, 5, 8}, out, MeanAttrs{keep_dims}, {axes}, std::move(g),
                requantizes ? ActQuant(dtype, 0.25f) : ActQuant(dtype));
}

Graph MeanGraph(DType dtype, bool keep_dims) { return ReduceGraph(OpKind::kMean, dtype, keep_dims); }

Graph ArgMinMaxGraph(OpKind kind, DType dtype, DType output_type, const std::vector<int32_t>& shape, int32_t axis) {
  Graph g;
  const int ax = AddInt32(g, {1}, {axis}, "axis");
  const int x = g.AddActivation(dtype, shape, ActQuant(dtype), "x");
  std::vector<int32_t> out_shape = shape;
  out_shape.erase(out_shape.begin() + (axis < 0 ? axis + static_cast<int32_t>(shape.size()) : axis));
  const int y = g.AddActivation(output_type, out_shape, Quantization{}, "y");
  Op op;
  op.kind = kind;
  op.version = 2;
  op.inputs = {x, ax};
  op.outputs = {y};
  op.attrs = ArgMinMaxAttrs{output_type};
  g.AddOp(std::move(op));
  g.inputs = {x};
  g.outputs = {y};
  return g;
}

Graph ResizeBilinearGraph(DType dtype, bool align_corners, bool half_pixel_centers) {
  Graph g;
  const int size = AddInt32(g, {2}, {7, 5}, "size");
  return Single(OpKind::kResizeBilinear, dtype, {1, 3, 4, 2}, {1, 7, 5, 2},
                ResizeBilinearAttrs{align_corners, half_pixel_centers}, {size}, std::move(g), ActQuant(dtype));
}

namespace {
// x -> kind -> y, one op without attributes.
Graph ElementwiseGraph(OpKind kind, DType from, Quantization qx, DType to, Quantization qy) {
  Graph g;
  const int x = g.AddActivation(from, {1, 16}, std::move(qx), "x");
  const int y = g.AddActivation(to, {1, 16}, std::move(qy), "y");
  Op op;
  op.kind = kind;
  op.inputs = {x};
  op.outputs = {y};
  g.AddOp(std::move(op));
  g.inputs = {x};
  g.outputs = {y};
  return g;
}
}  // namespace

Graph QuantizeGraph(DType from, DType to) {
  const Quantization qx = from == DType::kFloat32 ? Quantization{} : ActQuant(from);  // a float edge
  return ElementwiseGraph(OpKind::kQuantize, from, qx, to, ActQuant(to, 0.25f));
}

Graph DequantizeGraph(DType from) {
  return ElementwiseGraph(OpKind::kDequantize, from, ActQuant(from), DType::kFloat32, {});
}

Graph ChainGraph() {
  Graph g;
  const DType i8 = DType::kInt8;
  const int x = g.AddActivation(i8, {1, 8, 8, 2}, ActQuant(i8), "input");
  const int w1 = g.AddConstant(i8, {4, 3, 3, 2}, PerChannel(ChannelScales(4), 0), TestBytes(72, 11), "conv/w");
  const int b1 =
      g.AddConstant(DType::kInt32, {4}, PerChannel({0.005f, 0.0075f, 0.01f, 0.0125f}, 0), TestBias(4, 12), "conv/b");
  const int c1 = g.AddActivation(i8, {1, 4, 4, 4}, ActQuant(i8, 0.4f), "conv");
  const int w2 = g.AddConstant(i8, {1, 3, 3, 4}, PerChannel(ChannelScales(4), 3), TestBytes(36, 13), "dw/w");
  const int c2 = g.AddActivation(i8, {1, 4, 4, 4}, ActQuant(i8, 0.3f), "dw");
  const int c3 = g.AddActivation(i8, {1, 2, 2, 4}, ActQuant(i8, 0.3f), "pool");
  const int c4 = g.AddActivation(i8, {1, 16}, ActQuant(i8, 0.3f), "flat");
  const int w5 = g.AddConstant(i8, {3, 16}, PerTensor(0.02f, 0), TestBytes(48, 14), "fc/w");
  const int b5 = g.AddConstant(DType::kInt32, {3}, PerTensor(0.006f, 0), TestBias(3, 15), "fc/b");
  const int c5 = g.AddActivation(i8, {1, 3}, ActQuant(i8, 0.2f), "logits");
  const int y = g.AddActivation(i8, {1, 3}, PerTensor(1.0f / 256, -128), "probs");

  Op conv{OpKind::kConv2D, 3, {x, w1, b1}, {c1}, Conv2DAttrs{Padding::kSame, 2, 2, 1, 1, Activation::kRelu6}, -1};
  Op dw{OpKind::kDepthwiseConv2D,
        2,
        {c1, w2, -1},
        {c2},
        DepthwiseConv2DAttrs{Padding::kSame, 1, 1, 1, 1, 1, Activation::kRelu},
        -1};
  Op pool{OpKind::kMaxPool2D, 1, {c2}, {c3}, Pool2DAttrs{Padding::kValid, 2, 2, 2, 2, Activation::kNone}, -1};
  Op reshape{OpKind::kReshape, 1, {c3, -1}, {c4}, NoAttrs{}, -1};
  Op fc{OpKind::kFullyConnected, 9, {c4, w5, b5}, {c5}, FullyConnectedAttrs{Activation::kNone, false}, -1};
  Op softmax{OpKind::kSoftmax, 1, {c5}, {y}, SoftmaxAttrs{1.0f}, -1};
  for (Op* op : {&conv, &dw, &pool, &reshape, &fc, &softmax}) g.AddOp(std::move(*op));
  g.inputs = {x};
  g.outputs = {y};
  return g;
}

namespace {

// The data-movement ops without a graph of their own above: PACK, SPLIT (two outputs), SLICE, SQUEEZE,
// EXPAND_DIMS, and SHAPE feeding a RESHAPE (it is folded: its int32 value never reaches the arena).
Graph MoveGraph(OpKind kind) {
  const DType i8 = DType::kInt8;
  Graph g;
  switch (kind) {
    case OpKind::kPack: {
      g = Single(kind, i8, {3, 4}, {2, 3, 4}, PackAttrs{2, 0}, {}, Graph{}, ActQuant(i8));
      g.ops[0].inputs.push_back(g.ops[0].inputs[0]);
      return g;
    }
    case OpKind::kSlice: {
      const std::vector<int> extra = {AddInt32(g, {2}, {1, 0}, "begin"), AddInt32(g, {2}, {2, -1}, "size")};
      return Single(kind, i8, {3, 4}, {2, 4}, NoAttrs{}, extra, std::move(g), ActQuant(i8));
    }
    case OpKind::kSqueeze:
      return Single(kind, i8, {1, 3, 1, 4}, {3, 4}, SqueezeAttrs{{0, -2}}, {}, Graph{}, ActQuant(i8));
    case OpKind::kResizeNearestNeighbor: {
      const int size = AddInt32(g, {2}, {4, 6}, "size");
      return Single(kind, i8, {1, 2, 3, 2}, {1, 4, 6, 2}, ResizeBilinearAttrs{false, true}, {size}, std::move(g),
                    ActQuant(i8));
    }
    case OpKind::kExpandDims: {
      const int axis = AddInt32(g, {1}, {1}, "axis");
      return Single(kind, i8, {3, 4}, {3, 1, 4}, NoAttrs{}, {axis}, std::move(g), ActQuant(i8));
    }
    case OpKind::kSplit: {
      const int axis = AddInt32(g, {1}, {1}, "axis");
      const int x = g.AddActivation(i8, {2, 6}, ActQuant(i8), "x");
      const int y0 = g.AddActivation(i8, {2, 3}, ActQuant(i8), "y0");
      const int y1 = g.AddActivation(i8, {2, 3}, ActQuant(i8), "y1");
      g.AddOp(Op{kind, 1, {axis, x}, {y0, y1}, SplitAttrs{2}, -1});
      g.inputs = {x};
      g.outputs = {y0, y1};
      return g;
    }
    default: {  // SHAPE
      const int x = g.AddActivation(i8, {1, 3, 4}, ActQuant(i8), "x");
      const int s = g.AddActivation(DType::kInt32, {3}, {}, "shape");
      const int y = g.AddActivation(i8, {1, 3, 4}, ActQuant(i8), "y");
      g.AddOp(Op{OpKind::kShape, 1, {x}, {s}, ShapeAttrs{}, -1});
      g.AddOp(Op{OpKind::kReshape, 1, {x, s}, {y}, NoAttrs{}, -1});
      g.inputs = {x};
      g.outputs = {y};
      return g;
    }
  }
}

}  // namespace

Graph GraphWithOp(OpKind kind) {
  switch (kind) {
    case OpKind::kConcatenation:
      return ConcatenationGraph();
    case OpKind::kStridedSlice:
      return StridedSliceGraph();
    case OpKind::kPack:
    case OpKind::kSplit:
    case OpKind::kSlice:
    case OpKind::kSqueeze:
    case OpKind::kExpandDims:
    case OpKind::kResizeNearestNeighbor:
    case OpKind::kShape:
      return MoveGraph(kind);
    case OpKind::kAdd:
      return AddGraph();
    case OpKind::kAveragePool2D:
      return Pool2DGraph(OpKind::kAveragePool2D);
    case OpKind::kConv2D:
      return Conv2DGraph();
    case OpKind::kDepthwiseConv2D:
      return DepthwiseConv2DGraph();
    case OpKind::kFullyConnected:
      return FullyConnectedGraph();
    case OpKind::kMaxPool2D:
      return Pool2DGraph(OpKind::kMaxPool2D);
    case OpKind::kReshape:
      return ReshapeGraph();
    case OpKind::kSoftmax:
      return SoftmaxGraph();
    case OpKind::kPad:
      return PadGraph();
    case OpKind::kTranspose:
      return TransposeGraph();
    case OpKind::kMean:
    case OpKind::kSum:
    case OpKind::kReduceMax:
    case OpKind::kReduceMin:
      return ReduceGraph(kind);
    case OpKind::kQuantize:
      return QuantizeGraph();
    case OpKind::kDequantize:
      return DequantizeGraph();
    case OpKind::kLogistic:
    case OpKind::kTanh:
    case OpKind::kRelu:
    case OpKind::kReluN1To1:
    case OpKind::kRelu6:
    case OpKind::kLeakyRelu:
      return UnaryGraph(kind);
    case OpKind::kMul:
    case OpKind::kSub:
    case OpKind::kPrelu:
    case OpKind::kMaximum:
    case OpKind::kMinimum:
    case OpKind::kSquaredDifference:
      return BinaryGraph(kind);
    case OpKind::kArgMax:
    case OpKind::kArgMin:
      return ArgMinMaxGraph(kind);
    case OpKind::kResizeBilinear:
      return ResizeBilinearGraph();
  }
  return Graph();
}

std::string GraphDifference(const Graph& a, const Graph& b) {
  if (a.tensors.size() != b.tensors.size()) return "tensor counts differ";
  for (size_t i = 0; i < a.tensors.size(); ++i) {
    const Tensor& x = a.tensors[i];
    const Tensor& y = b.tensors[i];
    const std::string t = "tensor " + std::to_string(i) + ": ";
    if (x.name != y.name) return t + "names differ: '" + x.name + "' vs '" + y.name + "'";
    if (x.dtype != y.dtype) return t + "dtypes differ";
    if (x.shape != y.shape) return t + "shapes differ";
    if (x.is_const != y.is_const) return t + "constness differs";
    if (x.data != y.data) return t + "data differs";
    if (x.quant.scale != y.quant.scale) return t + "scales differ";
    if (x.quant.zero_point != y.quant.zero_point) return t + "zero points differ";
    if (x.quant.per_channel() && x.quant.axis != y.quant.axis) return t + "quantization axes differ";
  }
  if (a.inputs != b.inputs) return "graph inputs differ";
  if (a.outputs != b.outputs) return "graph outputs differ";
  if (a.ops.size() != b.ops.size()) return "op counts differ";
  for (size_t k = 0; k < a.ops.size(); ++k) {
    const Op& x = a.ops[k];
    const Op& y = b.ops[k];
    const std::string o = "op " + std::to_string(k) + ": ";
    if (x.kind != y.kind) return o + "kinds differ";
    if (x.version != y.version) return o + "versions differ";
    if (x.inputs != y.inputs) return o + "inputs differ";
    if (x.outputs != y.outputs) return o + "outputs differ";
    if (x.attrs.index() != y.attrs.index()) return o + "attrs kinds differ";
    // PrintAttrs prints every attribute field (beta exactly), so equal text means equal attrs.
    if (PrintAttrs(x) != PrintAttrs(y)) return o + "attrs differ: " + PrintAttrs(x) + " vs " + PrintAttrs(y);
  }
  return "";
}

}  // namespace tinyfuse::testing
