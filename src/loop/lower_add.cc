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

namespace {

// Requantize(x, m) with a sound range: |result| <= |x| * m + 2 (two roundings), when no left shift wraps.
Ranged RescaleInput(const Ranged& x, const QuantizedMultiplier& m, Rounding rounding) {
  const Intrinsic op = rounding == Rounding::kDouble ? Intrinsic::kMultiplyByQuantizedMultiplierDouble
                                                     : Intrinsic::kMultiplyByQuantizedMultiplierSingle;
  const Expr e = Call(op, {x.e, Imm(m.multiplier), Imm(m.shift)});
  const double mag = static_cast<double>(std::max(std::llabs(x.r.lo), std::llabs(x.r.hi)));
  const double bound = std::ceil(mag * static_cast<double>(m.multiplier) * std::ldexp(1.0, m.shift - 31)) + 2;
  if (m.shift > 0 || bound >= 2147483647.0) return {e, TypeRange(ScalarType::kInt32)};
  return {e, {-static_cast<int64_t>(bound), static_cast<int64_t>(bound)}};
}

// One input's contribution: Requantize((x - zp) * 2^left_shift, m).
Ranged Contribution(const Expr& loaded, DType dtype, int32_t zp, const AddParams& p, const QuantizedMultiplier& m) {
  const Interval xr = DTypeRange(dtype);
  const Ranged centered{Sub(Cast(ScalarType::kInt32, loaded), Imm(zp)), {xr.lo - zp, xr.hi - zp}};
  const int64_t scale = int64_t{1} << p.left_shift;
  const Ranged shifted = CheckedMul(centered, {Imm(scale), {scale, scale}});
  return RescaleInput(shifted, m, p.rounding);
}

}  // namespace

Kernel LowerAdd(GroupLowerer& l) {
  const AddParams& p = std::get<AddParams>(l.anchor().attrs);
  Check(p.left_shift >= 0 && p.left_shift <= 30, "lowering: ADD left shift out of range");
  const Buffer in1 = l.Input(l.anchor().inputs[0], "input1");
  const Buffer in2 = l.Input(l.anchor().inputs[1], "input2");
  const Buffer out = l.Output();

  std::vector<Dim> dims;
  Expr index1, index2, out_index, channel;
  if (!p.broadcast) {
    int64_t size = 1;
    for (int32_t d : p.output_shape) size *= d;
    dims.push_back(MakeDim("i", size));
    index1 = index2 = out_index = dims[0].index;
    // Channel-dependent constants never occur here (ADD is per-tensor); the last axis is i % depth.
    channel = Imm(0);
  } else {
    index1 = index2 = Imm(0);
    std::vector<Expr> idx;
    for (size_t d = 0; d < p.output_shape.size(); ++d) {
      const Dim dim = MakeDim("i" + std::to_string(d), p.output_shape[d]);
      dims.push_back(dim);
      idx.push_back(dim.index);
      index1 = Add(index1, Mul(dim.index, Imm(p.input1_strides[d])));
      index2 = Add(index2, Mul(dim.index, Imm(p.input2_strides[d])));
    }
    out_index = FlatIndex(idx, p.output_shape);
    channel = idx.empty() ? Imm(0) : idx.back();
  }
  Ranged sum;
  if (p.method == AddParams::Method::kXnnpack) {
    // XNNPACK: bias + x1 * m1 + x2 * m2 on the raw stored values, in this order; the rounding shift to the
    // output is the epilogue's rounding_shift step.
    const Interval xr = DTypeRange(p.dtype);
    auto term = [&](const Buffer& in, const Expr& index, int32_t m) {
      return CheckedMul({Cast(ScalarType::kInt32, Load(in, index)), xr}, {Imm(m), {m, m}});
    };
    sum = SafeAdd(SafeAdd({Imm(p.xnn_bias), {p.xnn_bias, p.xnn_bias}}, term(in1, index1, p.xnn_multiplier1)),
                  term(in2, index2, p.xnn_multiplier2));
  } else {
    const Ranged a = Contribution(Load(in1, index1), p.dtype, p.input1_zero_point, p, p.input1_multiplier);
    const Ranged b = Contribution(Load(in2, index2), p.dtype, p.input2_zero_point, p, p.input2_multiplier);
    sum = SafeAdd(a, b);
  }
  const Stmt body = Store(out, out_index, l.Epilogue(sum, channel));
  std::string what = p.method == AddParams::Method::kXnnpack ? "xnnpack" : "rescale";
  if (p.broadcast) what += ", broadcast";
  return l.Finish(Nest(dims, body), what);
}

}  // namespace tinyfuse::loop::lowering
