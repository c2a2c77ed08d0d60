// ARG_MAX and ARG_MIN; semantics in graph/prepare/arg_min_max.h.
#include <cstring>

#include "graph/prepare/arg_min_max.h"
#include "graph/prepare/common.h"
#include "interp/kernels.h"

namespace tinyfuse {

namespace {

void EvalArgMinMax(const KernelContext& ctx) {
  const ArgMinMaxParams p = PrepareArgMinMax(ctx.graph, ctx.op);
  const uint8_t* in = ctx.in(0);
  uint8_t* out = ctx.out(0);
  for (int64_t o = 0; o < p.outer; ++o) {
    for (int64_t i = 0; i < p.inner; ++i) {
      int32_t best = Load8(in, p.input_dtype, o * p.axis_size * p.inner + i);
      int32_t index = 0;
      for (int32_t a = 1; a < p.axis_size; ++a) {
        const int32_t x = Load8(in, p.input_dtype, (o * p.axis_size + a) * p.inner + i);
        if (p.is_max ? x > best : x < best) {
          best = x;
          index = a;
        }
      }
      // Little-endian, as every tensor buffer: the low 4 bytes hold the index, the high ones its sign.
      const int64_t wide = index;
      const size_t bytes = static_cast<size_t>(DTypeSize(p.output_dtype));
      uint8_t le[8];
      for (size_t b = 0; b < 8; ++b) le[b] = static_cast<uint8_t>(static_cast<uint64_t>(wide) >> (8 * b));
      std::memcpy(out + static_cast<size_t>(o * p.inner + i) * bytes, le, bytes);
    }
  }
}

}  // namespace

void Eval_kArgMax(const KernelContext& ctx) { EvalArgMinMax(ctx); }
void Eval_kArgMin(const KernelContext& ctx) { EvalArgMinMax(ctx); }

}  // namespace tinyfuse
