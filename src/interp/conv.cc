// CONV_2D: the direct loop nest of TFLite's reference kernels over the constants of PrepareConv2D.
#include <cstdint>
#include <vector>

#include "graph/prepare/conv.h"
#include "interp/conv_window.h"

namespace tinyfuse {

namespace {

template <typename T>
void Conv(const ConvParams& p, const T* in, const T* filter, const std::vector<int32_t>& bias, T* out) {
  const Window2D& w = p.window;
  const ConvQuant& q = p.quant;
  const int fic = p.filter_input_channels;
  const int per_group = p.output_channels / p.groups;
  const auto tap = [&](int64_t& acc, int b, int iy, int ix, int ky, int kx, int c) {
    const int in_c0 = (c / per_group) * fic;
    const T* in_px = in + ((static_cast<int64_t>(b) * w.input_h + iy) * w.input_w + ix) * p.input_channels + in_c0;
    const T* f_px = filter + ((static_cast<int64_t>(c) * w.filter_h + ky) * w.filter_w + kx) * fic;
    for (int i = 0; i < fic; ++i) {
      acc += (static_cast<int32_t>(in_px[i]) - q.input_zero_point) *
             (static_cast<int32_t>(f_px[i]) - q.filter_zero_point);
    }
  };
  ConvWindowLoop(w, p.output_channels, q, bias, out, tap);
}

}  // namespace

void Eval_kConv2D(const KernelContext& ctx) {
  const ConvParams p = PrepareConv2D(ctx.graph, ctx.op, ctx.arith);
  const std::vector<int32_t> bias = ReadBias(ctx, p.has_bias, p.output_channels);
  if (p.dtype == DType::kInt8) {
    Conv(p, reinterpret_cast<const int8_t*>(ctx.in(0)), reinterpret_cast<const int8_t*>(ctx.in(1)), bias,
         reinterpret_cast<int8_t*>(ctx.out(0)));
  } else {
    Conv(p, ctx.in(0), ctx.in(1), bias, ctx.out(0));
  }
}

}  // namespace tinyfuse
