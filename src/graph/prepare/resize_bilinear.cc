#include "graph/prepare/resize_bilinear.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "common/error.h"
#include "common/text.h"
#include "graph/prepare/common.h"

namespace tinyfuse {

const char* ResizeBilinearMethodName(ResizeBilinearParams::Method m) {
  return m == ResizeBilinearParams::Method::kTflm ? "tflm" : "xnnpack";
}

namespace {

struct Axis {
  std::vector<int32_t> i0, i1, w;
};

// TFLite Micro's ComputeInterpolationValuesInteger along one axis (Q10).
Axis TflmAxis(int in, int out, bool align_corners, bool half_pixel, const std::string& what) {
  int64_t scale = ((int64_t{1} << 10) * in + out / 2) / out;
  if (align_corners && out > 1) scale = ((int64_t{1} << 10) * (in - 1) + (out - 1) / 2) / (out - 1);
  Axis a;
  for (int o = 0; o < out; ++o) {
    const int64_t v = half_pixel ? o * scale + scale / 2 - 512 : o * scale;
    Check(v <= INT32_MAX, what + ": the Q10 source coordinate overflows int32");
    const int64_t i0 = std::max<int64_t>(v / 1024, 0);  // C++ division truncates toward zero, as C
    const int64_t i1 = std::min<int64_t>((v + 1023) / 1024, in - 1);
    Check(i0 <= in - 1, what + ": output " + std::to_string(o) + " maps past the input (the reference reads outside it)");
    a.i0.push_back(static_cast<int32_t>(i0));
    a.i1.push_back(static_cast<int32_t>(i1));
    a.w.push_back(static_cast<int32_t>(v - 1024 * i0));
  }
  return a;
}

// XNNPACK's xnn_indirection_init_resize_bilinear2d_hwc_q11 along one axis. Every float operation is a
// separate statement of float type (no contraction into an FMA; the host compiles without -mfma).
Axis XnnpackAxis(int in, int out, bool align_corners, bool legacy) {
  const int adjust = align_corners && out != 1 ? 1 : 0;
  const float scale = static_cast<float>(in - adjust) / static_cast<float>(out - adjust);
  const float half_scale = 0.5f * scale;
  const float offset = half_scale - 0.5f;
  const float max_index = static_cast<float>(in - 1);
  Axis a;
  for (int o = 0; o < out; ++o) {
    float c = static_cast<float>(o) * scale;
    if (!(legacy || align_corners)) {
      c = c + offset;
      c = std::min(std::max(c, 0.0f), max_index);
    }
    const int32_t i0 = static_cast<int32_t>(c);
    const float alpha = c - static_cast<float>(i0);
    const float scaled = alpha * 2048.0f;
    a.i0.push_back(i0);
    a.i1.push_back(std::min(i0 + 1, in - 1));
    a.w.push_back(static_cast<int32_t>(std::nearbyint(scaled)));  // lrintf: the default rounding, to even
  }
  return a;
}

}  // namespace

ResizeBilinearParams PrepareResizeBilinear(const Graph& g, const Op& op, Arith arith) {
  const std::string what = OpLabel(g, op);
  Check(op.inputs.size() == 2 && op.outputs.size() == 1, what + ": needs an input, a size tensor and one output");
  const Tensor& in = g.tensor(op.inputs[0]);
  const Tensor& size = g.tensor(op.inputs[1]);
  const Tensor& out = g.tensor(op.outputs[0]);
  const auto* attrs = std::get_if<ResizeBilinearAttrs>(&op.attrs);
  Check(attrs != nullptr, what + ": options are missing");
  Check(in.dtype == DType::kInt8 || in.dtype == DType::kUInt8,
        what + ": input " + QuoteName(in.name) + " is " + DTypeName(in.dtype) + ", only int8 and uint8 are supported");
  Check(out.dtype == in.dtype, what + ": input and output dtypes differ");
  Check(in.rank() == 4 && out.rank() == 4, what + ": input and output must be NHWC (rank 4)");
  Check(size.is_const && size.dtype == DType::kInt32 && size.num_elements() == 2,
        what + ": the size must be a constant int32 tensor of two values");
  Check(!(attrs->align_corners && attrs->half_pixel_centers), what + ": align_corners and half_pixel_centers are both set");

  ResizeBilinearParams p;
  p.method = arith == Arith::kTflm ? ResizeBilinearParams::Method::kTflm : ResizeBilinearParams::Method::kXnnpack;
  p.dtype = in.dtype;
  p.batches = in.dim(0);
  p.input_h = in.dim(1);
  p.input_w = in.dim(2);
  p.channels = in.dim(3);
  p.output_h = size.ConstInt(0);
  p.output_w = size.ConstInt(1);
  Check(p.output_h >= 1 && p.output_w >= 1, what + ": the size must be positive");
  Check(out.shape == std::vector<int32_t>{p.batches, p.output_h, p.output_w, p.channels},
        what + ": the output shape differs from {batches, size, channels}");
  Check(p.input_h < (1 << 20) && p.input_w < (1 << 20) && p.output_h < (1 << 20) && p.output_w < (1 << 20),
        what + ": sizes of 2^20 or more are unsupported");
  // Unverified whether the XNNPACK delegate takes a resize whose output is quantized differently (TFLite's own
  // kernel would then run, and it is not implemented here): rejected rather than guessed.
  Check(p.method == ResizeBilinearParams::Method::kTflm ||
            (in.quant.scale == out.quant.scale && in.quant.zero_point == out.quant.zero_point),
        what + ": input and output quantization differ (the XNNPACK path needs them equal)");
  const bool ac = attrs->align_corners, hp = attrs->half_pixel_centers;
  Axis ya, xa;
  if (p.method == ResizeBilinearParams::Method::kTflm) {
    ya = TflmAxis(p.input_h, p.output_h, ac, hp, what);
    xa = TflmAxis(p.input_w, p.output_w, ac, hp, what);
  } else {
    ya = XnnpackAxis(p.input_h, p.output_h, ac, !ac && !hp);
    xa = XnnpackAxis(p.input_w, p.output_w, ac, !ac && !hp);
  }
  p.y0 = std::move(ya.i0);
  p.y1 = std::move(ya.i1);
  p.wy = std::move(ya.w);
  p.x0 = std::move(xa.i0);
  p.x1 = std::move(xa.i1);
  p.wx = std::move(xa.w);
  return p;
}

int32_t InterpolateBilinear(const ResizeBilinearParams& p, int32_t tl, int32_t tr, int32_t bl, int32_t br,
                            int32_t wy, int32_t wx) {
  if (p.method == ResizeBilinearParams::Method::kTflm) {
    const int64_t acc = int64_t{tl} * (1024 - wy) * (1024 - wx) + int64_t{bl} * wy * (1024 - wx) +
                        int64_t{tr} * (1024 - wy) * wx + int64_t{br} * wy * wx;
    const int64_t round = acc > 0 ? (1 << 19) : -(1 << 19);
    return static_cast<int32_t>((acc + round) / (1 << 20));
  }
  const int64_t t = int64_t{tl} * 2048 + int64_t{tr - tl} * wx;
  const int64_t b = int64_t{bl} * 2048 + int64_t{br - bl} * wx;
  const int64_t acc = t * 2048 + (b - t) * wy;
  return static_cast<int32_t>((acc + (1 << 21)) >> 22);  // arithmetic shift (C++20)
}

}  // namespace tinyfuse
