// ADD over PrepareAdd: both inputs rescaled to a common fixed-point scale, summed, rescaled to the output.
#include <cstdint>
#include <vector>

#include "graph/prepare/add.h"
#include "interp/elementwise.h"
#include "interp/kernels.h"

namespace tinyfuse {

namespace {

template <typename T>
T AddOne(const AddParams& p, int32_t x1, int32_t x2) {
  if (p.method == AddParams::Method::kXnnpack) {
    // |acc| < 2^31: multipliers < 2^21 times 8-bit values.
    const int32_t acc = p.xnn_bias + x1 * p.xnn_multiplier1 + x2 * p.xnn_multiplier2;
    int32_t v = ((acc + (1 << (p.xnn_shift - 1))) >> p.xnn_shift) + p.output_zero_point;
    v = v < p.act.min ? p.act.min : (v > p.act.max ? p.act.max : v);
    return static_cast<T>(v);
  }
  const int32_t a = Requantize(WrappingShiftLeft(x1 - p.input1_zero_point, p.left_shift), p.input1_multiplier,
                               p.rounding);
  const int32_t b = Requantize(WrappingShiftLeft(x2 - p.input2_zero_point, p.left_shift), p.input2_multiplier,
                               p.rounding);
  int32_t v = static_cast<int32_t>(static_cast<uint32_t>(Requantize(a + b, p.output_multiplier, p.rounding)) + static_cast<uint32_t>(p.output_zero_point));
  v = v < p.act.min ? p.act.min : (v > p.act.max ? p.act.max : v);
  return static_cast<T>(v);
}

template <typename T>
void Add(const AddParams& p, const T* in1, const T* in2, T* out) {
  int64_t size = 1;
  for (int32_t d : p.output_shape) size *= d;
  if (!p.broadcast) {
    for (int64_t i = 0; i < size; ++i) out[i] = AddOne<T>(p, in1[i], in2[i]);
    return;
  }
  const BroadcastMaps maps{p.output_shape, p.input1_strides, p.input2_strides, p.broadcast};
  ForEachBroadcast(maps, [&](int64_t i, int64_t o1, int64_t o2) { out[i] = AddOne<T>(p, in1[o1], in2[o2]); });
}

}  // namespace

void Eval_kAdd(const KernelContext& ctx) {
  const AddParams p = PrepareAdd(ctx.graph, ctx.op, ctx.arith);
  if (p.dtype == DType::kInt8) {
    Add(p, reinterpret_cast<const int8_t*>(ctx.in(0)), reinterpret_cast<const int8_t*>(ctx.in(1)),
        reinterpret_cast<int8_t*>(ctx.out(0)));
  } else {
    Add(p, ctx.in(0), ctx.in(1), ctx.out(0));
  }
}

}  // namespace tinyfuse
