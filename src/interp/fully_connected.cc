// FULLY_CONNECTED: TFLite's reference loop over PrepareFullyConnected.
#include <cstdint>
#include <vector>

#include "graph/prepare/fully_connected.h"
#include "interp/kernels.h"

namespace tinyfuse {

namespace {

template <typename T>
void FullyConnected(const FullyConnectedParams& p, const T* in, const T* weights, const std::vector<int32_t>& bias,
                    T* out) {
  const ConvQuant& q = p.quant;
  for (int b = 0; b < p.batches; ++b) {
    const T* row = in + static_cast<int64_t>(b) * p.accum_depth;
    for (int o = 0; o < p.output_depth; ++o) {
      const T* wrow = weights + static_cast<int64_t>(o) * p.accum_depth;
      int64_t acc = 0;
      for (int d = 0; d < p.accum_depth; ++d) {
        acc += (static_cast<int32_t>(row[d]) - q.input_zero_point) *
               (static_cast<int32_t>(wrow[d]) - q.filter_zero_point);
      }
      if (p.has_bias) acc += bias[static_cast<size_t>(o)];
      const int32_t v = ConvOutput(q, static_cast<int32_t>(acc), o);
      out[static_cast<int64_t>(b) * p.output_depth + o] = static_cast<T>(v);
    }
  }
}

}  // namespace

void Eval_kFullyConnected(const KernelContext& ctx) {
  const FullyConnectedParams p = PrepareFullyConnected(ctx.graph, ctx.op, ctx.arith);
  const std::vector<int32_t> bias = ReadBias(ctx, p.has_bias, p.output_depth);
  if (p.dtype == DType::kInt8) {
    FullyConnected(p, reinterpret_cast<const int8_t*>(ctx.in(0)), reinterpret_cast<const int8_t*>(ctx.in(1)), bias,
                   reinterpret_cast<int8_t*>(ctx.out(0)));
  } else {
    FullyConnected(p, ctx.in(0), ctx.in(1), bias, ctx.out(0));
  }
}

}  // namespace tinyfuse
