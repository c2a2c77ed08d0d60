// The loop nest CONV_2D and DEPTHWISE_CONV_2D share in TFLite's reference kernels: every output pixel and
// channel, the filter window with padding as a bounds test (taps outside the input add nothing), then
// bias and the ConvOutput epilogue. The two ops differ only in what one window tap adds to the accumulator.
#pragma once

#include <cstdint>
#include <vector>

#include "graph/prepare/common.h"
#include "interp/kernels.h"

namespace tinyfuse {

// For each batch b, output pixel (y, x) and output channel o: acc = 0, then `tap(acc, b, iy, ix, ky, kx, o)`
// for every filter position (ky, kx) whose input pixel (iy, ix) lies inside the input, then the bias (when
// `bias` is not empty) and ConvOutput; the result goes to out[b][y][x][o] (NHWC, `output_channels` deep).
// The accumulator is int64: the int32 accumulator of the reference kernels wraps, and int64 then
// truncation to int32 is the same.
template <typename T, typename Tap>
void ConvWindowLoop(const Window2D& w, int output_channels, const ConvQuant& q, const std::vector<int32_t>& bias,
                    T* out, Tap&& tap) {
  for (int b = 0; b < w.batches; ++b) {
    for (int y = 0; y < w.output_h; ++y) {
      for (int x = 0; x < w.output_w; ++x) {
        for (int o = 0; o < output_channels; ++o) {
          int64_t acc = 0;
          for (int ky = 0; ky < w.filter_h; ++ky) {
            const int iy = y * w.stride_h - w.pad_h + ky * w.dilation_h;
            if (iy < 0 || iy >= w.input_h) continue;
            for (int kx = 0; kx < w.filter_w; ++kx) {
              const int ix = x * w.stride_w - w.pad_w + kx * w.dilation_w;
              if (ix < 0 || ix >= w.input_w) continue;
              tap(acc, b, iy, ix, ky, kx, o);
            }
          }
          if (!bias.empty()) acc += bias[static_cast<size_t>(o)];
          const int32_t v = ConvOutput(q, static_cast<int32_t>(acc), o);
          out[((static_cast<int64_t>(b) * w.output_h + y) * w.output_w + x) * output_channels + o] =
              static_cast<T>(v);
        }
      }
    }
  }
}

}  // namespace tinyfuse
