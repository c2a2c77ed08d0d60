// The reduction family over constant axes (MEAN, SUM, REDUCE_MAX, REDUCE_MIN); arithmetic described in
// graph/prepare/reduce.h.
#include <vector>

#include "common/fixed_point.h"
#include "graph/prepare/common.h"
#include "graph/prepare/reduce.h"
#include "interp/kernels.h"

namespace tinyfuse {

namespace {

// Calls visit(output_offset, input_index) for every input element in row-major order.
template <typename Visit>
void ForEachInput(const ReduceParams& p, Visit visit) {
  const int rank = static_cast<int>(p.input_shape.size());
  std::vector<int32_t> index(static_cast<size_t>(rank), 0);
  int64_t in_elements = 1;
  for (int32_t d : p.input_shape) in_elements *= d;
  int64_t out_offset = 0;
  for (int64_t i = 0; i < in_elements; ++i) {
    visit(out_offset, i);
    for (int axis = rank - 1; axis >= 0; --axis) {
      const size_t a = static_cast<size_t>(axis);
      out_offset += p.output_strides[a];
      if (++index[a] < p.input_shape[a]) break;
      out_offset -= p.output_strides[a] * index[a];
      index[a] = 0;
    }
  }
}

// MEAN and SUM: wrapping int32 sums, then the requantization.
void EvalSumLike(const ReduceParams& p, const uint8_t* in, uint8_t* out) {
  std::vector<uint32_t> sums(static_cast<size_t>(p.num_outputs), 0u);
  ForEachInput(p, [&](int64_t o, int64_t i) {
    sums[static_cast<size_t>(o)] += static_cast<uint32_t>(Load8(in, p.dtype, i));
  });
  const int32_t qmin = DTypeMin(p.dtype);
  const int32_t qmax = DTypeMax(p.dtype);
  for (int64_t o = 0; o < p.num_outputs; ++o) {
    const int32_t sum = static_cast<int32_t>(sums[static_cast<size_t>(o)]);
    const int32_t shifted = static_cast<int32_t>(
        static_cast<uint64_t>(static_cast<int64_t>(sum) - static_cast<int64_t>(p.input_zero_point) * p.count));
    Store8(out, o, Clamp(MultiplyByQuantizedMultiplierDouble(shifted, p.multiplier) + p.output_zero_point, qmin, qmax));
  }
}

// REDUCE_MAX and REDUCE_MIN: raw values, starting from the dtype's lowest (highest) value.
void EvalMinMax(const ReduceParams& p, const uint8_t* in, uint8_t* out) {
  const bool max = p.reduce == ReduceOp::kMax;
  std::vector<int32_t> best(static_cast<size_t>(p.num_outputs), max ? DTypeMin(p.dtype) : DTypeMax(p.dtype));
  ForEachInput(p, [&](int64_t o, int64_t i) {
    const int32_t x = Load8(in, p.dtype, i);
    int32_t& b = best[static_cast<size_t>(o)];
    if (max ? x > b : x < b) b = x;
  });
  for (int64_t o = 0; o < p.num_outputs; ++o) Store8(out, o, best[static_cast<size_t>(o)]);
}

void EvalReduce(const KernelContext& ctx) {
  const ReduceParams p = PrepareReduce(ctx.graph, ctx.op, ctx.arith);
  if (p.reduce == ReduceOp::kMean || p.reduce == ReduceOp::kSum) {
    EvalSumLike(p, ctx.in(0), ctx.out(0));
  } else {
    EvalMinMax(p, ctx.in(0), ctx.out(0));
  }
}

}  // namespace

void Eval_kMean(const KernelContext& ctx) { EvalReduce(ctx); }
void Eval_kSum(const KernelContext& ctx) { EvalReduce(ctx); }
void Eval_kReduceMax(const KernelContext& ctx) { EvalReduce(ctx); }
void Eval_kReduceMin(const KernelContext& ctx) { EvalReduce(ctx); }

}  // namespace tinyfuse
