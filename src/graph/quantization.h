// Building Quantization records: one scale and zero point for a whole tensor, or one scale per channel along
// `axis` with zero points 0 (TFLite's int8 per-channel weights). For code that builds graphs by hand (the
// demo model, tests).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "graph/graph.h"

namespace tinyfuse {

inline Quantization PerTensor(float scale, int64_t zero_point) {
  Quantization q;
  q.scale = {scale};
  q.zero_point = {zero_point};
  return q;
}

inline Quantization PerChannel(std::vector<float> scales, int axis) {
  Quantization q;
  q.zero_point.assign(scales.size(), 0);
  q.scale = std::move(scales);
  q.axis = axis;
  return q;
}

}  // namespace tinyfuse
