// DEPTHWISE_CONV_2D: the direct loop nest of TFLite's reference kernels over PrepareDepthwiseConv2D.
#include <cstdint>
#include <vector>

#include "graph/prepare/depthwise_conv.h"
#include "interp/kernels.h"

namespace tinyfuse {

namespace {

template <typename T>
void DepthwiseConv(const DepthwiseConvParams& p, const T* in, const T* filter, const std::vector<int32_t>& bias,
                   T* out) {
  const Window2D& w = p.window;
  const ConvQuant& q = p.quant;
  for (int b = 0; b < w.batches; ++b) {
    for (int y = 0; y < w.output_h; ++y) {
      for (int x = 0; x < w.output_w; ++x) {
        for (int o = 0; o < p.output_channels; ++o) {
          const int ic = o / p.depth_multiplier;
          int64_t acc = 0;
          for (int ky = 0; ky < w.filter_h; ++ky) {
            const int iy = y * w.stride_h - w.pad_h + ky * w.dilation_h;
            if (iy < 0 || iy >= w.input_h) continue;
            for (int kx = 0; kx < w.filter_w; ++kx) {
              const int ix = x * w.stride_w - w.pad_w + kx * w.dilation_w;
              if (ix < 0 || ix >= w.input_w) continue;
              const int32_t xv =
                  in[((static_cast<int64_t>(b) * w.input_h + iy) * w.input_w + ix) * p.input_channels + ic];
              const int32_t wv = filter[(static_cast<int64_t>(ky) * w.filter_w + kx) * p.output_channels + o];
              acc += (xv - q.input_zero_point) * (wv - q.filter_zero_point);
            }
          }
          if (p.has_bias) acc += bias[static_cast<size_t>(o)];
          const int32_t v = ConvOutput(q, static_cast<int32_t>(acc), o);
          out[((static_cast<int64_t>(b) * w.output_h + y) * w.output_w + x) * p.output_channels + o] =
              static_cast<T>(v);
        }
      }
    }
  }
}

}  // namespace

void Eval_kDepthwiseConv2D(const KernelContext& ctx) {
  const DepthwiseConvParams p = PrepareDepthwiseConv2D(ctx.graph, ctx.op, ctx.arith);
  std::vector<int32_t> bias;
  for (int c = 0; p.has_bias && c < p.output_channels; ++c) bias.push_back(Load32(ctx.in(2), c));
  if (p.dtype == DType::kInt8) {
    DepthwiseConv(p, reinterpret_cast<const int8_t*>(ctx.in(0)), reinterpret_cast<const int8_t*>(ctx.in(1)), bias,
                  reinterpret_cast<int8_t*>(ctx.out(0)));
  } else {
    DepthwiseConv(p, ctx.in(0), ctx.in(1), bias, ctx.out(0));
  }
}

}  // namespace tinyfuse
