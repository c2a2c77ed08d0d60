#include "graph/prepare/common.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/error.h"
#include "common/text.h"

namespace tinyfuse {

const char* RoundingName(Rounding r) {
  switch (r) {
    case Rounding::kDouble: return "double";
    case Rounding::kSingle: return "single";
    case Rounding::kFloat: return "float";
  }
  return "?";
}

int32_t RequantizeFloat(int32_t acc, float scale) {
  // IEEE single precision throughout: the int32 -> float conversion and the product each round to nearest
  // even, as XNNPACK's scalar kernels do; nearbyint rounds half to even in the default rounding mode.
  const float product = static_cast<float>(acc) * scale;
  const float rounded = std::nearbyint(product);
  if (!(rounded > -2147483648.0f)) return std::numeric_limits<int32_t>::min();
  if (rounded >= 2147483648.0f) return std::numeric_limits<int32_t>::max();
  return static_cast<int32_t>(rounded);
}

int32_t DTypeMin(DType t) {
  if (t == DType::kInt8) return -128;
  if (t == DType::kUInt8) return 0;
  throw Error(std::string("quantized ops need int8 or uint8 activations, got ") + DTypeName(t));
}

int32_t DTypeMax(DType t) {
  if (t == DType::kInt8) return 127;
  if (t == DType::kUInt8) return 255;
  throw Error(std::string("quantized ops need int8 or uint8 activations, got ") + DTypeName(t));
}

namespace {

// zp + round(f / scale) in float, as TFLite quantizes an activation bound.
int32_t QuantizeBound(float scale, int32_t zero_point, float f) {
  const float q = std::round(f / scale);
  Check(std::isfinite(q) && q >= static_cast<float>(std::numeric_limits<int32_t>::min()) &&
            q <= static_cast<float>(std::numeric_limits<int32_t>::max()),
        "activation bound " + std::to_string(f) + " does not fit int32 at output scale " + std::to_string(scale));
  return zero_point + static_cast<int32_t>(q);
}

}  // namespace

ActivationRange CalculateActivationRange(Activation act, DType dtype, const Quantization& output_quant) {
  ActivationRange r{DTypeMin(dtype), DTypeMax(dtype)};
  if (act == Activation::kNone) return r;
  Check(!output_quant.empty(), "a fused activation needs a quantized output");
  const float scale = output_quant.scale[0];
  const int32_t zp = output_quant.zp();
  switch (act) {
    case Activation::kNone:
      break;
    case Activation::kRelu:
      r.min = std::max(r.min, QuantizeBound(scale, zp, 0.0f));
      break;
    case Activation::kRelu6:
      r.min = std::max(r.min, QuantizeBound(scale, zp, 0.0f));
      r.max = std::min(r.max, QuantizeBound(scale, zp, 6.0f));
      break;
    case Activation::kReluN1To1:
      r.min = std::max(r.min, QuantizeBound(scale, zp, -1.0f));
      r.max = std::min(r.max, QuantizeBound(scale, zp, 1.0f));
      break;
  }
  return r;
}

int ComputeOutSize(Padding padding, int in_size, int filter_size, int stride, int dilation) {
  Check(stride > 0 && dilation > 0 && filter_size > 0, "window op: stride, dilation and filter size must be positive");
  const int effective = (filter_size - 1) * dilation + 1;
  return padding == Padding::kSame ? (in_size + stride - 1) / stride : (in_size + stride - effective) / stride;
}

int ComputePadding(int in_size, int filter_size, int stride, int dilation, int out_size) {
  const int effective = (filter_size - 1) * dilation + 1;
  const int total = (out_size - 1) * stride + effective - in_size;
  return total > 0 ? total / 2 : 0;
}

float TensorScale(const Tensor& t, const std::string& what) {
  Check(!t.quant.empty(), what + " (" + QuoteName(t.name) + ") has no quantization scale");
  return t.quant.scale[0];
}

std::string OpLabel(const Graph& g, const Op& op) {
  int index = op.source_index;
  if (!g.ops.empty() && &op >= &g.ops.front() && &op <= &g.ops.back()) index = static_cast<int>(&op - &g.ops.front());
  return std::string(OpName(op.kind)) + " #" + std::to_string(index);
}

void CheckActivationTensor(const Tensor& t, DType dtype, const std::string& what, const std::string& role) {
  Check(t.dtype == dtype, what + ": " + role + " " + QuoteName(t.name) + " is " + DTypeName(t.dtype) + ", expected " +
                              DTypeName(dtype));
  Check(!t.quant.empty() && !t.quant.per_channel() && t.quant.scale[0] > 0.0f,
        what + ": " + role + " " + QuoteName(t.name) + " needs per-tensor quantization with a positive scale");
  const int32_t zp = t.quant.zp();
  Check(zp >= DTypeMin(dtype) && zp <= DTypeMax(dtype),
        what + ": " + role + " " + QuoteName(t.name) + " zero point " + std::to_string(zp) + " is out of range");
}

Window2D PrepareWindow2D(const Tensor& input, const Tensor& output, int filter_h, int filter_w, Padding padding,
                         int stride_h, int stride_w, int dilation_h, int dilation_w, const std::string& what) {
  Check(input.rank() == 4 && output.rank() == 4, what + ": input and output must be rank 4 (NHWC)");
  Check(stride_h > 0 && stride_w > 0 && dilation_h > 0 && dilation_w > 0 && filter_h > 0 && filter_w > 0,
        what + ": strides, dilations and filter sizes must be positive");
  Window2D w;
  w.batches = input.dim(0);
  w.input_h = input.dim(1);
  w.input_w = input.dim(2);
  w.filter_h = filter_h;
  w.filter_w = filter_w;
  w.stride_h = stride_h;
  w.stride_w = stride_w;
  w.dilation_h = dilation_h;
  w.dilation_w = dilation_w;
  w.output_h = ComputeOutSize(padding, w.input_h, filter_h, stride_h, dilation_h);
  w.output_w = ComputeOutSize(padding, w.input_w, filter_w, stride_w, dilation_w);
  Check(w.output_h > 0 && w.output_w > 0, what + ": the window is larger than the input");
  Check(output.dim(0) == w.batches && output.dim(1) == w.output_h && output.dim(2) == w.output_w,
        what + ": output shape " + std::to_string(output.dim(0)) + "x" + std::to_string(output.dim(1)) + "x" +
            std::to_string(output.dim(2)) + " does not match the computed " + std::to_string(w.batches) + "x" +
            std::to_string(w.output_h) + "x" + std::to_string(w.output_w));
  w.pad_h = ComputePadding(w.input_h, filter_h, stride_h, dilation_h, w.output_h);
  w.pad_w = ComputePadding(w.input_w, filter_w, stride_w, dilation_w, w.output_w);
  return w;
}

QuantizedMultiplier ConvMultiplierPerChannelPath(float s_in, float s_w, float s_out) {
  return QuantizeMultiplier(static_cast<double>(s_in) * static_cast<double>(s_w) / static_cast<double>(s_out));
}

QuantizedMultiplier ConvMultiplierLegacyPath(float s_in, float s_w, float s_out) {
  const float product = s_in * s_w;
  return QuantizeMultiplier(static_cast<double>(product) / static_cast<double>(s_out));
}

Rounding ConvRounding(Arith arith) { return arith == Arith::kTflm ? Rounding::kDouble : Rounding::kFloat; }

bool CheckBias(const Graph& g, const Op& op, int output_channels, const std::string& what) {
  if (op.inputs.size() < 3 || op.inputs[2] < 0) return false;
  const Tensor& b = g.tensor(op.inputs[2]);
  Check(b.dtype == DType::kInt32, what + ": bias " + QuoteName(b.name) + " must be int32, got " + DTypeName(b.dtype));
  Check(b.num_elements() == output_channels, what + ": bias " + QuoteName(b.name) + " has " +
                                                 std::to_string(b.num_elements()) + " elements, expected " +
                                                 std::to_string(output_channels));
  return true;
}

ConvQuant PrepareConvQuant(const Tensor& input, const Tensor& filter, const Tensor& output, int channel_axis,
                           int channels, Activation activation, Arith arith, ConvMultiplierRule rule,
                           const std::string& what) {
  const DType dtype = input.dtype;
  Check(dtype == DType::kInt8 || dtype == DType::kUInt8,
        what + ": input " + QuoteName(input.name) + " is " + DTypeName(dtype) + ", only int8 and uint8 are supported");
  CheckActivationTensor(input, dtype, what, "input");
  CheckActivationTensor(output, dtype, what, "output");
  Check(filter.dtype == dtype, what + ": weights " + QuoteName(filter.name) + " are " + DTypeName(filter.dtype) +
                                   " but activations are " + DTypeName(dtype) + " (hybrid ops are not supported)");
  const Quantization& fq = filter.quant;
  Check(!fq.empty(), what + ": weights " + QuoteName(filter.name) + " are not quantized");
  for (float s : fq.scale) Check(s >= 0.0f, what + ": weights " + QuoteName(filter.name) + " have a negative scale");
  const bool per_channel = fq.per_channel();
  if (per_channel) {
    Check(dtype == DType::kInt8, what + ": per-channel weights must be int8");
    Check(static_cast<int>(fq.scale.size()) == channels && fq.axis == channel_axis,
          what + ": weights " + QuoteName(filter.name) + " have " + std::to_string(fq.scale.size()) +
              " scales on axis " + std::to_string(fq.axis) + ", expected " + std::to_string(channels) +
              " on axis " + std::to_string(channel_axis));
  }
  for (int64_t zp : fq.zero_point) {
    Check(dtype == DType::kUInt8 ? (zp >= 0 && zp <= 255) : zp == 0,
          what + ": weights " + QuoteName(filter.name) + " have zero point " + std::to_string(zp) +
              (dtype == DType::kInt8 ? ", int8 weights need 0" : ", out of the uint8 range"));
  }

  ConvQuant q;
  q.input_zero_point = input.quant.zp();
  q.filter_zero_point = dtype == DType::kUInt8 ? fq.zp() : 0;
  q.output_zero_point = output.quant.zp();
  const float s_in = input.quant.scale[0];
  const float s_out = output.quant.scale[0];
  const bool per_channel_path = rule == ConvMultiplierRule::kAlwaysPerChannelPath || per_channel;
  const size_t count = per_channel ? fq.scale.size() : 1;
  for (size_t c = 0; c < count; ++c) {
    const float s_w = fq.scale[c];
    q.multipliers.push_back(per_channel_path ? ConvMultiplierPerChannelPath(s_in, s_w, s_out)
                                             : ConvMultiplierLegacyPath(s_in, s_w, s_out));
    q.float_scales.push_back(s_in * s_w / s_out);  // float arithmetic, as XNNPACK computes it
  }
  q.rounding = ConvRounding(arith);
  if (q.rounding == Rounding::kFloat) {
    for (float f : q.float_scales) {
      if (!(f < 256.0f)) q.rounding = Rounding::kSingle;  // XNNPACK declines; TFLite's kernel runs
    }
  }
  q.act = CalculateActivationRange(activation, dtype, output.quant);
  return q;
}

}  // namespace tinyfuse
