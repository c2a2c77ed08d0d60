// Fixed-point arithmetic shared by the interpreter and the compiler: the exact integer semantics of
// requantization as TFLite Micro and TFLite define them. These are arithmetic primitives, not op
// knowledge; the loop IR's intrinsics are defined by these functions and the C emitter prints C with the
// same results. All functions are free of undefined behaviour (no signed overflow, no negative shifts).
#pragma once

#include <cstdint>

namespace tinyfuse {

// A real multiplier M ~= multiplier * 2^(shift - 31), multiplier in [2^30, 2^31) or 0.
struct QuantizedMultiplier {
  int32_t multiplier = 0;
  int shift = 0;
};

// TFLite's QuantizeMultiplier: frexp, mantissa * 2^31 rounded half away from zero; a mantissa that rounds
// up to 2^31 is halved with shift+1; a shift below -31 yields multiplier 0 and shift 0.
QuantizedMultiplier QuantizeMultiplier(double real_multiplier);

// gemmlowp SaturatingRoundingDoublingHighMul: (a * b * 2 + 2^31 rounding) >> 32, saturating the single
// overflow case a == b == INT32_MIN.
int32_t SaturatingRoundingDoublingHighMul(int32_t a, int32_t b);

// gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero. 0 <= exponent <= 31.
int32_t RoundingDivideByPOT(int32_t x, int exponent);

// Two's-complement wrapping multiply by 2^left_shift (what int32 `x * (1 << s)` does on every target
// TFLite runs on), without signed overflow.
int32_t WrappingShiftLeft(int32_t x, int left_shift);

// TFLite Micro's MultiplyByQuantizedMultiplier (double rounding): left shift, SRDHM, rounding right shift.
int32_t MultiplyByQuantizedMultiplierDouble(int32_t x, QuantizedMultiplier m);

// TFLite's single-rounding MultiplyByQuantizedMultiplier: (x * multiplier + 2^(n-1)) >> n, n = 31 - shift,
// in 64 bits. The result is saturated to int32 (TFLite only DCHECKs it; saturating keeps us UB-free).
int32_t MultiplyByQuantizedMultiplierSingle(int32_t x, QuantizedMultiplier m);

inline int32_t Clamp(int32_t x, int32_t lo, int32_t hi) { return x < lo ? lo : (x > hi ? hi : x); }

}  // namespace tinyfuse
