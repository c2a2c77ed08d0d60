// Lowering of add_rescaled (ADD) with its epilogue (requantize or rounding_shift to the output, clamp,
// cast, a chained QUANTIZE) into one loop nest. Per output element, in registers, with every constant from
// AddParams (graph/prepare/add.h):
//   kRescale: a = Requantize((x1 - zp1) * 2^left_shift, M1)   b = Requantize((x2 - zp2) * 2^left_shift, M2)
//             out = cast(clamp(Requantize(a + b, M_out) + zp_out, act))
//             The shift is a plain multiply: |x - zp| <= 255 and left_shift = 20 keep it inside int32
//             (checked).
//   kXnnpack: out = cast(clamp(((bias + x1 * m1 + x2 * m2 + 2^(s-1)) >> s) + zp_out, act))
// Without broadcasting the kernel is a single flat loop; with it, one loop per output dimension and each
// input indexed by its own strides (0 along broadcast dimensions).
// In place: without broadcasting, element i of the output depends only on element i of each input and is
// written after both are read, so the output may share storage with either input (same dtype, same size)
// when that input dies here. The loop IR has no flag for it; the memory planner decides (memory/).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

#include "common/error.h"
#include "loop/lower_util.h"

namespace tinyfuse::loop::lowering {

Kernel LowerAdd(GroupLowerer& l) {
  const AddParams& p = std::get<AddParams>(l.anchor().attrs);
  Check(p.left_shift >= 0 && p.left_shift <= 30, "lowering: ADD left shift out of range");
  const Buffer in1 = l.Input(l.anchor().inputs[0], "input1");
  const Buffer in2 = l.Input(l.anchor().inputs[1], "input2");
  const Buffer out = l.Output();

  const BroadcastNest n = MakeBroadcastNest({p.output_shape, p.input1_strides, p.input2_strides, p.broadcast});
  Ranged sum;
  if (p.method == AddParams::Method::kXnnpack) {
    // XNNPACK: bias + x1 * m1 + x2 * m2 on the raw stored values, in this order; the rounding shift to the
    // output is the epilogue's rounding_shift step.
    const Interval xr = DTypeRange(p.dtype);
    auto term = [&](const Buffer& in, const Expr& index, int32_t m) {
      return CheckedMul({Cast(ScalarType::kInt32, Load(in, index)), xr}, {Imm(m), {m, m}});
    };
    sum = SafeAdd(SafeAdd({Imm(p.xnn_bias), {p.xnn_bias, p.xnn_bias}}, term(in1, n.index1, p.xnn_multiplier1)),
                  term(in2, n.index2, p.xnn_multiplier2));
  } else {
    sum = SafeAdd(RescaledInput(Load(in1, n.index1), p.dtype, p.input1_zero_point, p.left_shift, p.input1_multiplier,
                                p.rounding),
                  RescaledInput(Load(in2, n.index2), p.dtype, p.input2_zero_point, p.left_shift, p.input2_multiplier,
                                p.rounding));
  }
  const Stmt body = Store(out, n.out_index, l.Epilogue(sum, n.channel));
  std::string what = p.method == AddParams::Method::kXnnpack ? "xnnpack" : "rescale";
  if (p.broadcast) what += ", broadcast";
  return l.Finish(Nest(n.dims, body), what);
}

}  // namespace tinyfuse::loop::lowering
