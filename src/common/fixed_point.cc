#include "common/fixed_point.h"

#include <cmath>
#include <limits>

namespace tinyfuse {

QuantizedMultiplier QuantizeMultiplier(double real_multiplier) {
  QuantizedMultiplier r;
  if (real_multiplier == 0.0 || !std::isfinite(real_multiplier)) return r;
  int shift = 0;
  const double q = std::frexp(real_multiplier, &shift);
  int64_t q_fixed = static_cast<int64_t>(std::round(q * static_cast<double>(1LL << 31)));
  if (q_fixed == (1LL << 31)) {
    q_fixed /= 2;
    ++shift;
  }
  if (shift < -31) {
    shift = 0;
    q_fixed = 0;
  }
  r.multiplier = static_cast<int32_t>(q_fixed);
  r.shift = shift;
  return r;
}

int32_t SaturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  const bool overflow = a == b && a == std::numeric_limits<int32_t>::min();
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  const int64_t nudge = ab >= 0 ? (1LL << 30) : (1 - (1LL << 30));
  const int32_t high = static_cast<int32_t>((ab + nudge) / (1LL << 31));
  return overflow ? std::numeric_limits<int32_t>::max() : high;
}

int32_t RoundingDivideByPOT(int32_t x, int exponent) {
  if (exponent <= 0) return x;
  const int32_t mask = static_cast<int32_t>((1LL << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  // Arithmetic right shift of a negative value is implementation-defined in C++17 and defined in C++20.
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

int32_t WrappingShiftLeft(int32_t x, int left_shift) {
  if (left_shift <= 0) return x;
  if (left_shift >= 32) return 0;  // x * 2^k wraps to 0 modulo 2^32 for k >= 32
  return static_cast<int32_t>(static_cast<uint32_t>(x) << left_shift);
}

int32_t MultiplyByQuantizedMultiplierDouble(int32_t x, QuantizedMultiplier m) {
  const int left_shift = m.shift > 0 ? m.shift : 0;
  const int right_shift = m.shift > 0 ? 0 : -m.shift;
  return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(WrappingShiftLeft(x, left_shift), m.multiplier),
                             right_shift);
}

int32_t MultiplyByQuantizedMultiplierSingle(int32_t x, QuantizedMultiplier m) {
  const int total_shift = 31 - m.shift;  // 1..62 for shift in [-31, 30]
  const int64_t round = total_shift > 0 ? (1LL << (total_shift - 1)) : 0;
  int64_t result = static_cast<int64_t>(x) * static_cast<int64_t>(m.multiplier) + round;
  result = total_shift > 0 ? (result >> total_shift) : result;
  if (result > std::numeric_limits<int32_t>::max()) return std::numeric_limits<int32_t>::max();
  if (result < std::numeric_limits<int32_t>::min()) return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(result);
}

}  // namespace tinyfuse
