// DEPTHWISE_CONV_2D: the direct loop nest of TFLite's reference kernels over PrepareDepthwiseConv2D.
#include <cstdint>
#include <vector>

#include "graph/prepare/depthwise_conv.h"
#include "interp/conv_window.h"

namespace tinyfuse {

namespace {

template <typename T>
void DepthwiseConv(const DepthwiseConvParams& p, const T* in, const T* filter, const std::vector<int32_t>& bias,
                   T* out) {
  const Window2D& w = p.window;
  const ConvQuant& q = p.quant;
  const auto tap = [&](int64_t& acc, int b, int iy, int ix, int ky, int kx, int o) {
    const int ic = o / p.depth_multiplier;
    const int32_t xv = in[((static_cast<int64_t>(b) * w.input_h + iy) * w.input_w + ix) * p.input_channels + ic];
    const int32_t wv = filter[(static_cast<int64_t>(ky) * w.filter_w + kx) * p.output_channels + o];
    acc += (xv - q.input_zero_point) * (wv - q.filter_zero_point);
  };
  ConvWindowLoop(w, p.output_channels, q, bias, out, tap);
}

}  // namespace

void Eval_kDepthwiseConv2D(const KernelContext& ctx) {
  const DepthwiseConvParams p = PrepareDepthwiseConv2D(ctx.graph, ctx.op, ctx.arith);
  const std::vector<int32_t> bias = ReadBias(ctx, p.has_bias, p.output_channels);
  if (p.dtype == DType::kInt8) {
    DepthwiseConv(p, reinterpret_cast<const int8_t*>(ctx.in(0)), reinterpret_cast<const int8_t*>(ctx.in(1)), bias,
                  reinterpret_cast<int8_t*>(ctx.out(0)));
  } else {
    DepthwiseConv(p, ctx.in(0), ctx.in(1), bias, ctx.out(0));
  }
}

}  // namespace tinyfuse
