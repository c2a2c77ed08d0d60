// AVERAGE_POOL_2D and MAX_POOL_2D over PreparePool2D: taps clamped to the input, average rounded half away
// from zero by the count of in-bounds taps.
#include <cstdint>
#include <string>

#include "common/error.h"
#include "graph/prepare/pooling.h"
#include "interp/kernels.h"

namespace tinyfuse {

namespace {

template <typename T, bool kAverage>
void Pool(const PoolParams& p, const T* in, T* out) {
  const Window2D& w = p.window;
  for (int b = 0; b < w.batches; ++b) {
    for (int y = 0; y < w.output_h; ++y) {
      const int y0 = y * w.stride_h - w.pad_h;
      const int ky_begin = y0 < 0 ? -y0 : 0;
      const int ky_end = w.filter_h < w.input_h - y0 ? w.filter_h : w.input_h - y0;
      for (int x = 0; x < w.output_w; ++x) {
        const int x0 = x * w.stride_w - w.pad_w;
        const int kx_begin = x0 < 0 ? -x0 : 0;
        const int kx_end = w.filter_w < w.input_w - x0 ? w.filter_w : w.input_w - x0;
        for (int c = 0; c < p.channels; ++c) {
          int32_t acc = kAverage ? 0 : DTypeMin(p.dtype);
          int32_t count = 0;
          for (int ky = ky_begin; ky < ky_end; ++ky) {
            for (int kx = kx_begin; kx < kx_end; ++kx) {
              const int32_t v =
                  in[((static_cast<int64_t>(b) * w.input_h + y0 + ky) * w.input_w + x0 + kx) * p.channels + c];
              if (kAverage) {
                acc += v;
              } else if (v > acc) {
                acc = v;
              }
              ++count;
            }
          }
          if (count == 0) throw Error("pooling window with no input element at output (" + std::to_string(y) +
                                      ", " + std::to_string(x) + ")");
          if (kAverage) acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
          acc = acc < p.act.min ? p.act.min : (acc > p.act.max ? p.act.max : acc);
          out[((static_cast<int64_t>(b) * w.output_h + y) * w.output_w + x) * p.channels + c] = static_cast<T>(acc);
        }
      }
    }
  }
}

template <bool kAverage>
void EvalPool(const KernelContext& ctx) {
  const PoolParams p = PreparePool2D(ctx.graph, ctx.op, ctx.arith);
  if (p.dtype == DType::kInt8) {
    Pool<int8_t, kAverage>(p, reinterpret_cast<const int8_t*>(ctx.in(0)), reinterpret_cast<int8_t*>(ctx.out(0)));
  } else {
    Pool<uint8_t, kAverage>(p, ctx.in(0), ctx.out(0));
  }
}

}  // namespace

void Eval_kAveragePool2D(const KernelContext& ctx) { EvalPool<true>(ctx); }
void Eval_kMaxPool2D(const KernelContext& ctx) { EvalPool<false>(ctx); }

}  // namespace tinyfuse
