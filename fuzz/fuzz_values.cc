#include "fuzz_values.h"

#include <cmath>
#include <iterator>
#include <limits>

#include "tflite/raw_model.h"

namespace tinyfuse::fuzz {

namespace {

constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();

// clang-format off
constexpr int32_t kInterestingInts[] = {
    0, 1, 2, 3, 4, 5, 7, 8, 16, 127, 128, 255, 256, -1, -2, -3, -128, -129, 46341, 65535, 65536,
    1 << 20, 1 << 24, 1 << 30, kInt32Max, kInt32Max - 1, kInt32Min, kInt32Min + 1};

constexpr int64_t kInterestingZeroPoints[] = {
    0, 1, -1, 127, -128, 128, -129, 255, 256, 65535, kInt32Max, int64_t{kInt32Max} + 1, kInt32Min,
    std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()};

constexpr float kInterestingFloats[] = {
    0.0f, -0.0f, 1.0f, -1.0f, 0.5f, 1.0f / 256, 1.0f / 255, 0.02f, 1e-3f, 1e-10f, 1e-20f, 1e-38f, 1e-45f,
    1e10f, 1e20f, 3e38f, std::numeric_limits<float>::max(), std::numeric_limits<float>::infinity(),
    -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN(), 2.0f, 65536.0f,
    4.656613e-10f /* 2^-31 */};

constexpr int kTypes[] = {
    tfl_type::kInt8, tfl_type::kUInt8, tfl_type::kInt16, tfl_type::kInt32, tfl_type::kFloat32,
    tfl_type::kFloat16, tfl_type::kInt64, tfl_type::kString, tfl_type::kBool, tfl_type::kComplex64,
    tfl_type::kFloat64, 11, 12, 15, 16, 17, 200};

constexpr int kCodes[] = {0,  1,  3,  4,  9,  17, 22, 25, 34, 39, 40, 114, 19, 20, 21, 41, 54, 55, 57, 98, 99,
                          2,  6,  18, 32, 126, 127, 128, 150, 205, -1};

constexpr int kOptionTypes[] = {
    tfl_options::kNone, tfl_options::kConv2D, tfl_options::kDepthwiseConv2D, tfl_options::kPool2D,
    tfl_options::kFullyConnected, tfl_options::kSoftmax, tfl_options::kAdd, tfl_options::kReshape,
    tfl_options::kPad, tfl_options::kTranspose, tfl_options::kReducer, tfl_options::kQuantize, tfl_options::kMul,
    tfl_options::kSub, tfl_options::kMaximumMinimum, tfl_options::kLeakyRelu, tfl_options::kSquaredDifference,
    3, 40, 126, 255};
// clang-format on

template <typename T, size_t N>
T Pick(ByteReader& r, const T (&table)[N]) {
  return table[r.Below(static_cast<int>(N))];
}

}  // namespace

int32_t AnyInt(ByteReader& r) {
  const uint8_t s = r.U8();
  if (s < 0x70) return kInterestingInts[s % std::size(kInterestingInts)];
  if (s < 0xe0) return static_cast<int32_t>(s & 0x1f) - 4;
  return r.I32();
}

int32_t AnyDim(ByteReader& r) {
  const uint8_t s = r.U8();
  if (s < 0xa0) return s % 17;
  if (s < 0xf0) return kInterestingInts[s % std::size(kInterestingInts)];
  return r.I32();
}

float AnyFloat(ByteReader& r) {
  const uint8_t s = r.U8();
  if (s < 0x80) return kInterestingFloats[s % std::size(kInterestingFloats)];
  if (s < 0xe0) return std::ldexp(1.0f + static_cast<float>(s & 7) / 8, -static_cast<int>(s % 24));
  return r.F32();
}

int64_t AnyZeroPoint(ByteReader& r) {
  const uint8_t s = r.U8();
  if (s < 0x80) return kInterestingZeroPoints[s % std::size(kInterestingZeroPoints)];
  if (s < 0xf0) return static_cast<int64_t>(s) - 0xb0;
  return static_cast<int64_t>(r.U64());
}

int32_t AnyTensorId(ByteReader& r, size_t n) {
  const uint8_t s = r.U8();
  if (s < 0xe0 && n > 0) return static_cast<int32_t>(r.Below(static_cast<int>(n)));
  if (s < 0xf0) return -1;
  if (s < 0xf8) return static_cast<int32_t>(n) + (s & 3);
  return r.I32();
}

int AnyTensorType(ByteReader& r) { return Pick(r, kTypes); }
int AnyOperatorCode(ByteReader& r) { return Pick(r, kCodes); }
int AnyOptionsType(ByteReader& r) { return Pick(r, kOptionTypes); }

}  // namespace tinyfuse::fuzz
