// Lowering of the conv-like anchors (conv2d_acc, depthwise_conv2d_acc, fully_connected_acc) with their
// epilogue, into one loop nest per group:
//   for each output element: one int32 accumulator (a one-element Allocate, a register in C), 8-bit loads,
//   then bias, requantize, clamp and the 8-bit store in the same iteration.
// Padding is a bounds condition on the input row/column (left out where the loop ranges prove every tap
// inside), never a padded copy; the partition-loops pass (partition_loops.h) later splits the output rows
// and columns so that only border copies test their taps. A folded PAD only moves the window: the kernel
// reads the PAD's input with the PAD's leading padding added to the conv's own.
//
// Zero-point folding (weights with zero point 0, and no tap ever skipped: 1x1 and VALID convs, FC):
// sum (x - zp_in) * w equals sum x * w + c[o] with c[o] = -zp_in * sum w over the taps of output channel o,
// a compile-time table; the accumulator starts at c[o] and the taps multiply raw values. Exact: the sums are
// int32 adds that either provably fit or wrap, and wrapping sums are equal modulo 2^32 in any order, like
// the reference kernels' int32 accumulator.
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

// One spatial axis of the window: output extent, stride, kernel, dilation, leading pad, input size.
struct Axis {
  int64_t out = 1;
  int stride = 1, kernel = 1, dilation = 1, pad = 0, size = 1;
};

// The input coordinate of a tap, `out * stride + k * dilation - pad`, bound to a variable (unless it is a
// plain variable or constant already), and the condition that it lies in [0, size), or null when the
// ranges of `out` and `k` prove it always does.
struct Tap {
  Expr value;
  Expr coord;   // value, or the variable bound to it
  Var let;      // null when coord needs no binding
  Expr inside;  // null when always inside
};

Tap MakeTap(const std::string& name, const Dim& out, const Axis& a, const Dim& k) {
  Tap t;
  t.value = Add(Add(Mul(out.index, Imm(a.stride)), Mul(k.index, Imm(a.dilation))), Imm(-a.pad));
  if (As<VarNode>(t.value) || As<IntImmNode>(t.value)) {
    t.coord = t.value;
  } else {
    t.let = MakeVar(name);
    t.coord = t.let;
  }
  const int64_t lo = out.begin * a.stride - a.pad;
  const int64_t hi = (out.begin + out.extent - 1) * a.stride + (k.extent - 1) * a.dilation - a.pad;
  Expr cond;
  if (lo < 0) cond = Le(Imm(0), t.coord);
  if (hi >= a.size) cond = And(cond, Lt(t.coord, Imm(a.size)));
  t.inside = cond;
  return t;
}

Stmt BindTap(const Tap& t, Stmt body) {
  body = IfThenElse(t.inside, body);
  return t.let ? LetStmt(t.let, t.value, body) : body;
}

Interval OffsetRange(DType t, int32_t zp) {
  const Interval r = DTypeRange(t);
  return {r.lo - zp, r.hi - zp};
}

int64_t MaxAbs(Interval r) { return std::max(std::llabs(r.lo), std::llabs(r.hi)); }

// How the taps of one output channel are accumulated.
struct TapForm {
  bool folded = false;       // raw x * w, accumulator starts at the zero-point correction
  Buffer correction;         // int32[channels], folded only (null when zp_in is 0)
};

// The accumulator of one output element: acc = init + sum of terms, plain int32 adds when `bound` (a bound
// on every partial sum) fits, else @wrapping_add.
struct Accumulator {
  Buffer buffer = LocalBuffer("acc", ScalarType::kInt32, {1});
  int64_t bound = 0;
  bool plain() const { return bound <= 2147483647LL; }
  Stmt Init(const Expr& value) const { return Store(buffer, Imm(0), value); }
  Stmt Accumulate(const Expr& term) const {
    const Expr acc = Load(buffer, Imm(0));
    return Store(buffer, Imm(0), plain() ? Add(acc, term) : Call(Intrinsic::kWrappingAdd, {acc, term}));
  }
  Ranged Value() const {
    return {Load(buffer, Imm(0)), plain() ? Interval{-bound, bound} : TypeRange(ScalarType::kInt32)};
  }
};

// The conv-like quantities shared by the three anchors.
struct ConvMath {
  DType dtype = DType::kInt8;
  int32_t zp_in = 0, zp_w = 0;
  int channels = 0;
  std::vector<int64_t> abs_w_sum;  // per output channel: sum |w - zp_w| over its taps
  std::vector<int64_t> w_sum;      // per output channel: sum w over its taps

  // channel_of(i): the output channel of weight element i.
  template <typename ChannelOf>
  ConvMath(const GroupLowerer&, const Buffer& w, DType t, const ConvQuant& q, int out_channels, ChannelOf channel_of)
      : dtype(t), zp_in(q.input_zero_point), zp_w(q.filter_zero_point), channels(out_channels),
        abs_w_sum(static_cast<size_t>(out_channels), 0), w_sum(static_cast<size_t>(out_channels), 0) {
    for (size_t i = 0; i < w->values.size(); ++i) {
      const size_t c = static_cast<size_t>(channel_of(static_cast<int64_t>(i)));
      abs_w_sum[c] += std::llabs(w->values[i] - zp_w);
      w_sum[c] += w->values[i];
    }
  }

  // Whether zero-point folding applies (see the file comment).
  bool CanFold() const { return zp_w == 0; }

  TapForm Form(GroupLowerer& l, bool interior) const {
    TapForm f;
    f.folded = interior && CanFold();
    if (f.folded && zp_in != 0) {
      std::vector<int32_t> c;
      for (int64_t s : w_sum) c.push_back(static_cast<int32_t>(static_cast<uint32_t>(-static_cast<int64_t>(zp_in) * s)));
      f.correction = l.Table("zp_correction", ScalarType::kInt32, std::move(c));
    }
    return f;
  }

  Accumulator MakeAccumulator(const TapForm& f) const {
    Accumulator a;
    const int64_t max_x = MaxAbs(f.folded ? DTypeRange(dtype) : OffsetRange(dtype, zp_in));
    int64_t bound = 0;
    for (size_t c = 0; c < abs_w_sum.size(); ++c) {
      int64_t b = abs_w_sum[c] * max_x;
      if (f.correction) b += std::llabs(static_cast<int64_t>(zp_in) * w_sum[c]);
      bound = std::max(bound, b);
    }
    a.bound = bound;
    return a;
  }

  Expr Init(const TapForm& f, const Expr& channel) const {
    return f.correction ? Load(f.correction, channel) : Imm(0);
  }

  // The product of one tap.
  Expr Term(const TapForm& f, const Expr& x, const Expr& w) const {
    const Expr xi = Cast(ScalarType::kInt32, x), wi = Cast(ScalarType::kInt32, w);
    if (f.folded) return CheckedMul({xi, DTypeRange(dtype)}, {wi, DTypeRange(dtype)}).e;
    return CheckedMul({Sub(xi, Imm(zp_in)), OffsetRange(dtype, zp_in)}, {Sub(wi, Imm(zp_w)), OffsetRange(dtype, zp_w)}).e;
  }
};

// One output element: allocate the accumulator, run `taps(acc, form)`, store the epilogue of the sum.
template <typename Taps>
Stmt OutputElement(GroupLowerer& l, const ConvMath& m, bool interior, const Expr& channel, const Buffer& out,
                   const Expr& out_index, Taps taps) {
  const TapForm form = m.Form(l, interior);
  const Accumulator acc = m.MakeAccumulator(form);
  return Allocate(acc.buffer, Seq({acc.Init(m.Init(form, channel)), taps(acc, form),
                                   Store(out, out_index, l.Epilogue(acc.Value(), channel))}));
}

}  // namespace

Kernel LowerConv2D(GroupLowerer& l) {
  const auto& a = std::get<passes::ConvAccAttrs>(l.anchor().attrs);
  const ConvParams& p = a.params;
  const Window2D& w = p.window;
  const WindowInput win = FoldedInput(l, w);
  const Buffer in = l.Input(win.tensor, "input");
  const Buffer filter = l.Constant(a.filter_tensor, "filter");
  const Buffer out = l.Output();
  const int fic = p.filter_input_channels;
  const int per_group = p.output_channels / p.groups;
  const int64_t taps_per_channel = static_cast<int64_t>(w.filter_h) * w.filter_w * fic;
  const ConvMath m(l, filter, p.dtype, p.quant, p.output_channels, [&](int64_t i) { return i / taps_per_channel; });
  const Axis ay{w.output_h, w.stride_h, w.filter_h, w.dilation_h, win.pad_h, win.height};
  const Axis ax{w.output_w, w.stride_w, w.filter_w, w.dilation_w, win.pad_w, win.width};
  const Dim b = MakeDim("b", w.batches), oy = MakeDim("oy", w.output_h), ox = MakeDim("ox", w.output_w);
  const Dim g = MakeDim("g", p.groups), oc = MakeDim(p.groups > 1 ? "j" : "oc", per_group);
  const Dim ky = MakeDim("ky", w.filter_h), kx = MakeDim("kx", w.filter_w), ic = MakeDim("ic", fic);
  const Expr channel = Add(Mul(g.index, Imm(per_group)), oc.index);
  const Tap ty = MakeTap("iy", oy, ay, ky), tx = MakeTap("ix", ox, ax, kx);
  const Expr x = Load(in, FlatIndex({b.index, ty.coord, tx.coord, Add(Mul(g.index, Imm(fic)), ic.index)},
                                    {w.batches, win.height, win.width, p.input_channels}));
  const Expr wv =
      Load(filter, FlatIndex({channel, ky.index, kx.index, ic.index}, {p.output_channels, w.filter_h, w.filter_w, fic}));
  const Expr out_index =
      FlatIndex({b.index, oy.index, ox.index, channel}, {w.batches, w.output_h, w.output_w, p.output_channels});
  auto taps = [&](const Accumulator& acc, const TapForm& form) {
    return Nest({ky}, BindTap(ty, Nest({kx}, BindTap(tx, Nest({ic}, acc.Accumulate(m.Term(form, x, wv)))))));
  };
  const bool no_skipped_tap = !ty.inside && !tx.inside;
  return l.Finish(Nest({b, oy, ox, g, oc}, OutputElement(l, m, no_skipped_tap, channel, out, out_index, taps)), "");
}

// The in-place variant (`in_place`, batch 1 and depth multiplier 1): per channel c the input plane
// in[0, :, :, c] is first copied into a workspace of height * width elements, then channel c's outputs are
// computed from the copy and stored at their NHWC places, which only ever overwrite bytes of input channel c
// (loop/in_place.h proves it on the IR: the staged proof). The output may then take the input's storage.
Kernel LowerDepthwiseConv2D(GroupLowerer& l, bool in_place) {
  const auto& a = std::get<passes::DepthwiseAccAttrs>(l.anchor().attrs);
  const DepthwiseConvParams& p = a.params;
  const Window2D& w = p.window;
  const WindowInput win = FoldedInput(l, w);
  const Buffer in = l.Input(win.tensor, "input");
  const Buffer filter = l.Constant(a.filter_tensor, "filter");
  const Buffer out = l.Output();
  const int mult = p.depth_multiplier;
  const ConvMath m(l, filter, p.dtype, p.quant, p.output_channels, [&](int64_t i) { return i % p.output_channels; });
  const Axis ay{w.output_h, w.stride_h, w.filter_h, w.dilation_h, win.pad_h, win.height};
  const Axis ax{w.output_w, w.stride_w, w.filter_w, w.dilation_w, win.pad_w, win.width};
  const Dim b = MakeDim("b", w.batches), oy = MakeDim("oy", w.output_h), ox = MakeDim("ox", w.output_w);
  const Dim c = MakeDim("c", p.input_channels), j = MakeDim("j", mult);
  const Dim ky = MakeDim("ky", w.filter_h), kx = MakeDim("kx", w.filter_w);
  const Expr channel = Add(Mul(c.index, Imm(mult)), j.index);
  const Tap ty = MakeTap("iy", oy, ay, ky), tx = MakeTap("ix", ox, ax, kx);
  const Buffer plane = LocalBuffer("plane", in->dtype, {win.height, win.width});
  const Expr x =
      in_place ? Load(plane, FlatIndex({ty.coord, tx.coord}, {win.height, win.width}))
               : Load(in, FlatIndex({b.index, ty.coord, tx.coord, c.index}, {w.batches, win.height, win.width, p.input_channels}));
  const Expr wv = Load(filter, FlatIndex({ky.index, kx.index, channel}, {w.filter_h, w.filter_w, p.output_channels}));
  const Expr out_index =
      FlatIndex({b.index, oy.index, ox.index, channel}, {w.batches, w.output_h, w.output_w, p.output_channels});
  auto taps = [&](const Accumulator& acc, const TapForm& form) {
    return Nest({ky}, BindTap(ty, Nest({kx}, BindTap(tx, acc.Accumulate(m.Term(form, x, wv))))));
  };
  const bool no_skipped_tap = !ty.inside && !tx.inside;
  const Stmt element = OutputElement(l, m, no_skipped_tap, channel, out, out_index, taps);
  if (!in_place) return l.Finish(Nest({b, oy, ox, c, j}, element), "");
  Check(w.batches == 1 && mult == 1, "lowering: in-place depthwise needs batch 1 and depth multiplier 1");
  const Dim i = MakeDim("i", int64_t{win.height} * win.width);
  const Stmt copy = Nest({i}, Store(plane, i.index, Load(in, Add(Mul(i.index, Imm(p.input_channels)), c.index))));
  return l.Finish(Allocate(plane, Nest({c}, Seq({copy, Nest({oy, ox}, element)}))), "in place");
}

Kernel LowerFullyConnected(GroupLowerer& l) {
  const auto& a = std::get<passes::FullyConnectedAccAttrs>(l.anchor().attrs);
  const FullyConnectedParams& p = a.params;
  const Buffer in = l.Input(l.anchor().inputs[0], "input");
  const Buffer filter = l.Constant(a.filter_tensor, "filter");
  const Buffer out = l.Output();
  const ConvMath m(l, filter, p.dtype, p.quant, p.output_depth, [&](int64_t i) { return i / p.accum_depth; });

  const Dim b = MakeDim("b", p.batches), o = MakeDim("o", p.output_depth), d = MakeDim("d", p.accum_depth);
  const Expr x = Load(in, FlatIndex({b.index, d.index}, {p.batches, p.accum_depth}));
  const Expr wv = Load(filter, FlatIndex({o.index, d.index}, {p.output_depth, p.accum_depth}));
  const Expr out_index = FlatIndex({b.index, o.index}, {p.batches, p.output_depth});
  auto taps = [&](const Accumulator& acc, const TapForm& form) { return Nest({d}, acc.Accumulate(m.Term(form, x, wv))); };
  return l.Finish(Nest({b, o}, OutputElement(l, m, /*interior=*/true, o.index, out, out_index, taps)), "");
}

}  // namespace tinyfuse::loop::lowering
