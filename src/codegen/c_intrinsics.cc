#include "codegen/c_intrinsics.h"

#include <set>

namespace tinyfuse::codegen {

namespace {

// One C definition. `$` stands for the prefix (every helper is PREFIX_name).
struct Definition {
  const char* key;
  std::vector<const char*> deps;
  const char* text;
};

// In emission order: dependencies come first.
const std::vector<Definition>& Definitions() {
  static const std::vector<Definition> kDefs = {
      {"min", {}, "static inline int32_t $_min(int32_t a, int32_t b) { return a < b ? a : b; }\n"},
      {"max", {}, "static inline int32_t $_max(int32_t a, int32_t b) { return a > b ? a : b; }\n"},
      {"acle", {},
       "#if defined(__ARM_FEATURE_DSP) && defined(__ARM_FEATURE_SIMD32)\n"
       "#include <arm_acle.h>\n"
       "#define $_HAVE_DSP 1\n"
       "#else\n"
       "#define $_HAVE_DSP 0\n"
       "#endif\n"},
      {"clamp", {"acle"},
       "/* x clamped to [lo, hi]; the 8-bit ranges by one saturating instruction where the target has it. */\n"
       "static inline int32_t $_clamp(int32_t x, int32_t lo, int32_t hi) {\n"
       "#if $_HAVE_DSP && defined(__ARM_FEATURE_SAT)\n"
       "  if (lo == -128 && hi == 127) return __ssat(x, 8);\n"
       "  if (lo == 0 && hi == 255) return (int32_t)__usat(x, 8);\n"
       "#endif\n"
       "  return x < lo ? lo : (x > hi ? hi : x);\n"
       "}\n"},
      {"wrapping_add", {},
       "/* Two's-complement sum without signed overflow. */\n"
       "static inline int32_t $_wrapping_add(int32_t a, int32_t b) {\n"
       "  return (int32_t)((uint32_t)a + (uint32_t)b);\n"
       "}\n"},
      {"srdhm", {},
       "/* gemmlowp SaturatingRoundingDoublingHighMul: (ab + nudge) / 2^31 truncated, nudge = 2^30 for ab >= 0 and\n"
       "   1 - 2^30 below. For ab < 0 truncation is ceil, ceil((ab + 1 - 2^30) / 2^31) = floor((ab + 2^30) / 2^31),\n"
       "   so both cases are one arithmetic shift of ab + 2^30 (|ab| <= 2^62 - 2^31 here: no overflow). */\n"
       "static inline int32_t $_srdhm(int32_t a, int32_t b) {\n"
       "  if (a == b && a == INT32_MIN) return INT32_MAX;\n"
       "  return (int32_t)(((int64_t)a * (int64_t)b + ((int64_t)1 << 30)) >> 31);\n"
       "}\n"},
      {"rounding_divide_by_pot", {},
       "/* gemmlowp RoundingDivideByPOT: x / 2^exponent, ties away from zero; 0 <= exponent <= 31. */\n"
       "static inline int32_t $_rounding_divide_by_pot(int32_t x, int32_t exponent) {\n"
       "  const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);\n"
       "  const int32_t remainder = x & mask;\n"
       "  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);\n"
       "  return (x >> exponent) + (remainder > threshold ? 1 : 0);\n"
       "}\n"},
      {"mbqm_double", {"srdhm", "rounding_divide_by_pot"},
       "/* TFLite Micro MultiplyByQuantizedMultiplier (double rounding). x * 2^left wraps (to 0 from 32 on). */\n"
       "static inline int32_t $_mbqm_double(int32_t x, int32_t multiplier, int32_t shift) {\n"
       "  const int32_t left = shift > 0 ? shift : 0;\n"
       "  const int32_t right = shift > 0 ? 0 : -shift;\n"
       "  const int32_t shifted = left >= 32 ? 0 : (int32_t)((uint32_t)x << left);\n"
       "  return $_rounding_divide_by_pot($_srdhm(shifted, multiplier), right);\n"
       "}\n"},
      {"mbqm_single", {},
       "/* TFLite single-rounding MultiplyByQuantizedMultiplier, saturated to int32. */\n"
       "static inline int32_t $_mbqm_single(int32_t x, int32_t multiplier, int32_t shift) {\n"
       "  const int32_t total_shift = 31 - shift;\n"
       "  int64_t result = (int64_t)x * (int64_t)multiplier;\n"
       "  if (total_shift > 0) result = (result + ((int64_t)1 << (total_shift - 1))) >> total_shift;\n"
       "  if (result > INT32_MAX) return INT32_MAX;\n"
       "  if (result < INT32_MIN) return INT32_MIN;\n"
       "  return (int32_t)result;\n"
       "}\n"},
      {"requantize_float", {},
       "/* XNNPACK's fp32 requantization: round_half_to_even(float(acc) * scale), saturated to int32. Adding and\n"
       "   subtracting 2^23 rounds |x| < 2^23 to an integer in the default rounding mode (ties to even); larger\n"
       "   floats are integers already. Needs IEEE single precision without excess precision. */\n"
       "static inline int32_t $_requantize_float(int32_t acc, float scale) {\n"
       "  const float x = (float)acc * scale;\n"
       "  float r = x;\n"
       "  if (x >= 0.0f && x < 8388608.0f) {\n"
       "    r = (x + 8388608.0f) - 8388608.0f;\n"
       "  } else if (x < 0.0f && x > -8388608.0f) {\n"
       "    r = (x - 8388608.0f) + 8388608.0f;\n"
       "  }\n"
       "  if (!(r > -2147483648.0f)) return INT32_MIN;\n"
       "  if (r >= 2147483648.0f) return INT32_MAX;\n"
       "  return (int32_t)r;\n"
       "}\n"},
      {"f32_to_i32_trunc", {},
       "/* (int32_t)x without undefined behaviour: saturated, NaN -> INT32_MIN. */\n"
       "static inline int32_t $_f32_to_i32_trunc(float x) {\n"
       "  if (!(x > -2147483648.0f)) return INT32_MIN;\n"
       "  if (x >= 2147483648.0f) return INT32_MAX;\n"
       "  return (int32_t)x;\n"
       "}\n"},
      {"f32_to_i32_round", {"f32_to_i32_trunc"},
       "/* roundf(x) (half away from zero) as int32, saturated, without libm. */\n"
       "static inline int32_t $_f32_to_i32_round(float x) {\n"
       "  const int32_t t = $_f32_to_i32_trunc(x);\n"
       "  if (t == INT32_MIN || t == INT32_MAX) return t;\n"
       "  {\n"
       "    const float frac = x - (float)t; /* exact */\n"
       "    if (frac >= 0.5f) return t + 1;\n"
       "    if (frac <= -0.5f) return t - 1;\n"
       "  }\n"
       "  return t;\n"
       "}\n"},
      {"clz", {},
       "/* Leading zero bits of uint32(x); 32 for 0. */\n"
       "static inline int32_t $_clz(int32_t x) {\n"
       "  uint32_t u = (uint32_t)x;\n"
       "  int32_t n = 0;\n"
       "  if (u == 0) return 32;\n"
       "  while (!(u & 0x80000000u)) {\n"
       "    u <<= 1;\n"
       "    ++n;\n"
       "  }\n"
       "  return n;\n"
       "}\n"},
      {"wrapping_shl", {},
       "/* int32(uint32(x) << n) for n >= 0 (0 from n = 32 on): no left shift of a negative value. */\n"
       "static inline int32_t $_wrapping_shl(int32_t x, int32_t n) {\n"
       "  return n >= 32 ? 0 : (int32_t)((uint32_t)x << n);\n"
       "}\n"},
      {"saturating_shl", {},
       "/* x * 2^exponent saturated to int32, 1 <= exponent <= 30 (gemmlowp's threshold rule). */\n"
       "static inline int32_t $_saturating_shl(int32_t x, int32_t exponent) {\n"
       "  const int32_t threshold = (int32_t)(((int64_t)1 << (31 - exponent)) - 1);\n"
       "  if (x > threshold) return INT32_MAX;\n"
       "  if (x < -threshold) return INT32_MIN;\n"
       "  return (int32_t)((uint32_t)x << exponent);\n"
       "}\n"},
      {"one_over_one_plus_x", {"srdhm", "saturating_shl"},
       "/* gemmlowp one_over_one_plus_x_for_x_in_0_1: Newton-Raphson in Q2.29, three steps; Q0.31 in and out. */\n"
       "static inline int32_t $_one_over_one_plus_x(int32_t x) {\n"
       "  const int64_t s = (int64_t)x + (int64_t)INT32_MAX;\n"
       "  const int32_t half_denominator = (int32_t)((s + (s >= 0 ? 1 : -1)) / 2);\n"
       "  int32_t r = (int32_t)((uint32_t)1515870810 + (uint32_t)$_srdhm(half_denominator, -1010580540));\n"
       "  int i;\n"
       "  for (i = 0; i < 3; ++i) {\n"
       "    const int32_t one_minus = (int32_t)((uint32_t)(1 << 29) - (uint32_t)$_srdhm(half_denominator, r));\n"
       "    r = (int32_t)((uint32_t)r + (uint32_t)$_saturating_shl($_srdhm(r, one_minus), 2));\n"
       "  }\n"
       "  return $_saturating_shl(r, 1);\n"
       "}\n"},
      {"pack4", {},
       "/* Bytes 0..3 of an int32 from the low bytes of a, b, c, d. */\n"
       "static inline int32_t $_pack4(int32_t a, int32_t b, int32_t c, int32_t d) {\n"
       "  return (int32_t)(((uint32_t)a & 0xffu) | (((uint32_t)b & 0xffu) << 8) | (((uint32_t)c & 0xffu) << 16) |\n"
       "                   ((uint32_t)d << 24));\n"
       "}\n"},
      {"load4", {},
       "/* $_pack4 of the four bytes at p: one (unaligned) 32-bit load where the byte order allows it. */\n"
       "static inline int32_t $_load4(const void *p) {\n"
       "#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__\n"
       "  uint32_t v;\n"
       "  memcpy(&v, p, 4);\n"
       "  return (int32_t)v;\n"
       "#else\n"
       "  const uint8_t *b = (const uint8_t *)p;\n"
       "  return (int32_t)((uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24));\n"
       "#endif\n"
       "}\n"},
      {"sxtb16", {"acle"},
       "/* Lanes (bits 0-15, 16-31) = bytes 0 and 2 of x, sign-extended (SXTB16). */\n"
       "static inline int32_t $_sxtb16(int32_t x) {\n"
       "#if $_HAVE_DSP\n"
       "  return (int32_t)__sxtb16(x);\n"
       "#else\n"
       "  const uint32_t u = (uint32_t)x;\n"
       "  const int32_t lo = (int32_t)((u & 0xffu) ^ 0x80u) - 0x80;\n"
       "  const int32_t hi = (int32_t)(((u >> 16) & 0xffu) ^ 0x80u) - 0x80;\n"
       "  return (int32_t)(((uint32_t)lo & 0xffffu) | ((uint32_t)hi << 16));\n"
       "#endif\n"
       "}\n"},
      {"uxtb16", {"acle"},
       "/* Lanes = bytes 0 and 2 of x, zero-extended (UXTB16). */\n"
       "static inline int32_t $_uxtb16(int32_t x) {\n"
       "#if $_HAVE_DSP\n"
       "  return (int32_t)__uxtb16((uint32_t)x);\n"
       "#else\n"
       "  return (int32_t)((uint32_t)x & 0x00ff00ffu);\n"
       "#endif\n"
       "}\n"},
      {"sxtb16_ror8", {"acle", "sxtb16"},
       "/* Lanes = bytes 1 and 3 of x, sign-extended (SXTB16 of x rotated right by 8: one instruction). */\n"
       "static inline int32_t $_sxtb16_ror8(int32_t x) {\n"
       "#if $_HAVE_DSP && defined(__GNUC__)\n"
       "  int32_t r;\n"
       "  __asm__(\"sxtb16 %0, %1, ror #8\" : \"=r\"(r) : \"r\"(x));\n"
       "  return r;\n"
       "#else\n"
       "  return $_sxtb16((int32_t)((uint32_t)x >> 8));\n"
       "#endif\n"
       "}\n"},
      {"uxtb16_ror8", {"acle", "uxtb16"},
       "/* Lanes = bytes 1 and 3 of x, zero-extended (UXTB16 of x rotated right by 8: one instruction). */\n"
       "static inline int32_t $_uxtb16_ror8(int32_t x) {\n"
       "#if $_HAVE_DSP && defined(__GNUC__)\n"
       "  int32_t r;\n"
       "  __asm__(\"uxtb16 %0, %1, ror #8\" : \"=r\"(r) : \"r\"(x));\n"
       "  return r;\n"
       "#else\n"
       "  return $_uxtb16((int32_t)((uint32_t)x >> 8));\n"
       "#endif\n"
       "}\n"},
      {"add16", {"acle"},
       "/* Lane-wise int16 sum, each lane wrapping (SADD16). */\n"
       "static inline int32_t $_add16(int32_t a, int32_t b) {\n"
       "#if $_HAVE_DSP\n"
       "  return (int32_t)__sadd16(a, b);\n"
       "#else\n"
       "  const uint32_t ua = (uint32_t)a, ub = (uint32_t)b;\n"
       "  return (int32_t)(((ua + ub) & 0xffffu) | (((ua >> 16) + (ub >> 16)) << 16));\n"
       "#endif\n"
       "}\n"},
      {"smlad", {"acle"},
       "/* acc + a.lo * b.lo + a.hi * b.hi over int16 lanes, wrapping mod 2^32 (SMLAD). */\n"
       "static inline int32_t $_smlad(int32_t a, int32_t b, int32_t acc) {\n"
       "#if $_HAVE_DSP\n"
       "  return (int32_t)__smlad(a, b, acc);\n"
       "#else\n"
       "  const uint32_t ua = (uint32_t)a, ub = (uint32_t)b;\n"
       "  const int32_t alo = (int32_t)((ua & 0xffffu) ^ 0x8000u) - 0x8000, ahi = (int32_t)((ua >> 16) ^ 0x8000u) - 0x8000;\n"
       "  const int32_t blo = (int32_t)((ub & 0xffffu) ^ 0x8000u) - 0x8000, bhi = (int32_t)((ub >> 16) ^ 0x8000u) - 0x8000;\n"
       "  return (int32_t)((uint32_t)acc + (uint32_t)(alo * blo) + (uint32_t)(ahi * bhi));\n"
       "#endif\n"
       "}\n"},
      {"smlabb", {"acle"},
       "/* acc + a.lo * b.lo over int16 lanes, wrapping mod 2^32 (SMLABB). */\n"
       "static inline int32_t $_smlabb(int32_t a, int32_t b, int32_t acc) {\n"
       "#if $_HAVE_DSP\n"
       "  return (int32_t)__smlabb(a, b, acc);\n"
       "#else\n"
       "  const int32_t alo = (int32_t)(((uint32_t)a & 0xffffu) ^ 0x8000u) - 0x8000;\n"
       "  const int32_t blo = (int32_t)(((uint32_t)b & 0xffffu) ^ 0x8000u) - 0x8000;\n"
       "  return (int32_t)((uint32_t)acc + (uint32_t)(alo * blo));\n"
       "#endif\n"
       "}\n"},
      {"smlatt", {"acle"},
       "/* acc + a.hi * b.hi over int16 lanes, wrapping mod 2^32 (SMLATT). */\n"
       "static inline int32_t $_smlatt(int32_t a, int32_t b, int32_t acc) {\n"
       "#if $_HAVE_DSP\n"
       "  return (int32_t)__smlatt(a, b, acc);\n"
       "#else\n"
       "  const int32_t ahi = (int32_t)(((uint32_t)a >> 16) ^ 0x8000u) - 0x8000;\n"
       "  const int32_t bhi = (int32_t)(((uint32_t)b >> 16) ^ 0x8000u) - 0x8000;\n"
       "  return (int32_t)((uint32_t)acc + (uint32_t)(ahi * bhi));\n"
       "#endif\n"
       "}\n"},
  };
  return kDefs;
}

std::string Substitute(const char* text, const std::string& prefix) {
  std::string out;
  for (const char* p = text; *p; ++p) {
    if (*p == '$') {
      out += prefix;
    } else {
      out += *p;
    }
  }
  return out;
}

}  // namespace

std::string IntrinsicDefinitions(const std::vector<loop::Intrinsic>& used, const std::vector<CHelper>& helpers,
                                 const std::string& prefix) {
  std::set<std::string> wanted;
  for (loop::Intrinsic op : used) wanted.insert(loop::GetIntrinsicInfo(op).name);
  for (CHelper h : helpers) wanted.insert(h == CHelper::kMin ? "min" : h == CHelper::kMax ? "max" : "load4");
  // Close over dependencies (they are listed before their users, so one backward pass suffices).
  const std::vector<Definition>& defs = Definitions();
  for (auto it = defs.rbegin(); it != defs.rend(); ++it) {
    if (wanted.count(it->key)) wanted.insert(it->deps.begin(), it->deps.end());
  }
  std::string out;
  for (const Definition& d : defs) {
    if (wanted.count(d.key)) out += Substitute(d.text, prefix);
  }
  return out;
}

}  // namespace tinyfuse::codegen
