// Prepare of RESIZE_BILINEAR over NHWC, int8 or uint8. The output is a weighted sum of four input pixels
// (rows y0, y1 and columns x0, x1 of each output pixel); Prepare computes, once per output row and per
// output column, the two source indices and the weight of the second, in the fixed point of the method.
// No requantization: stored values are interpolated as they are (TFLite Micro ignores the quantization;
// for kXnnpack input and output quantization must be equal: the other case is unverified and rejected).
//
// kTflm (TFLite Micro's reference_ops::ResizeBilinearInteger, Q10):
//   scale = (1024 * in + out / 2) / out, or with align_corners and out > 1
//           (1024 * (in - 1) + (out - 1) / 2) / (out - 1)                    (integer division)
//   v = o * scale, or with half_pixel_centers o * scale + scale / 2 - 512;
//   i0 = max(v / 1024, 0) (division truncating toward zero), i1 = min((v + 1023) / 1024, in - 1),
//   w = v - 1024 * i0 (negative at the top/left border under half_pixel_centers, where i0 = i1);
//   acc = x(y0,x0)(1024-wy)(1024-wx) + x(y1,x0) wy (1024-wx) + x(y0,x1)(1024-wy) wx + x(y1,x1) wy wx,
//   out = (acc + (acc > 0 ? 2^19 : -2^19)) / 2^20, truncating (round half away from zero).
//   A size whose rounded scale would send i0 past the input (the reference reads outside it) is rejected.
// kXnnpack (TFLite-WASM's XNNPACK delegate: the resize-bilinear operator's Q11 indirection and the
//   u8/s8 ibilinear microkernels), with the delegate's flags: align_corners, else "TensorFlow legacy"
//   unless half_pixel_centers. In IEEE single precision, each operation rounded on its own:
//   scale = float(in - a) / float(out - a), a = 1 if align_corners and out > 1 else 0;
//   legacy or align_corners: c = float(o) * scale;
//   half pixel: c = clamp(float(o) * scale + (0.5f * scale - 0.5f), 0, in - 1);
//   i0 = int(c) (truncation), i1 = min(i0 + 1, in - 1), w = lrintf((c - float(i0)) * 2048) (ties to even);
//   t = x(y0,x0) * 2048 + (x(y0,x1) - x(y0,x0)) * wx;  b likewise on row y1;
//   out = (t * 2048 + (b - t) * wy + 2^21) >> 22       (arithmetic shift: floor).
#pragma once

#include <cstdint>
#include <vector>

#include "graph/graph.h"

namespace tinyfuse {

struct ResizeBilinearParams {
  enum class Method : uint8_t { kTflm, kXnnpack };
  Method method = Method::kTflm;
  DType dtype = DType::kInt8;
  int batches = 1, channels = 1;
  int input_h = 1, input_w = 1, output_h = 1, output_w = 1;
  // Per output row: source rows y0, y1 and the weight of y1 (Q10 for kTflm, Q11 for kXnnpack).
  std::vector<int32_t> y0, y1, wy;
  // Per output column: source columns x0, x1 and the weight of x1.
  std::vector<int32_t> x0, x1, wx;
  int one() const { return method == Method::kTflm ? 1024 : 2048; }  // the weights' unit
};
const char* ResizeBilinearMethodName(ResizeBilinearParams::Method m);  // "tflm", "xnnpack"

// kTflm for Arith::kTflm, kXnnpack for Arith::kTflite. Throws Error for a non-8-bit or mismatched dtype,
// a non-NHWC input, a non-constant or non-positive size, align_corners with half_pixel_centers, an output
// shape that differs from {N, size, C}, and (kTflm) a size the reference cannot run.
ResizeBilinearParams PrepareResizeBilinear(const Graph& g, const Op& op, Arith arith);

// The interpolation of one output value from its four source values (top-left, top-right, bottom-left,
// bottom-right) and the two weights, as the method computes it. Exact integer arithmetic (int64).
int32_t InterpolateBilinear(const ResizeBilinearParams& p, int32_t tl, int32_t tr, int32_t bl, int32_t br,
                            int32_t wy, int32_t wx);

}  // namespace tinyfuse
