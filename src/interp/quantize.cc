// QUANTIZE between 8-bit dtypes and from float32, DEQUANTIZE to float32; see graph/prepare/quantize.h.
#include <cmath>
#include <cstring>

#include "common/fixed_point.h"
#include "graph/prepare/common.h"
#include "graph/prepare/quantize.h"
#include "interp/kernels.h"

namespace tinyfuse {

namespace {

// std::round of a float (half away from zero) as int32; NaN and values beyond int32 saturate (the
// reference's conversion is undefined there, see graph/prepare/quantize.h).
int32_t RoundToInt32Saturated(float v) {
  const float r = std::round(v);
  if (!(r > -2147483648.0f)) return INT32_MIN;
  if (r >= 2147483648.0f) return INT32_MAX;
  return static_cast<int32_t>(r);
}

void QuantizeFromFloat(const QuantizeParams& p, const uint8_t* in, uint8_t* out) {
  for (int64_t i = 0; i < p.size; ++i) {
    float x;
    std::memcpy(&x, in + i * 4, 4);
    const int32_t r = RoundToInt32Saturated(x / p.float_scale);
    Store8(out, i, Clamp(r, p.round_min, p.round_max) + p.output_zero_point);
  }
}

}  // namespace

void Eval_kQuantize(const KernelContext& ctx) {
  const QuantizeParams p = PrepareQuantize(ctx.graph, ctx.op);
  const uint8_t* in = ctx.in(0);
  uint8_t* out = ctx.out(0);
  if (p.input_dtype == DType::kFloat32) return QuantizeFromFloat(p, in, out);
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

// As the reference: the product in double, then rounded to float.
void Eval_kDequantize(const KernelContext& ctx) {
  const QuantizeParams p = PrepareDequantize(ctx.graph, ctx.op);
  const uint8_t* in = ctx.in(0);
  uint8_t* out = ctx.out(0);
  const double scale = static_cast<double>(p.float_scale);
  for (int64_t i = 0; i < p.size; ++i) {
    const float y = static_cast<float>(scale * (Load8(in, p.input_dtype, i) - p.input_zero_point));
    std::memcpy(out + i * 4, &y, 4);
  }
}

}  // namespace tinyfuse
