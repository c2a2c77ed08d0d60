// Shared pieces of per-op Prepare: the fused-activation clamp range, SAME/VALID padding and output size,
// the requantization rounding of each arithmetic flavour, and typed reads of int8/uint8 data.
//
// Prepare (src/graph/prepare/) computes, once per op and from the graph alone, every constant the op's
// arithmetic needs. The result is plain data: the interpreter evaluates it, the compiler prints it as C
// constants. Nothing here depends on buffers or on the interpreter.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/fixed_point.h"
#include "graph/graph.h"

namespace tinyfuse {

// How a 32-bit accumulator is scaled to the output.
//  kDouble: gemmlowp SaturatingRoundingDoublingHighMul then RoundingDivideByPOT (TFLite Micro's default).
//  kSingle: one 64-bit multiply, one rounding shift (TFLite's single-rounding kernels; kTflite uses it only
//           where XNNPACK declines an op).
//  kFloat:  XNNPACK's fp32 requantization: round_half_to_even(float(acc) * scale) in IEEE single
//           precision, with a float scale instead of a QuantizedMultiplier. TFLite-WASM, the engine of the
//           uint8 goldens, runs quantized CONV_2D/DEPTHWISE_CONV_2D/FULLY_CONNECTED through its default
//           XNNPACK delegate, which computes this (see ConvRounding). Run op by op on the in1 inputs of
//           person_detect, pretrainedResnet_quant, ad01_int8 and tf2_mobilenet_v2 (ops 0-62), TFLite-WASM
//           equals this flavour on every int8 output too.
enum class Rounding : uint8_t { kDouble, kSingle, kFloat };
const char* RoundingName(Rounding r);

// kDouble or kSingle requantization by a fixed-point multiplier (kFloat needs a float scale: see
// RequantizeFloat and RequantizeConv).
inline int32_t Requantize(int32_t acc, QuantizedMultiplier m, Rounding r) {
  return r == Rounding::kDouble ? MultiplyByQuantizedMultiplierDouble(acc, m)
                                : MultiplyByQuantizedMultiplierSingle(acc, m);
}

// XNNPACK's fp32 requantization: float(acc) * scale in IEEE single precision, rounded half to even, saturated
// to int32 (the callers clamp to 8 bits anyway).
int32_t RequantizeFloat(int32_t acc, float scale);

// Output clamp of a quantized op: the dtype's range narrowed by the fused activation.
struct ActivationRange {
  int32_t min = 0;
  int32_t max = 0;
};

// TFLite's CalculateActivationRangeQuantized: the activation bounds 0, 6, -1, 1 are quantized with the
// output's float scale as zp + round_half_away(float(bound) / scale) (float division), then intersected
// with the dtype's [qmin, qmax]. Throws for a dtype other than int8/uint8 or a bound that overflows int32.
ActivationRange CalculateActivationRange(Activation act, DType dtype, const Quantization& output_quant);

// Output size of a windowed op (TFLite ComputeOutSize): SAME ceil(in / stride), VALID
// floor((in - effective_filter) / stride) + 1 with effective_filter = (filter - 1) * dilation + 1.
int ComputeOutSize(Padding padding, int in_size, int filter_size, int stride, int dilation);

// Leading (top or left) padding as TFLite computes it: half of the total padding, rounded down; the
// extra element of an odd total goes to the trailing side. 0 for VALID in practice.
int ComputePadding(int in_size, int filter_size, int stride, int dilation, int out_size);

// Representable range of an 8-bit activation dtype; throws for other dtypes.
int32_t DTypeMin(DType t);
int32_t DTypeMax(DType t);

// The single scale of a per-tensor quantized tensor; throws naming `what` when it has none.
float TensorScale(const Tensor& t, const std::string& what);

// Element `index` of 8-bit data of dtype `t` (int8 sign-extended, uint8 zero-extended).
inline int32_t Load8(const uint8_t* data, DType t, int64_t index) {
  const uint8_t b = data[index];
  return t == DType::kInt8 ? static_cast<int32_t>(static_cast<int8_t>(b)) : static_cast<int32_t>(b);
}

// Element `index` of little-endian int32 data (biases), without unaligned access.
inline int32_t Load32(const uint8_t* data, int64_t index) {
  const uint8_t* p = data + 4 * index;
  return static_cast<int32_t>(static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
                              (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24));
}

// Stores a value already clamped into the dtype's range.
inline void Store8(uint8_t* data, int64_t index, int32_t v) { data[index] = static_cast<uint8_t>(v); }

// Checks shared by every op: 8-bit activations with per-tensor quantization, inputs and output of one
// dtype. `what` names the op in error messages, e.g. "CONV_2D #3".
std::string OpLabel(const Graph& g, const Op& op);
void CheckActivationTensor(const Tensor& t, DType dtype, const std::string& what, const std::string& role);

// Geometry of a 2-D window op (conv, depthwise conv, pooling) over NHWC tensors. Output pixel (y, x) tap
// (ky, kx) reads input row y * stride_h - pad_h + ky * dilation_h (likewise columns); taps outside the
// input are skipped (padding is a bounds test, never materialized).
struct Window2D {
  int batches = 0;
  int input_h = 0, input_w = 0;
  int output_h = 0, output_w = 0;
  int filter_h = 0, filter_w = 0;
  int stride_h = 1, stride_w = 1;
  int dilation_h = 1, dilation_w = 1;
  int pad_h = 0, pad_w = 0;  // leading (top, left) padding
};

// Computes the window from the rank-4 input and output and checks the output's batch, height and width
// against TFLite's ComputeOutSize. `what` names the op in errors.
Window2D PrepareWindow2D(const Tensor& input, const Tensor& output, int filter_h, int filter_w, Padding padding,
                         int stride_h, int stride_w, int dilation_h, int dilation_w, const std::string& what);

// Requantization of a conv-like op (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED):
//   acc = bias[c] + sum (x - input_zero_point) * (w - filter_zero_point)      (int32, wrapping)
//   out = clamp(Requantize(acc, multiplier(c), rounding) + output_zero_point, act.min, act.max)
struct ConvQuant {
  int32_t input_zero_point = 0;
  int32_t filter_zero_point = 0;  // nonzero only for uint8 weights
  int32_t output_zero_point = 0;
  // One entry (per-tensor weights) or one per output channel (per-channel weights). Used by kDouble and
  // kSingle.
  std::vector<QuantizedMultiplier> multipliers;
  // Same length as `multipliers`: XNNPACK's float requantization scale float(s_in * s_w / s_out), computed
  // in float as XNNPACK does. Used by kFloat.
  std::vector<float> float_scales;
  Rounding rounding = Rounding::kDouble;
  ActivationRange act;
  const QuantizedMultiplier& multiplier(int channel) const {
    return multipliers.size() == 1 ? multipliers[0] : multipliers[static_cast<size_t>(channel)];
  }
  float float_scale(int channel) const {
    return float_scales.size() == 1 ? float_scales[0] : float_scales[static_cast<size_t>(channel)];
  }
};

// The output of a conv-like op before the zero point and clamp: Requantize(acc, multiplier(c), rounding) for
// kDouble/kSingle, RequantizeFloat(acc, float_scale(c)) for kFloat.
inline int32_t RequantizeConv(const ConvQuant& q, int32_t acc, int channel) {
  return q.rounding == Rounding::kFloat ? RequantizeFloat(acc, q.float_scale(channel))
                                        : Requantize(acc, q.multiplier(channel), q.rounding);
}

// The whole epilogue of a conv-like op: requantize, add the output zero point (wrapping in two's complement,
// as the reference kernels' int32 add does on every target, without signed overflow), clamp to the
// activation range.
inline int32_t ConvOutput(const ConvQuant& q, int32_t acc, int channel) {
  const int32_t v = static_cast<int32_t>(static_cast<uint32_t>(RequantizeConv(q, acc, channel)) +
                                         static_cast<uint32_t>(q.output_zero_point));
  return v < q.act.min ? q.act.min : (v > q.act.max ? q.act.max : v);
}

// The two ways TFLite turns scales into a conv multiplier (QuantizeMultiplier of the real value):
//  per-channel path (TFLite's PopulateConvolutionQuantizationParams loop):
//    double(s_in) * double(s_w) / double(s_out);
//  legacy per-tensor path (TFLite's GetQuantizedConvolutionMultipler):
//    double(float(s_in * s_w)) / double(s_out)   (the product is rounded to float first).
// They differ in the last bits of the multiplier for almost every layer; see ConvMultiplierRule.
QuantizedMultiplier ConvMultiplierPerChannelPath(float s_in, float s_w, float s_out);
QuantizedMultiplier ConvMultiplierLegacyPath(float s_in, float s_w, float s_out);

// Rounding of conv-like requantization. kTflm: kDouble. kTflite: kFloat, what TFLite-WASM's XNNPACK delegate
// computes; evidence: on the uint8 goldens' in1 intermediates (6.7M conv/depthwise outputs) kSingle and
// kFloat both match every byte, but on in2 of mobilenet_v2_1.0_224_quant op 24 one output is 141.4999988
// exactly, kSingle gives 141 and TFLite-WASM 142 (float(11556) * scale is 141.5 in float, rounded to even);
// a synthetic conv whose outputs are exact .5 ties comes out rounded to even, in uint8 and int8 alike.
// XNNPACK refuses a requantization scale >= 256, and TFLite then runs its own kernel: kSingle (unverified).
Rounding ConvRounding(Arith arith);

// Which scale recipe a conv-like op uses for its multipliers:
//  kAlwaysPerChannelPath: CONV_2D, DEPTHWISE_CONV_2D, int8 and uint8 alike. TFLite Micro fills its
//      per-channel arrays this way even for per-tensor weights. (TFLite's own uint8 kernels use the legacy
//      scalar, but the uint8 goldens come from XNNPACK's float scale, see ConvRounding; the per-channel path
//      is the fixed-point multiplier closest to it: mobilenet_v1_0.25_128 op 2 has six outputs at 88.4999...
//      that the legacy multiplier rounds to 89 and the golden holds at 88.)
//  kByWeightGranularity:  FULLY_CONNECTED (TFLite Micro's fully_connected_common.cc): per-channel weights
//      -> per-channel path, per-tensor weights -> legacy path. The goldens cannot tell the two apart on
//      their 18 FULLY_CONNECTED ops; this follows the source.
enum class ConvMultiplierRule : uint8_t { kAlwaysPerChannelPath, kByWeightGranularity };

// Checks the dtypes and quantization of a conv-like op's input, weights (channels along `channel_axis`,
// `channels` of them) and output, and computes its ConvQuant. Accepted: int8 activations with int8 weights
// (per-tensor or per-channel, zero point 0) and uint8 activations with uint8 per-tensor weights (any zero
// point). Per-tensor weights give one multiplier.
ConvQuant PrepareConvQuant(const Tensor& input, const Tensor& filter, const Tensor& output, int channel_axis,
                           int channels, Activation activation, Arith arith, ConvMultiplierRule rule,
                           const std::string& what);

// Checks the optional bias (input 2): int32, one per output channel. Returns whether it is present.
bool CheckBias(const Graph& g, const Op& op, int output_channels, const std::string& what);

}  // namespace tinyfuse
