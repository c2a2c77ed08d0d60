// PAD with constant paddings; see graph/prepare/pad.h.
#include <vector>

#include "graph/prepare/common.h"
#include "graph/prepare/pad.h"
#include "interp/kernels.h"

namespace tinyfuse {

void Eval_kPad(const KernelContext& ctx) {
  const PadParams p = PreparePad(ctx.graph, ctx.op);
  const uint8_t* in = ctx.in(0);
  uint8_t* out = ctx.out(0);
  const int rank = static_cast<int>(p.input_shape.size());
  std::vector<int64_t> in_strides(static_cast<size_t>(rank), 1);
  for (int i = rank - 2; i >= 0; --i) {
    in_strides[static_cast<size_t>(i)] = in_strides[static_cast<size_t>(i + 1)] * p.input_shape[static_cast<size_t>(i + 1)];
  }
  int64_t out_elements = 1;
  for (int32_t d : p.output_shape) out_elements *= d;

  std::vector<int32_t> index(static_cast<size_t>(rank), 0);
  for (int64_t o = 0; o < out_elements; ++o) {
    bool inside = true;
    int64_t in_offset = 0;
    for (int i = 0; i < rank; ++i) {
      const size_t a = static_cast<size_t>(i);
      const int32_t j = index[a] - p.before[a];
      if (j < 0 || j >= p.input_shape[a]) {
        inside = false;
        break;
      }
      in_offset += j * in_strides[a];
    }
    out[o] = inside ? in[in_offset] : static_cast<uint8_t>(p.pad_value);
    for (int i = rank - 1; i >= 0; --i) {
      const size_t a = static_cast<size_t>(i);
      if (++index[a] < p.output_shape[a]) break;
      index[a] = 0;
    }
  }
}

}  // namespace tinyfuse
