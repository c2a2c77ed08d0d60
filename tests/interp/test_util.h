// Helpers for the kernel tests of conv, depthwise conv, fully-connected, pooling and add: deterministic random
// data, one-op graphs run through the interpreter (directly and after a TFLite write/import round trip), and
// NAIVE reference arithmetic written from the definitions, independent of src/common/fixed_point and of the
// prepare structs, so that a test compares two separate implementations.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "common/splitmix64.h"
#include "graph/graph.h"
#include "graph/quantization.h"
#include "interp/interpreter.h"
#include "tflite/importer.h"
#include "tflite/writer.h"

namespace tinyfuse::testing {

// ---- Deterministic data ---------------------------------------------------------------------------------

class Rng : public SplitMix64 {
 public:
  using SplitMix64::SplitMix64;
  int32_t Uniform(int32_t lo, int32_t hi) {  // inclusive
    return lo + static_cast<int32_t>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  float Scale(float lo, float hi) { return lo + (hi - lo) * static_cast<float>(Next() % 1000000) / 1e6f; }
};

inline int32_t QMin(DType t) { return t == DType::kInt8 ? -128 : 0; }
inline int32_t QMax(DType t) { return t == DType::kInt8 ? 127 : 255; }

inline std::vector<uint8_t> RandomBytes(Rng& rng, size_t n, DType t) {
  std::vector<uint8_t> v(n);
  for (auto& b : v) b = static_cast<uint8_t>(rng.Uniform(QMin(t), QMax(t)));
  return v;
}
inline int32_t Get(const std::vector<uint8_t>& v, size_t i, DType t) {
  return t == DType::kInt8 ? static_cast<int32_t>(static_cast<int8_t>(v[i])) : static_cast<int32_t>(v[i]);
}
inline uint8_t Put(int32_t x) { return static_cast<uint8_t>(x); }

// ---- Running one op ------------------------------------------------------------------------------------

// Runs `g` (its ops in order) on `inputs` and returns output 0. With round_trip, also writes the graph as a
// .tflite, imports it back, runs that, and expects the same bytes.
inline std::vector<uint8_t> RunGraph(const Graph& g, Arith arith, const std::vector<std::vector<uint8_t>>& inputs,
                                bool round_trip = true) {
  Interpreter direct(g, arith);
  for (size_t i = 0; i < inputs.size(); ++i) direct.SetInput(static_cast<int>(i), inputs[i]);
  direct.Invoke();
  std::vector<uint8_t> out = direct.Output(0);
  if (round_trip) {
    const std::vector<uint8_t> file = WriteTflite(g);
    const Graph back = ImportTflite(file.data(), file.size());
    Interpreter again(back, arith);
    for (size_t i = 0; i < inputs.size(); ++i) again.SetInput(static_cast<int>(i), inputs[i]);
    again.Invoke();
    EXPECT_EQ(again.Output(0), out) << "the write/import round trip changed the result";
  }
  return out;
}

// Makes `g` a one-op graph: appends an op of `kind` on `inputs` and `outputs`; inputs[0] is the graph's
// only input (the other operands are constants) and outputs[0] its output.
inline void AddOnlyOp(Graph& g, OpKind kind, std::vector<int> inputs, std::vector<int> outputs, OpAttrs attrs = {}) {
  Op op;
  op.kind = kind;
  op.inputs = std::move(inputs);
  op.outputs = std::move(outputs);
  op.attrs = std::move(attrs);
  g.inputs = {op.inputs.at(0)};
  g.outputs = {op.outputs.at(0)};
  g.AddOp(std::move(op));
}

// Zero-tolerance comparison that reports the first differing element and the count.
inline ::testing::AssertionResult SameBytes(const std::vector<uint8_t>& got, const std::vector<uint8_t>& want,
                                            DType t) {
  if (got.size() != want.size()) {
    return ::testing::AssertionFailure() << "size " << got.size() << " vs " << want.size();
  }
  size_t first = got.size(), count = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    if (got[i] != want[i]) {
      if (first == got.size()) first = i;
      ++count;
    }
  }
  if (count == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << count << " of " << got.size() << " elements differ; first at " << first
                                       << ": got " << Get(got, first, t) << ", want " << Get(want, first, t);
}

// ---- Reference arithmetic, from the definitions ---------------------------------------------------------

// TFLite's QuantizeMultiplier: real = q * 2^shift with q in [0.5, 1), q * 2^31 rounded half away from zero;
// 2^31 becomes 2^30 with shift + 1; shift < -31 gives (0, 0).
struct RefMultiplier {
  int64_t q = 0;
  int shift = 0;
};
inline RefMultiplier RefQuantize(double real) {
  RefMultiplier m;
  if (real == 0.0) return m;
  int e = 0;
  const double frac = std::frexp(real, &e);
  int64_t q = static_cast<int64_t>(std::round(frac * 2147483648.0));
  if (q == (int64_t{1} << 31)) {
    q /= 2;
    ++e;
  }
  if (e < -31) return m;
  m.q = q;
  m.shift = e;
  return m;
}

// gemmlowp double rounding: high = (x << left) * q / 2^31 rounded to nearest with ties toward +infinity
// (SaturatingRoundingDoublingHighMul; q < 2^31 so it never saturates), then a right shift rounding half
// away from zero (RoundingDivideByPOT). The left shift wraps in 32 bits as the int32 code does.
inline int32_t RefDoubleRounding(int32_t x, RefMultiplier m) {
  const int left = m.shift > 0 ? m.shift : 0;
  const int right = m.shift > 0 ? 0 : -m.shift;
  const int32_t shifted = static_cast<int32_t>(static_cast<uint32_t>(x) << left);
  const int64_t prod = static_cast<int64_t>(shifted) * m.q;
  const int64_t high = (prod + (int64_t{1} << 30)) >> 31;  // floor(prod / 2^31 + 1/2)
  if (right == 0) return static_cast<int32_t>(high);
  const int64_t mag = high < 0 ? -high : high;
  const int64_t r = (mag + (int64_t{1} << (right - 1))) >> right;
  return static_cast<int32_t>(high < 0 ? -r : r);
}

// Single rounding: (x * q + 2^(n-1)) >> n with n = 31 - shift (floor shift, so ties round up).
inline int32_t RefSingleRounding(int32_t x, RefMultiplier m) {
  const int n = 31 - m.shift;
  const int64_t v = static_cast<int64_t>(x) * m.q + (int64_t{1} << (n - 1));
  const int64_t floor_div = v >= 0 ? v >> n : -((-v + (int64_t{1} << n) - 1) >> n);
  return static_cast<int32_t>(floor_div);
}

// XNNPACK's fp32 requantization: float(x) * scale in single precision, rounded half to even.
inline int32_t RefFloatRounding(int32_t x, float scale) {
  const float p = static_cast<float>(x) * scale;
  const float fl = std::floor(p);
  const float diff = p - fl;
  float r = fl;
  if (diff > 0.5f || (diff == 0.5f && std::fmod(fl, 2.0f) != 0.0f)) r = fl + 1.0f;
  return static_cast<int32_t>(r);
}

// The fused-activation clamp: the dtype range narrowed by zp + round_half_away(bound / scale) in float.
inline std::pair<int32_t, int32_t> RefActivationRange(Activation a, DType t, float scale, int32_t zp) {
  int32_t lo = QMin(t), hi = QMax(t);
  auto q = [&](float f) { return zp + static_cast<int32_t>(std::round(f / scale)); };
  if (a == Activation::kRelu || a == Activation::kRelu6) lo = std::max(lo, q(0.0f));
  if (a == Activation::kRelu6) hi = std::min(hi, q(6.0f));
  if (a == Activation::kReluN1To1) {
    lo = std::max(lo, q(-1.0f));
    hi = std::min(hi, q(1.0f));
  }
  return {lo, hi};
}

// Requantizes a conv-like accumulator the way `arith` does for a weight scale s_w: TFLite Micro's double
// rounding of the multiplier double(s_in) * double(s_w) / double(s_out) (legacy_product: the float product
// of FULLY_CONNECTED's per-tensor path), or TFLite-WASM's float requantization by s_in * s_w / s_out in float.
inline int32_t RefRequantize(int32_t acc, Arith arith, float s_in, float s_w, float s_out, bool legacy_product) {
  if (arith == Arith::kTflite) return RefFloatRounding(acc, s_in * s_w / s_out);
  const double real = legacy_product ? static_cast<double>(s_in * s_w) / static_cast<double>(s_out)
                                     : static_cast<double>(s_in) * static_cast<double>(s_w) / static_cast<double>(s_out);
  return RefDoubleRounding(acc, RefQuantize(real));
}

// Output size and leading padding of a window, straight from the SAME/VALID definitions.
inline int RefOutSize(Padding p, int in, int filter, int stride, int dilation) {
  const int eff = (filter - 1) * dilation + 1;
  return p == Padding::kSame ? (in + stride - 1) / stride : (in - eff) / stride + 1;
}
inline int RefPadBefore(Padding p, int in, int filter, int stride, int dilation) {
  if (p == Padding::kValid) return 0;
  const int eff = (filter - 1) * dilation + 1;
  const int out = RefOutSize(p, in, filter, stride, dilation);
  const int total = std::max(0, (out - 1) * stride + eff - in);
  return total / 2;
}

inline const char* DTypeLabel(DType t) { return t == DType::kInt8 ? "int8" : "uint8"; }

}  // namespace tinyfuse::testing
