// Lowering of elementwise_read (QUANTIZE between 8-bit dtypes, or an 8-bit unary op whose producer could
// not take it as an epilogue, e.g. a graph input) with its epilogue into one flat loop:
//   out[i] = cast(clamp(MultiplyByQuantizedMultiplierDouble(x[i] - zp_in, m) + zp_out))   (QUANTIZE)
//   out[i] = table[x[i] - min]                                                            (unary op)
// or, when Prepare sets flip_sign_bit (m is exactly 1 and the zero points differ by 128 across int8 <->
// uint8), the byte with its sign bit flipped, written as x + 128 (int8 -> uint8) or x - 128 (uint8 ->
// int8): the same byte as x ^ 0x80, and what C compilers turn into one xor or add. The fast path is only
// taken when the group holds nothing after the QUANTIZE's own steps (a second, chained QUANTIZE goes
// through the general formula, which gives the same bytes).
// DEQUANTIZE is the same loop: its epilogue ends in dequantize (a float32 store) instead of a cast.
// quantize_float (QUANTIZE from float32) reads a float and rounds it as the reference does:
//   out[i] = cast(clamp(clamp(@f32_to_i32_round(x[i] / scale), qmin - zp, qmax - zp) + zp))
// one IEEE division, then roundf; the inner clamp keeps the add of zp from overflowing (see
// graph/prepare/quantize.h for infinities and NaN).
// In place: element i is read before element i is written and nothing else is read, so the output may
// share storage with the input when the input dies here (the memory planner decides).
#include "common/error.h"
#include "loop/lower_util.h"

namespace tinyfuse::loop::lowering {

Kernel LowerElementwise(GroupLowerer& l) {
  const int input = l.anchor().inputs[0];
  const DType dtype = l.graph().tensor(input).dtype;
  const Buffer in = l.Input(input, "input");
  const Buffer out = l.Output();
  const Dim i = MakeDim("i", l.graph().tensor(input).num_elements());
  const Expr x = Cast(ScalarType::kInt32, Load(in, i.index));

  const QuantizeParams* q = std::get_if<QuantizeParams>(&l.anchor().attrs);
  const bool flip = q != nullptr && q->flip_sign_bit && l.group().chained_anchor < 0;
  Expr value;
  if (flip) {
    Check(q->input_dtype != q->output_dtype, "lowering: flip_sign_bit between equal dtypes");
    const int64_t offset = q->input_dtype == DType::kInt8 ? 128 : -128;
    value = Cast(ToScalar(q->output_dtype), Add(x, Imm(offset)));
  } else {
    value = l.Epilogue({x, DTypeRange(dtype)}, Imm(0));
  }
  return l.Finish(Nest({i}, Store(out, i.index, value)), flip ? "flip sign bit" : "");
}

Kernel LowerQuantizeFloat(GroupLowerer& l) {
  const QuantizeParams& p = std::get<QuantizeParams>(l.anchor().attrs);
  const Buffer in = l.Input(l.anchor().inputs[0], "input");
  const Buffer out = l.Output();
  const Dim i = MakeDim("i", p.size);
  const Expr rounded = Call(Intrinsic::kFloatToInt32Round, {Div(Load(in, i.index), FloatImm(p.float_scale))});
  const Ranged v{Call(Intrinsic::kClamp, {rounded, Imm(p.round_min), Imm(p.round_max)}), {p.round_min, p.round_max}};
  return l.Finish(Nest({i}, Store(out, i.index, l.Epilogue(v, Imm(0)))), "");
}

}  // namespace tinyfuse::loop::lowering
