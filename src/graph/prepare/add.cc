#include "graph/prepare/add.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <variant>

#include "common/error.h"
#include "common/text.h"

namespace tinyfuse {

// TFLite Micro's reference add rounds doubly. (tf2_mobilenet_v2_1.0_224_ptq op 28 on in1 has 15 outputs
// where single rounding gives another byte; the TFLite Micro golden holds the double-rounded ones.)
Rounding AddRounding(Arith /*arith*/) { return Rounding::kDouble; }

AddParams::Method AddMethod(Arith arith, float s1, float s2, float s_out) {
  if (arith == Arith::kTflm) return AddParams::Method::kRescale;
  const float r1 = s1 / s_out;
  const float r2 = s2 / s_out;
  const bool accepted = r1 >= 0x1.0p-10f && r2 >= 0x1.0p-10f && r1 < 0x1.0p+8f && r2 < 0x1.0p+8f;
  return accepted ? AddParams::Method::kXnnpack : AddParams::Method::kRescale;
}

namespace {

// TFLite's QuantizeMultiplierSmallerThanOneExp: QuantizeMultiplier of a multiplier below one.
QuantizedMultiplier SmallerThanOne(double real, const std::string& what) {
  const QuantizedMultiplier m = QuantizeMultiplier(real);
  Check(m.shift <= 0, what + ": rescale factor " + std::to_string(real) + " is not below one");
  return m;
}

std::string ShapeString(const std::vector<int32_t>& s) {
  std::string r = "[";
  // Appended piece by piece: `const char* + std::string` trips GCC 12's -Wrestrict false positive at -O3.
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0) r += ',';
    r += std::to_string(s[i]);
  }
  return r + "]";
}

// Strides of `in` along each dimension of `out_shape` (right-aligned), 0 where `in` is broadcast.
std::vector<int64_t> BroadcastStrides(const std::vector<int32_t>& in, const std::vector<int32_t>& out_shape,
                                      const std::string& what) {
  const size_t rank = out_shape.size();
  Check(in.size() <= rank, what + ": input rank exceeds the output's");
  std::vector<int64_t> strides(rank, 0);
  int64_t stride = 1;
  for (size_t k = 0; k < in.size(); ++k) {
    const size_t d_in = in.size() - 1 - k;
    const size_t d_out = rank - 1 - k;
    Check(in[d_in] == out_shape[d_out] || in[d_in] == 1,
          what + ": input shape " + ShapeString(in) + " does not broadcast to " + ShapeString(out_shape));
    strides[d_out] = in[d_in] == 1 ? 0 : stride;
    stride *= in[d_in];
  }
  return strides;
}

}  // namespace

BroadcastMaps MakeBroadcastMaps(const std::vector<int32_t>& in1, const std::vector<int32_t>& in2,
                                const std::vector<int32_t>& out, const std::string& what) {
  BroadcastMaps m;
  m.output_shape = out;
  m.input1_strides = BroadcastStrides(in1, out, what);
  m.input2_strides = BroadcastStrides(in2, out, what);
  for (size_t d = 0; d < out.size(); ++d) {
    Check(out[d] == 1 || m.input1_strides[d] != 0 || m.input2_strides[d] != 0,
          what + ": output shape " + ShapeString(out) + " is not the broadcast of its inputs");
  }
  m.broadcast = in1 != out || in2 != out;
  return m;
}

AddParams PrepareAdd(const Graph& g, const Op& op, Arith arith) {
  const std::string what = OpLabel(g, op);
  Check(op.kind == OpKind::kAdd, what + ": not an ADD");
  Check(op.inputs.size() == 2 && op.outputs.size() == 1 && op.inputs[0] >= 0 && op.inputs[1] >= 0,
        what + ": needs two inputs and one output");
  const auto* attrs = std::get_if<AddAttrs>(&op.attrs);
  Check(attrs != nullptr, what + ": missing add attributes");
  const Tensor& in1 = g.tensor(op.inputs[0]);
  const Tensor& in2 = g.tensor(op.inputs[1]);
  const Tensor& out = g.tensor(op.outputs[0]);
  Check(out.dtype == DType::kInt8 || out.dtype == DType::kUInt8,
        what + ": output " + QuoteName(out.name) + " is " + DTypeName(out.dtype) + ", only int8 and uint8 are supported");
  CheckActivationTensor(in1, out.dtype, what, "input 1");
  CheckActivationTensor(in2, out.dtype, what, "input 2");
  CheckActivationTensor(out, out.dtype, what, "output");

  AddParams p;
  p.dtype = out.dtype;
  BroadcastMaps maps = MakeBroadcastMaps(in1.shape, in2.shape, out.shape, what);
  p.output_shape = std::move(maps.output_shape);
  p.input1_strides = std::move(maps.input1_strides);
  p.input2_strides = std::move(maps.input2_strides);
  p.broadcast = maps.broadcast;
  p.input1_zero_point = in1.quant.zp();
  p.input2_zero_point = in2.quant.zp();
  p.output_zero_point = out.quant.zp();
  p.left_shift = 20;
  const float s1 = in1.quant.scale[0];
  const float s2 = in2.quant.scale[0];
  const float s_out = out.quant.scale[0];
  const double twice_max = 2.0 * static_cast<double>(std::max(s1, s2));
  p.input1_multiplier = SmallerThanOne(static_cast<double>(s1) / twice_max, what);
  p.input2_multiplier = SmallerThanOne(static_cast<double>(s2) / twice_max, what);
  p.output_multiplier =
      SmallerThanOne(twice_max / (static_cast<double>(1 << p.left_shift) * static_cast<double>(s_out)), what);
  p.rounding = AddRounding(arith);
  p.method = AddMethod(arith, s1, s2, s_out);
  if (p.method == AddParams::Method::kXnnpack) {
    const float r1 = s1 / s_out;
    const float r2 = s2 / s_out;
    // The exponent of the larger ratio fixes the shift so that its multiplier has 21 bits.
    const int exponent = std::ilogb(std::max(r1, r2));
    p.xnn_shift = 20 - exponent;
    p.xnn_multiplier1 = static_cast<int32_t>(std::nearbyint(std::ldexp(r1, p.xnn_shift)));
    p.xnn_multiplier2 = static_cast<int32_t>(std::nearbyint(std::ldexp(r2, p.xnn_shift)));
    p.xnn_bias = -(p.xnn_multiplier1 * p.input1_zero_point + p.xnn_multiplier2 * p.input2_zero_point);
  }
  p.act = CalculateActivationRange(attrs->activation, p.dtype, out.quant);
  return p;
}

}  // namespace tinyfuse
