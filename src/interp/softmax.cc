// SOFTMAX over the last axis; the constants and the two flavours are described in graph/prepare/softmax.h.
#include <algorithm>
#include <cmath>

#include "common/fixed_point.h"
#include "graph/prepare/common.h"
#include "graph/prepare/softmax.h"
#include "interp/kernels.h"

namespace tinyfuse {

namespace {

// One row in TFLite Micro's fixed point: sum of tabulated exps, one reciprocal, one scaling per element.
void SoftmaxRowTflm(const SoftmaxParams& p, const uint8_t* in, uint8_t* out, int64_t base) {
  const int32_t qmin = DTypeMin(p.dtype);
  const int32_t qmax = DTypeMax(p.dtype);
  int32_t max = qmin;
  for (int32_t c = 0; c < p.depth; ++c) max = std::max(max, Load8(in, p.dtype, base + c));
  int32_t sum_q12 = 0;
  for (int32_t c = 0; c < p.depth; ++c) {
    const int32_t e = p.exp_q31[static_cast<size_t>(max - Load8(in, p.dtype, base + c))];
    sum_q12 += RoundingDivideByPOT(e, 12);  // Q0.31 -> Q12.19
  }
  int num_bits_over_unit = 0;
  const int32_t recip = SoftmaxReciprocal(sum_q12, &num_bits_over_unit);
  const int exponent = num_bits_over_unit + 31 - 8;
  for (int32_t c = 0; c < p.depth; ++c) {
    const int32_t e = p.exp_q31[static_cast<size_t>(max - Load8(in, p.dtype, base + c))];
    // exponent 32 (a sum of exps of 512 or more; TFLM's TFLITE_CHECK aborts there): an int32 divided by
    // 2^32 rounds to 0, the exact continuation of the formula.
    const int32_t scaled = exponent > 31 ? 0 : RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(recip, e), exponent);
    const int32_t v = scaled + qmin;
    Store8(out, base + c, Clamp(v, qmin, qmax));
  }
}

// One row of TFLite's float-table softmax, in IEEE single precision and element order.
void SoftmaxRowTflite(const SoftmaxParams& p, const uint8_t* in, uint8_t* out, int64_t base) {
  const int32_t qmin = DTypeMin(p.dtype);
  const int32_t qmax = DTypeMax(p.dtype);
  int32_t max = qmin;
  for (int32_t c = 0; c < p.depth; ++c) max = std::max(max, Load8(in, p.dtype, base + c));
  const float* table = p.exp_table.data() + (255 - max);
  float sum = 0.0f;
  for (int32_t c = 0; c < p.depth; ++c) sum += table[Load8(in, p.dtype, base + c)];
  const float inv = 1.0f / (sum * p.output_scale);
  for (int32_t c = 0; c < p.depth; ++c) {
    const float prob = table[Load8(in, p.dtype, base + c)] * inv;
    const int32_t q = p.dtype == DType::kUInt8 ? static_cast<int32_t>(prob + 0.5f)
                                               : static_cast<int32_t>(std::round(prob)) + p.output_zero_point;
    Store8(out, base + c, Clamp(q, qmin, qmax));
  }
}

}  // namespace

void Eval_kSoftmax(const KernelContext& ctx) {
  const SoftmaxParams p = PrepareSoftmax(ctx.graph, ctx.op, ctx.arith);
  const uint8_t* in = ctx.in(0);
  uint8_t* out = ctx.out(0);
  for (int32_t r = 0; r < p.rows; ++r) {
    const int64_t base = static_cast<int64_t>(r) * p.depth;
    if (p.arith == Arith::kTflm) {
      SoftmaxRowTflm(p, in, out, base);
    } else {
      SoftmaxRowTflite(p, in, out, base);
    }
  }
}

}  // namespace tinyfuse
