// MEAN over constant axes; arithmetic described in graph/prepare/mean.h.
#include <vector>

#include "common/fixed_point.h"
#include "graph/prepare/common.h"
#include "graph/prepare/mean.h"
#include "interp/kernels.h"

namespace tinyfuse {

void Eval_kMean(const KernelContext& ctx) {
  const MeanParams p = PrepareMean(ctx.graph, ctx.op, ctx.arith);
  const uint8_t* in = ctx.in(0);
  uint8_t* out = ctx.out(0);
  const int rank = static_cast<int>(p.input_shape.size());

  // Walk the input in row-major order with an index vector, accumulating into the output element.
  std::vector<uint32_t> sums(static_cast<size_t>(p.num_outputs), 0u);  // wrapping int32 sums
  std::vector<int32_t> index(static_cast<size_t>(rank), 0);
  int64_t in_elements = 1;
  for (int32_t d : p.input_shape) in_elements *= d;
  int64_t out_offset = 0;
  for (int64_t i = 0; i < in_elements; ++i) {
    sums[static_cast<size_t>(out_offset)] += static_cast<uint32_t>(Load8(in, p.dtype, i));
    for (int axis = rank - 1; axis >= 0; --axis) {
      const size_t a = static_cast<size_t>(axis);
      out_offset += p.output_strides[a];
      if (++index[a] < p.input_shape[a]) break;
      out_offset -= p.output_strides[a] * index[a];
      index[a] = 0;
    }
  }

  const int32_t qmin = DTypeMin(p.dtype);
  const int32_t qmax = DTypeMax(p.dtype);
  for (int64_t o = 0; o < p.num_outputs; ++o) {
    const int32_t sum = static_cast<int32_t>(sums[static_cast<size_t>(o)]);
    const int32_t shifted = static_cast<int32_t>(
        static_cast<uint64_t>(static_cast<int64_t>(sum) - static_cast<int64_t>(p.input_zero_point) * p.count));
    Store8(out, o, Clamp(MultiplyByQuantizedMultiplierDouble(shifted, p.multiplier) + p.output_zero_point, qmin, qmax));
  }
}

}  // namespace tinyfuse
