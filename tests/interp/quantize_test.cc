// QUANTIZE between 8-bit dtypes against a naive reference written here, tolerance zero.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "common/error.h"
#include "common/fixed_point.h"
#include "graph/graph.h"
#include "interp/interpreter.h"
#include "test_util.h"

namespace tinyfuse {
namespace {

struct Q {
  DType dtype;
  float scale;
  int32_t zp;
};

std::vector<uint8_t> RunQuantize(Q qin, Q qout, const std::vector<uint8_t>& x) {
  Graph g;
  const int n = static_cast<int>(x.size());
  const int in = g.AddActivation(qin.dtype, {1, n}, Quantization{{qin.scale}, {qin.zp}, 0});
  const int out = g.AddActivation(qout.dtype, {1, n}, Quantization{{qout.scale}, {qout.zp}, 0});
  testing::AddOnlyOp(g, OpKind::kQuantize, {in}, {out});
  return testing::RunGraph(g, Arith::kTflm, {x}, /*round_trip=*/false);
}

// Every byte value once.
std::vector<uint8_t> AllBytes() {
  std::vector<uint8_t> v(256);
  for (int i = 0; i < 256; ++i) v[static_cast<size_t>(i)] = static_cast<uint8_t>(i);
  return v;
}

int32_t Value(DType t, uint8_t b) { return t == DType::kInt8 ? static_cast<int8_t>(b) : b; }

// TFLM Requantize: (x - zp_in) * (s_in / s_out) with double rounding, + zp_out, clamped.
std::vector<uint8_t> Naive(Q qin, Q qout, const std::vector<uint8_t>& x) {
  const QuantizedMultiplier m = QuantizeMultiplier(double(qin.scale) / double(qout.scale));
  const int32_t lo = qout.dtype == DType::kInt8 ? -128 : 0;
  std::vector<uint8_t> y;
  for (uint8_t b : x) {
    const int32_t v = MultiplyByQuantizedMultiplierDouble(Value(qin.dtype, b) - qin.zp, m) + qout.zp;
    y.push_back(static_cast<uint8_t>(std::clamp(v, lo, lo + 255)));
  }
  return y;
}

void CheckCase(Q qin, Q qout) {
  const std::vector<uint8_t> x = AllBytes();
  const std::vector<uint8_t> got = RunQuantize(qin, qout, x);
  EXPECT_EQ(got, Naive(qin, qout, x));
  // Sanity: within one step of the real requantized value.
  for (size_t i = 0; i < x.size(); ++i) {
    const double real = qin.scale * (Value(qin.dtype, x[i]) - qin.zp);
    const int32_t lo = qout.dtype == DType::kInt8 ? -128 : 0;
    const double q = std::clamp(real / qout.scale + qout.zp, double(lo), double(lo + 255));
    EXPECT_NEAR(Value(qout.dtype, got[i]), q, 1.0) << "byte " << i;
  }
}

TEST(Quantize, Uint8ToInt8EqualScaleFlipsTheSignBit) {
  const Q in{DType::kUInt8, 0.00784313772f, 127}, out{DType::kInt8, 0.00784313772f, -1};
  const std::vector<uint8_t> got = RunQuantize(in, out, AllBytes());
  for (int i = 0; i < 256; ++i) EXPECT_EQ(got[static_cast<size_t>(i)], static_cast<uint8_t>(i ^ 0x80));
  CheckCase(in, out);
}

TEST(Quantize, Int8ToUint8EqualScaleFlipsTheSignBit) {
  const Q in{DType::kInt8, 0.00390625f, -128}, out{DType::kUInt8, 0.00390625f, 0};
  const std::vector<uint8_t> got = RunQuantize(in, out, AllBytes());
  for (int i = 0; i < 256; ++i) EXPECT_EQ(got[static_cast<size_t>(i)], static_cast<uint8_t>(i ^ 0x80));
  CheckCase(in, out);
}

TEST(Quantize, EqualScaleOtherZeroPointShift) {
  CheckCase({DType::kInt8, 0.1f, -5}, {DType::kUInt8, 0.1f, 100});  // zp differ by 105: general path, clamps
  CheckCase({DType::kUInt8, 0.1f, 0}, {DType::kInt8, 0.1f, 0});
}

TEST(Quantize, DifferentScalesBothDirections) {
  CheckCase({DType::kInt8, 0.05f, 3}, {DType::kUInt8, 0.07f, 120});
  CheckCase({DType::kUInt8, 0.07f, 120}, {DType::kInt8, 0.05f, 3});
  CheckCase({DType::kInt8, 0.05f, 3}, {DType::kInt8, 0.013f, -20});  // int8 -> int8 rescale, saturating
  CheckCase({DType::kUInt8, 0.5f, 10}, {DType::kUInt8, 1.5f, 200});
}

TEST(Quantize, RejectsInt32Input) {
  Graph g;
  const int in = g.AddActivation(DType::kInt32, {4}, Quantization{{1.0f}, {0}, 0});
  const int out = g.AddActivation(DType::kInt8, {4}, Quantization{{1.0f}, {0}, 0});
  Op op;
  op.kind = OpKind::kQuantize;
  op.inputs = {in};
  op.outputs = {out};
  g.AddOp(op);
  Interpreter interp(g, Arith::kTflm);
  EXPECT_THROW(interp.InvokeOp(0), Error);
}

}  // namespace
}  // namespace tinyfuse
