// CONV_2D: the direct loop nest of TFLite's reference kernels over the constants of PrepareConv2D.
#include <cstdint>
#include <vector>

#include "graph/prepare/conv.h"
#include "interp/kernels.h"

namespace tinyfuse {

namespace {

template <typename T>
void Conv(const ConvParams& p, const T* in, const T* filter, const std::vector<int32_t>& bias, T* out) {
  const Window2D& w = p.window;
  const ConvQuant& q = p.quant;
  const int fic = p.filter_input_channels;
  const int per_group = p.output_channels / p.groups;
  for (int b = 0; b < w.batches; ++b) {
    for (int y = 0; y < w.output_h; ++y) {
      for (int x = 0; x < w.output_w; ++x) {
        for (int c = 0; c < p.output_channels; ++c) {
          const int in_c0 = (c / per_group) * fic;
          int64_t acc = 0;
          for (int ky = 0; ky < w.filter_h; ++ky) {
            const int iy = y * w.stride_h - w.pad_h + ky * w.dilation_h;
            if (iy < 0 || iy >= w.input_h) continue;
            for (int kx = 0; kx < w.filter_w; ++kx) {
              const int ix = x * w.stride_w - w.pad_w + kx * w.dilation_w;
              if (ix < 0 || ix >= w.input_w) continue;
              const T* in_px = in + ((static_cast<int64_t>(b) * w.input_h + iy) * w.input_w + ix) * p.input_channels + in_c0;
              const T* f_px = filter + ((static_cast<int64_t>(c) * w.filter_h + ky) * w.filter_w + kx) * fic;
              for (int i = 0; i < fic; ++i) {
                acc += (static_cast<int32_t>(in_px[i]) - q.input_zero_point) *
                       (static_cast<int32_t>(f_px[i]) - q.filter_zero_point);
              }
            }
          }
          if (p.has_bias) acc += bias[static_cast<size_t>(c)];
          // The int32 accumulator of the reference kernels wraps; int64 then truncation is the same.
          const int32_t v = ConvOutput(q, static_cast<int32_t>(acc), c);
          out[((static_cast<int64_t>(b) * w.output_h + y) * w.output_w + x) * p.output_channels + c] =
              static_cast<T>(v);
        }
      }
    }
  }
}

}  // namespace

void Eval_kConv2D(const KernelContext& ctx) {
  const ConvParams p = PrepareConv2D(ctx.graph, ctx.op, ctx.arith);
  std::vector<int32_t> bias;
  for (int c = 0; p.has_bias && c < p.output_channels; ++c) bias.push_back(Load32(ctx.in(2), c));
  if (p.dtype == DType::kInt8) {
    Conv(p, reinterpret_cast<const int8_t*>(ctx.in(0)), reinterpret_cast<const int8_t*>(ctx.in(1)), bias,
         reinterpret_cast<int8_t*>(ctx.out(0)));
  } else {
    Conv(p, ctx.in(0), ctx.in(1), bias, ctx.out(0));
  }
}

}  // namespace tinyfuse
