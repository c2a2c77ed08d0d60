#include "common/fixed_point.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>

namespace tinyfuse {
namespace {

constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax = std::numeric_limits<int32_t>::max();

TEST(QuantizeMultiplier, HalfIsTwoToThirtyWithShiftZero) {
  const QuantizedMultiplier m = QuantizeMultiplier(0.5);
  EXPECT_EQ(m.multiplier, 1 << 30);
  EXPECT_EQ(m.shift, 0);
}

TEST(QuantizeMultiplier, MantissaRoundingUpToTwoPow31IsHalved) {
  // Just below 1.0: the mantissa rounds to 2^31, so it becomes 2^30 with shift + 1.
  const QuantizedMultiplier m = QuantizeMultiplier(std::nextafter(1.0, 0.0));
  EXPECT_EQ(m.multiplier, 1 << 30);
  EXPECT_EQ(m.shift, 1);
}

TEST(QuantizeMultiplier, ShiftBelowMinus31BecomesZero) {
  const QuantizedMultiplier m = QuantizeMultiplier(std::ldexp(0.75, -32));
  EXPECT_EQ(m.multiplier, 0);
  EXPECT_EQ(m.shift, 0);
  const QuantizedMultiplier k = QuantizeMultiplier(std::ldexp(0.75, -31));
  EXPECT_EQ(k.shift, -31);
  EXPECT_EQ(k.multiplier, 3 << 29);
}

TEST(QuantizeMultiplier, ZeroIsZero) {
  const QuantizedMultiplier m = QuantizeMultiplier(0.0);
  EXPECT_EQ(m.multiplier, 0);
  EXPECT_EQ(m.shift, 0);
}

TEST(Srdhm, SaturatesTheOnlyOverflow) {
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(kMin, kMin), kMax);
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(kMin, kMax), -kMax);
}

TEST(Srdhm, RoundsHalfAwayFromZero) {
  // a * b * 2 / 2^32 = 0.5 exactly -> 1 for positive, -1 for negative (nudge 1 - 2^30).
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(1 << 15, 1 << 15), 1);
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(-(1 << 15), 1 << 15), 0);
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(-(1 << 15) - 1, 1 << 15), -1);
}

TEST(RoundingDivideByPot, TiesAwayFromZero) {
  EXPECT_EQ(RoundingDivideByPOT(5, 1), 3);
  EXPECT_EQ(RoundingDivideByPOT(-5, 1), -3);
  EXPECT_EQ(RoundingDivideByPOT(4, 1), 2);
  EXPECT_EQ(RoundingDivideByPOT(-7, 2), -2);
  EXPECT_EQ(RoundingDivideByPOT(kMin, 31), -1);
  EXPECT_EQ(RoundingDivideByPOT(kMax, 31), 1);
  EXPECT_EQ(RoundingDivideByPOT(123, 0), 123);
}

TEST(MultiplyByQuantizedMultiplier, DoubleAndSingleRoundingDiffer) {
  // The goldens README's example kind: an exact value just past -94.5 rounds differently.
  const QuantizedMultiplier m{1 << 30, -1};  // 0.25
  EXPECT_EQ(MultiplyByQuantizedMultiplierDouble(-378, m), -95);  // -94.5: SRDHM gives -189, then /2 -> -95
  EXPECT_EQ(MultiplyByQuantizedMultiplierSingle(-378, m), -94);  // floor(-94.5 + 0.5)
  EXPECT_EQ(MultiplyByQuantizedMultiplierSingle(378, m), 95);
  EXPECT_EQ(MultiplyByQuantizedMultiplierDouble(378, m), 95);
}

TEST(MultiplyByQuantizedMultiplier, PositiveShiftWraps) {
  const QuantizedMultiplier m{1 << 30, 2};  // 2.0
  EXPECT_EQ(MultiplyByQuantizedMultiplierDouble(1000, m), 2000);
  EXPECT_EQ(MultiplyByQuantizedMultiplierSingle(1000, m), 2000);
}

}  // namespace
}  // namespace tinyfuse
