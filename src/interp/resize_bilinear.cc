// RESIZE_BILINEAR; arithmetic described in graph/prepare/resize_bilinear.h.
#include "graph/prepare/common.h"
#include "graph/prepare/resize_bilinear.h"
#include "interp/kernels.h"

namespace tinyfuse {

void Eval_kResizeBilinear(const KernelContext& ctx) {
  const ResizeBilinearParams p = PrepareResizeBilinear(ctx.graph, ctx.op, ctx.arith);
  const uint8_t* in = ctx.in(0);
  uint8_t* out = ctx.out(0);
  const int64_t c = p.channels;
  auto at = [&](int b, int y, int x, int64_t ch) {
    return Load8(in, p.dtype, ((static_cast<int64_t>(b) * p.input_h + y) * p.input_w + x) * c + ch);
  };
  int64_t o = 0;
  for (int b = 0; b < p.batches; ++b) {
    for (int y = 0; y < p.output_h; ++y) {
      const size_t ys = static_cast<size_t>(y);
      for (int x = 0; x < p.output_w; ++x) {
        const size_t xs = static_cast<size_t>(x);
        for (int64_t ch = 0; ch < c; ++ch, ++o) {
          const int32_t v = InterpolateBilinear(p, at(b, p.y0[ys], p.x0[xs], ch), at(b, p.y0[ys], p.x1[xs], ch),
                                                at(b, p.y1[ys], p.x0[xs], ch), at(b, p.y1[ys], p.x1[xs], ch),
                                                p.wy[ys], p.wx[xs]);
          Store8(out, o, Clamp(v, DTypeMin(p.dtype), DTypeMax(p.dtype)));
        }
      }
    }
  }
}

}  // namespace tinyfuse
