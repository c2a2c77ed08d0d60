// Packed 16-bit pair arithmetic: the exact semantics of the loop IR's DSP intrinsics (@pack4, @sxtb16,
// @uxtb16, @sxtb16_ror8, @uxtb16_ror8, @add16, @smlad,
// @smlabb, @smlatt; loop/ir.h), which the C emitter prints with Arm's ACLE DSP instructions where the
// target has them and as portable C elsewhere (codegen/c_intrinsics.cc), with these results in both cases.
// A pair is an int32 whose bits 0-15 and 16-31 are two int16 lanes. Free of undefined behaviour.
#pragma once

#include <cstdint>

namespace tinyfuse {

inline int32_t PairOf(int32_t lo, int32_t hi) {  // lanes keep the low 16 bits of lo and hi
  return static_cast<int32_t>((static_cast<uint32_t>(lo) & 0xffffu) | (static_cast<uint32_t>(hi) << 16));
}
inline int32_t PairLo(int32_t p) { return static_cast<int16_t>(static_cast<uint32_t>(p) & 0xffffu); }
inline int32_t PairHi(int32_t p) { return static_cast<int16_t>(static_cast<uint32_t>(p) >> 16); }

// Bytes 0..3 of the result are the low bytes of a, b, c, d.
inline int32_t Pack4(int32_t a, int32_t b, int32_t c, int32_t d) {
  return static_cast<int32_t>((static_cast<uint32_t>(a) & 0xffu) | ((static_cast<uint32_t>(b) & 0xffu) << 8) |
                              ((static_cast<uint32_t>(c) & 0xffu) << 16) | (static_cast<uint32_t>(d) << 24));
}
// SXTB16: bytes 0 and 2, sign-extended to the two lanes.
inline int32_t Sxtb16(int32_t x) {
  const uint32_t u = static_cast<uint32_t>(x);
  return PairOf(static_cast<int8_t>(u & 0xffu), static_cast<int8_t>((u >> 16) & 0xffu));
}
// UXTB16: bytes 0 and 2, zero-extended to the two lanes.
inline int32_t Uxtb16(int32_t x) { return static_cast<int32_t>(static_cast<uint32_t>(x) & 0x00ff00ffu); }
// SXTB16 with its operand rotated right by 8: bytes 1 and 3, sign-extended.
inline int32_t Sxtb16Ror8(int32_t x) { return Sxtb16(static_cast<int32_t>(static_cast<uint32_t>(x) >> 8)); }
// UXTB16 with its operand rotated right by 8: bytes 1 and 3, zero-extended.
inline int32_t Uxtb16Ror8(int32_t x) { return Uxtb16(static_cast<int32_t>(static_cast<uint32_t>(x) >> 8)); }
// SADD16: lane-wise sum, each lane wrapping mod 2^16.
inline int32_t Add16(int32_t a, int32_t b) { return PairOf(PairLo(a) + PairLo(b), PairHi(a) + PairHi(b)); }
// SMLAD: acc + a.lo * b.lo + a.hi * b.hi, wrapping mod 2^32 (the instruction's Q flag is not modelled).
inline int32_t Smlad(int32_t a, int32_t b, int32_t acc) {
  const int64_t s = static_cast<int64_t>(PairLo(a)) * PairLo(b) + static_cast<int64_t>(PairHi(a)) * PairHi(b);
  return static_cast<int32_t>(static_cast<uint32_t>(acc) + static_cast<uint32_t>(s));
}
// SMLABB: acc + a.lo * b.lo, wrapping mod 2^32 (Q flag not modelled).
inline int32_t Smlabb(int32_t a, int32_t b, int32_t acc) {
  return static_cast<int32_t>(static_cast<uint32_t>(acc) + static_cast<uint32_t>(PairLo(a) * PairLo(b)));
}
// SMLATT: acc + a.hi * b.hi, wrapping mod 2^32 (Q flag not modelled).
inline int32_t Smlatt(int32_t a, int32_t b, int32_t acc) {
  return static_cast<int32_t>(static_cast<uint32_t>(acc) + static_cast<uint32_t>(PairHi(a) * PairHi(b)));
}

}  // namespace tinyfuse
