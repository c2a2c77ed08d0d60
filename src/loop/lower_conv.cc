// Lowering of the conv-like anchors (conv2d_acc, depthwise_conv2d_acc, fully_connected_acc) with their
// epilogue, into one loop nest per group:
//   for each output element: one int32 accumulator (a one-element Allocate, a register in C),
//   taps outside the input skipped by an if on the input row/column (no padded copy; the guard is left
//   out where the loop ranges prove the tap is inside), 8-bit loads, then bias, requantize, clamp and the
//   8-bit store in the same iteration.
// A folded PAD only moves the window: the kernel reads the PAD's input, with the PAD's leading padding
// added to the conv's own.
#include <algorithm>
#include <cstdlib>

#include "common/error.h"
#include "loop/lower_util.h"

namespace tinyfuse::loop::lowering {

namespace {

// The input the window reads after PAD folding: its tensor, height, width and leading padding.
struct WindowInput {
  int tensor = -1;
  int height = 0, width = 0;
  int pad_h = 0, pad_w = 0;
};

WindowInput FoldedInput(const GroupLowerer& l, const Window2D& w) {
  WindowInput in{l.anchor().inputs[0], w.input_h, w.input_w, w.pad_h, w.pad_w};
  if (l.group().folded_pad >= 0) {
    const passes::Step& pad = l.step(l.group().folded_pad);
    const PadParams& p = std::get<PadParams>(pad.attrs);
    in.tensor = pad.inputs[0];
    in.height = p.input_shape[1];
    in.width = p.input_shape[2];
    in.pad_h += p.before[1];
    in.pad_w += p.before[2];
  }
  return in;
}

// The input coordinate of a tap, `out * stride + k * dilation - pad`, bound to a variable (unless it is
// a plain variable already), and the condition that it lies in [0, size), or null when the loop ranges
// prove it always does.
struct Tap {
  Expr value;   // out * stride + k * dilation - pad
  Expr coord;   // value, or the variable bound to it
  Var let;      // null when coord needs no binding
  Expr inside;  // null when always inside
};

Tap MakeTap(const std::string& name, const Dim& out, int stride, const Dim& k, int dilation, int pad, int size) {
  Tap t;
  const Expr e = Add(Add(Mul(out.index, Imm(stride)), Mul(k.index, Imm(dilation))), Imm(-pad));
  t.value = e;
  if (As<VarNode>(e) || As<IntImmNode>(e)) {
    t.coord = e;
  } else {
    t.let = MakeVar(name);
    t.coord = t.let;
  }
  const int64_t lo = -static_cast<int64_t>(pad);
  const int64_t hi = (out.extent - 1) * stride + (k.extent - 1) * dilation - pad;
  Expr cond;
  if (lo < 0) cond = Le(Imm(0), t.coord);
  if (hi >= size) cond = And(cond, Lt(t.coord, Imm(size)));
  t.inside = cond;
  return t;
}

Stmt BindTap(const Tap& t, Stmt body) {
  body = IfThenElse(t.inside, body);
  return t.let ? LetStmt(t.let, t.value, body) : body;
}

// max over x of |x - zp| for an 8-bit dtype.
int64_t MaxAbsOffset(DType t, int32_t zp) {
  const Interval r = DTypeRange(t);
  return std::max(std::llabs(r.lo - zp), std::llabs(r.hi - zp));
}

// The accumulator: acc = sum of terms, plain adds when `bound` (max |partial sum|) fits int32.
struct Accumulator {
  Buffer buffer = LocalBuffer("acc", ScalarType::kInt32, {1});
  int64_t bound = 0;
  bool plain() const { return bound <= 2147483647LL; }
  Stmt Init() const { return Store(buffer, Imm(0), Imm(0)); }
  Stmt Accumulate(const Ranged& term) const {
    const Expr acc = Load(buffer, Imm(0));
    return Store(buffer, Imm(0), plain() ? Add(acc, term.e) : Call(Intrinsic::kWrappingAdd, {acc, term.e}));
  }
  Ranged Value() const {
    return {Load(buffer, Imm(0)), plain() ? Interval{-bound, bound} : TypeRange(ScalarType::kInt32)};
  }
};

// (cast(int32, x) - zp_x) * (cast(int32, w) - zp_w)
Ranged Term(const Expr& x, DType xt, int32_t zp_x, const Expr& w, DType wt, int32_t zp_w) {
  const Interval xr = DTypeRange(xt), wr = DTypeRange(wt);
  const Ranged a{Sub(Cast(ScalarType::kInt32, x), Imm(zp_x)), {xr.lo - zp_x, xr.hi - zp_x}};
  const Ranged b{Sub(Cast(ScalarType::kInt32, w), Imm(zp_w)), {wr.lo - zp_w, wr.hi - zp_w}};
  return CheckedMul(a, b);
}

// max over output channels of sum |w - zp_w| over the weights feeding that channel, times max |x - zp_x|.
// `channel_of(i)` maps weight element i to its output channel.
template <typename ChannelOf>
int64_t AccumulatorBound(const Buffer& w, int32_t zp_w, int channels, int64_t max_x, ChannelOf channel_of) {
  std::vector<int64_t> sum(static_cast<size_t>(channels), 0);
  for (size_t i = 0; i < w->values.size(); ++i) {
    sum[static_cast<size_t>(channel_of(static_cast<int64_t>(i)))] += std::llabs(w->values[i] - zp_w);
  }
  return *std::max_element(sum.begin(), sum.end()) * max_x;
}

}  // namespace

Kernel LowerConv2D(GroupLowerer& l) {
  const auto& a = std::get<passes::ConvAccAttrs>(l.anchor().attrs);
  const ConvParams& p = a.params;
  const Window2D& w = p.window;
  const ConvQuant& q = p.quant;
  const WindowInput win = FoldedInput(l, w);
  const Buffer in = l.Input(win.tensor, "input");
  const Buffer filter = l.Constant(a.filter_tensor, "filter");
  const Buffer out = l.Output();
  const int fic = p.filter_input_channels;
  const int per_group = p.output_channels / p.groups;

  Accumulator acc;
  const int64_t per_channel_taps = static_cast<int64_t>(w.filter_h) * w.filter_w * fic;
  acc.bound = AccumulatorBound(filter, q.filter_zero_point, p.output_channels, MaxAbsOffset(p.dtype, q.input_zero_point),
                               [&](int64_t i) { return i / per_channel_taps; });

  const Dim b = MakeDim("b", w.batches), oy = MakeDim("oy", w.output_h), ox = MakeDim("ox", w.output_w);
  const Dim g = MakeDim("g", p.groups), oc = MakeDim(p.groups > 1 ? "j" : "oc", per_group);
  const Dim ky = MakeDim("ky", w.filter_h), kx = MakeDim("kx", w.filter_w), ic = MakeDim("ic", fic);
  const Expr channel = Add(Mul(g.index, Imm(per_group)), oc.index);
  const Tap ty = MakeTap("iy", oy, w.stride_h, ky, w.dilation_h, win.pad_h, win.height);
  const Tap tx = MakeTap("ix", ox, w.stride_w, kx, w.dilation_w, win.pad_w, win.width);

  const Expr x = Load(in, FlatIndex({b.index, ty.coord, tx.coord, Add(Mul(g.index, Imm(fic)), ic.index)},
                                    {w.batches, win.height, win.width, p.input_channels}));
  const Expr wv = Load(filter, FlatIndex({channel, ky.index, kx.index, ic.index}, {p.output_channels, w.filter_h,
                                                                                   w.filter_w, fic}));
  Stmt taps = Nest({ic}, acc.Accumulate(Term(x, p.dtype, q.input_zero_point, wv, p.dtype, q.filter_zero_point)));
  taps = BindTap(tx, taps);
  taps = Nest({kx}, taps);
  taps = BindTap(ty, taps);
  taps = Nest({ky}, taps);

  const Expr out_index = FlatIndex({b.index, oy.index, ox.index, channel},
                                   {w.batches, w.output_h, w.output_w, p.output_channels});
  Stmt body = Allocate(acc.buffer, Seq({acc.Init(), taps, Store(out, out_index, l.Epilogue(acc.Value(), channel))}));
  return l.Finish(Nest({b, oy, ox, g, oc}, body), "");
}

Kernel LowerDepthwiseConv2D(GroupLowerer& l) {
  const auto& a = std::get<passes::DepthwiseAccAttrs>(l.anchor().attrs);
  const DepthwiseConvParams& p = a.params;
  const Window2D& w = p.window;
  const ConvQuant& q = p.quant;
  const WindowInput win = FoldedInput(l, w);
  const Buffer in = l.Input(win.tensor, "input");
  const Buffer filter = l.Constant(a.filter_tensor, "filter");
  const Buffer out = l.Output();
  const int m = p.depth_multiplier;

  Accumulator acc;
  acc.bound = AccumulatorBound(filter, q.filter_zero_point, p.output_channels, MaxAbsOffset(p.dtype, q.input_zero_point),
                               [&](int64_t i) { return i % p.output_channels; });

  const Dim b = MakeDim("b", w.batches), oy = MakeDim("oy", w.output_h), ox = MakeDim("ox", w.output_w);
  const Dim c = MakeDim("c", p.input_channels), j = MakeDim("j", m);
  const Dim ky = MakeDim("ky", w.filter_h), kx = MakeDim("kx", w.filter_w);
  const Expr channel = Add(Mul(c.index, Imm(m)), j.index);
  const Tap ty = MakeTap("iy", oy, w.stride_h, ky, w.dilation_h, win.pad_h, win.height);
  const Tap tx = MakeTap("ix", ox, w.stride_w, kx, w.dilation_w, win.pad_w, win.width);

  const Expr x =
      Load(in, FlatIndex({b.index, ty.coord, tx.coord, c.index}, {w.batches, win.height, win.width, p.input_channels}));
  const Expr wv = Load(filter, FlatIndex({ky.index, kx.index, channel}, {w.filter_h, w.filter_w, p.output_channels}));
  Stmt taps = acc.Accumulate(Term(x, p.dtype, q.input_zero_point, wv, p.dtype, q.filter_zero_point));
  taps = BindTap(tx, taps);
  taps = Nest({kx}, taps);
  taps = BindTap(ty, taps);
  taps = Nest({ky}, taps);

  const Expr out_index = FlatIndex({b.index, oy.index, ox.index, channel},
                                   {w.batches, w.output_h, w.output_w, p.output_channels});
  Stmt body = Allocate(acc.buffer, Seq({acc.Init(), taps, Store(out, out_index, l.Epilogue(acc.Value(), channel))}));
  return l.Finish(Nest({b, oy, ox, c, j}, body), "");
}

Kernel LowerFullyConnected(GroupLowerer& l) {
  const auto& a = std::get<passes::FullyConnectedAccAttrs>(l.anchor().attrs);
  const FullyConnectedParams& p = a.params;
  const ConvQuant& q = p.quant;
  const Buffer in = l.Input(l.anchor().inputs[0], "input");
  const Buffer filter = l.Constant(a.filter_tensor, "filter");
  const Buffer out = l.Output();

  Accumulator acc;
  acc.bound = AccumulatorBound(filter, q.filter_zero_point, p.output_depth, MaxAbsOffset(p.dtype, q.input_zero_point),
                               [&](int64_t i) { return i / p.accum_depth; });

  const Dim b = MakeDim("b", p.batches), o = MakeDim("o", p.output_depth), d = MakeDim("d", p.accum_depth);
  const Expr x = Load(in, FlatIndex({b.index, d.index}, {p.batches, p.accum_depth}));
  const Expr wv = Load(filter, FlatIndex({o.index, d.index}, {p.output_depth, p.accum_depth}));
  const Stmt taps = Nest({d}, acc.Accumulate(Term(x, p.dtype, q.input_zero_point, wv, p.dtype, q.filter_zero_point)));
  const Expr out_index = FlatIndex({b.index, o.index}, {p.batches, p.output_depth});
  Stmt body = Allocate(acc.buffer, Seq({acc.Init(), taps, Store(out, out_index, l.Epilogue(acc.Value(), o.index))}));
  return l.Finish(Nest({b, o}, body), "");
}

}  // namespace tinyfuse::loop::lowering
