// QUANTIZE between 8-bit dtypes; see graph/prepare/quantize.h.
#include "common/fixed_point.h"
#include "graph/prepare/common.h"
#include "graph/prepare/quantize.h"
#include "interp/kernels.h"

namespace tinyfuse {

void Eval_kQuantize(const KernelContext& ctx) {
  const QuantizeParams p = PrepareQuantize(ctx.graph, ctx.op);
  const uint8_t* in = ctx.in(0);
  uint8_t* out = ctx.out(0);
  if (p.flip_sign_bit) {
    for (int64_t i = 0; i < p.size; ++i) out[i] = static_cast<uint8_t>(in[i] ^ 0x80u);
    return;
  }
  const int32_t qmin = DTypeMin(p.output_dtype);
  const int32_t qmax = DTypeMax(p.output_dtype);
  for (int64_t i = 0; i < p.size; ++i) {
    const int32_t x = Load8(in, p.input_dtype, i) - p.input_zero_point;
    Store8(out, i, Clamp(MultiplyByQuantizedMultiplierDouble(x, p.multiplier) + p.output_zero_point, qmin, qmax));
  }
}

}  // namespace tinyfuse
