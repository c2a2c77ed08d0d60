// The float edges against naive references written here, tolerance zero:
//  QUANTIZE float32 -> int8: TFLite Micro's AffineQuantize, int32(roundf(x / scale)) + zp clamped, over
//    ties at .5 (exact with power-of-two scales), saturation, negative zero, subnormals, the largest floats
//    and infinities (NaN: the documented choice, the lowest code), for several per-tensor scales and zero
//    points; every case also through the .tflite writer and importer.
//  DEQUANTIZE int8/uint8 -> float32: float(double(scale) * (q - zp)) on every byte, for scales down to
//    subnormal results and up to overflow; and the single-precision product the lowering emits gives the
//    same bits.
//  The verifier and Prepare: float weights, float compute and bad quantization are one-line errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "common/error.h"
#include "graph/graph.h"
#include "graph/verifier.h"
#include "interp/interpreter.h"
#include "test_util.h"

namespace tinyfuse {
namespace {

std::vector<uint8_t> FloatBytes(const std::vector<float>& v) {
  std::vector<uint8_t> b(v.size() * 4);
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

std::vector<float> Floats(const std::vector<uint8_t>& b) {
  std::vector<float> v(b.size() / 4);
  std::memcpy(v.data(), b.data(), b.size());
  return v;
}

Graph QuantizeGraph(int n, float scale, int32_t zp) {
  Graph g;
  const int in = g.AddActivation(DType::kFloat32, {1, n}, {}, "x");
  const int out = g.AddActivation(DType::kInt8, {1, n}, Quantization{{scale}, {zp}, 0}, "q");
  testing::AddOnlyOp(g, OpKind::kQuantize, {in}, {out});
  return g;
}

Graph DequantizeGraph(DType dtype, int n, float scale, int32_t zp) {
  Graph g;
  const int in = g.AddActivation(dtype, {1, n}, Quantization{{scale}, {zp}, 0}, "q");
  const int out = g.AddActivation(DType::kFloat32, {1, n}, {}, "y");
  testing::AddOnlyOp(g, OpKind::kDequantize, {in}, {out});
  return g;
}

// AffineQuantize where the reference is defined (the quotient fits int32); beyond, and for the
// infinities, the saturation documented in graph/prepare/quantize.h.
int8_t NaiveQuantize(float x, float scale, int32_t zp) {
  const float quotient = x / scale;
  long r = 0;
  if (!(std::fabs(quotient) < 2147483648.0f)) {
    r = quotient > 0 ? 1L << 31 : -(1L << 31);
  } else {
    r = std::lround(quotient);  // half away from zero, as std::round
  }
  return static_cast<int8_t>(std::clamp<long>(r + zp, -128, 127));
}

std::vector<float> EdgeFloats(float scale) {
  std::vector<float> v = {0.0f, -0.0f, std::numeric_limits<float>::denorm_min(), -std::numeric_limits<float>::min(),
                          std::numeric_limits<float>::max(), -std::numeric_limits<float>::max(),
                          std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                          1e20f, -1e20f, 3e9f, -3e9f};
  for (int k = -140; k <= 140; ++k) {  // every tie k + 0.5 and its neighbours, through saturation
    const float tie = (static_cast<float>(k) + 0.5f) * scale;
    v.push_back(tie);
    v.push_back(std::nextafter(tie, 1e30f));
    v.push_back(std::nextafter(tie, -1e30f));
    v.push_back(static_cast<float>(k) * scale);
  }
  return v;
}

TEST(QuantizeFromFloat, MatchesAffineQuantizeOnEdges) {
  struct Case {
    float scale;
    int32_t zp;
  };
  for (const Case c : {Case{0.5f, 0}, Case{0.25f, -128}, Case{1.0f / 256, 127}, Case{0.0078125f, 5},
                       Case{0.1f, -3}, Case{0.003921569f, -128}, Case{1e-30f, 17}, Case{3.0e30f, -1}}) {
    const std::vector<float> x = EdgeFloats(c.scale);
    const Graph g = QuantizeGraph(static_cast<int>(x.size()), c.scale, c.zp);
    const std::vector<uint8_t> got = testing::RunGraph(g, Arith::kTflm, {FloatBytes(x)});
    for (size_t i = 0; i < x.size(); ++i) {
      EXPECT_EQ(static_cast<int8_t>(got[i]), NaiveQuantize(x[i], c.scale, c.zp))
          << "x=" << x[i] << " scale=" << c.scale << " zp=" << c.zp;
    }
  }
}

TEST(QuantizeFromFloat, TiesRoundAwayFromZero) {
  const Graph g = QuantizeGraph(4, 1.0f, 0);
  const std::vector<uint8_t> got = testing::RunGraph(g, Arith::kTflm, {FloatBytes({0.5f, -0.5f, 2.5f, -2.5f})});
  EXPECT_EQ(static_cast<int8_t>(got[0]), 1);
  EXPECT_EQ(static_cast<int8_t>(got[1]), -1);
  EXPECT_EQ(static_cast<int8_t>(got[2]), 3);
  EXPECT_EQ(static_cast<int8_t>(got[3]), -3);
}

TEST(QuantizeFromFloat, NanGivesTheLowestCode) {
  const Graph g = QuantizeGraph(2, 0.5f, 10);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<uint8_t> got = testing::RunGraph(g, Arith::kTflm, {FloatBytes({nan, -nan})});
  EXPECT_EQ(static_cast<int8_t>(got[0]), -128);
  EXPECT_EQ(static_cast<int8_t>(got[1]), -128);
}

TEST(Dequantize, MatchesReferenceOnEveryByte) {
  struct Case {
    DType dtype;
    float scale;
    int32_t zp;
  };
  for (const Case c : {Case{DType::kInt8, 0.00390625f, -128}, Case{DType::kInt8, 0.1f, 3}, Case{DType::kUInt8, 0.0235f, 128},
                       Case{DType::kUInt8, 1e-44f, 0}, Case{DType::kInt8, 3e38f, 0}, Case{DType::kInt8, 0.7f, 127}}) {
    std::vector<uint8_t> q(256);
    for (int i = 0; i < 256; ++i) q[static_cast<size_t>(i)] = static_cast<uint8_t>(i);
    const Graph g = DequantizeGraph(c.dtype, 256, c.scale, c.zp);
    const std::vector<float> got = Floats(testing::RunGraph(g, Arith::kTflm, {q}));
    for (int i = 0; i < 256; ++i) {
      const int32_t v = c.dtype == DType::kInt8 ? static_cast<int8_t>(i) : i;
      const float want = static_cast<float>(static_cast<double>(c.scale) * (v - c.zp));
      const float single = c.scale * static_cast<float>(v - c.zp);  // what the generated C computes
      uint32_t a, b, s;
      std::memcpy(&a, &got[static_cast<size_t>(i)], 4);
      std::memcpy(&b, &want, 4);
      std::memcpy(&s, &single, 4);
      EXPECT_EQ(a, b) << "q=" << v << " scale=" << c.scale;
      EXPECT_EQ(s, b) << "single-precision product differs: q=" << v << " scale=" << c.scale;
    }
  }
}

// The error of verifying or running `g`, "" when there is none.
std::string ErrorOf(const Graph& g) {
  try {
    VerifyGraph(g);
    Interpreter interp(g, Arith::kTflm);
    interp.Invoke();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(FloatEdges, FloatComputeIsRefusedNamingTheOp) {
  Graph g;
  const int in = g.AddActivation(DType::kFloat32, {1, 4}, {}, "x");
  const int shape = g.AddConstant(DType::kInt32, {2}, {}, BytesOf(std::vector<int32_t>{2, 2}), "shape");
  const int out = g.AddActivation(DType::kFloat32, {2, 2}, {}, "y");
  testing::AddOnlyOp(g, OpKind::kReshape, {in, shape}, {out});
  const std::string e = ErrorOf(g);
  EXPECT_NE(e.find("op 0 (RESHAPE): input 0"), std::string::npos) << e;
  EXPECT_NE(e.find("float compute is unsupported"), std::string::npos) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos);
}

TEST(FloatEdges, FloatWeightsAreRefused) {
  Graph g;
  const int in = g.AddActivation(DType::kInt8, {1, 4}, Quantization{{0.5f}, {0}, 0}, "x");
  const int w = g.AddConstant(DType::kFloat32, {2, 4}, {}, std::vector<uint8_t>(32, 0), "w");
  const int out = g.AddActivation(DType::kInt8, {1, 2}, Quantization{{0.5f}, {0}, 0}, "y");
  testing::AddOnlyOp(g, OpKind::kFullyConnected, {in, w}, {out}, FullyConnectedAttrs{});
  const std::string e = ErrorOf(g);
  EXPECT_NE(e.find("op 0 (FULLY_CONNECTED): input 1"), std::string::npos) << e;
  EXPECT_NE(e.find("float weights are unsupported"), std::string::npos) << e;
}

TEST(FloatEdges, QuantizeWithoutQuantizationIsRefused) {
  Graph g = QuantizeGraph(4, 0.5f, 0);
  g.tensor(g.outputs[0]).quant = {};
  const std::string e = ErrorOf(g);
  EXPECT_NE(e.find("QUANTIZE"), std::string::npos) << e;
  EXPECT_NE(e.find("quantization"), std::string::npos) << e;
}

TEST(FloatEdges, DequantizeWithoutQuantizationIsRefused) {
  Graph g = DequantizeGraph(DType::kInt8, 4, 0.5f, 0);
  g.tensor(g.inputs[0]).quant = {};
  const std::string e = ErrorOf(g);
  EXPECT_NE(e.find("quantization"), std::string::npos) << e;
}

TEST(FloatEdges, FloatToUint8QuantizeIsRefused) {
  Graph g = QuantizeGraph(4, 0.5f, 0);
  g.tensor(g.outputs[0]).dtype = DType::kUInt8;
  const std::string e = ErrorOf(g);
  EXPECT_NE(e.find("float32 input needs an int8 output"), std::string::npos) << e;
}

}  // namespace
}  // namespace tinyfuse
