// Reads a fuzz input as a stream of small decisions. Every byte sequence decodes to something: reads past
// the end return zeros, so truncating an input only truncates its tail of decisions. That keeps the
// structure-aware fuzzer's input space dense (no input is "invalid"), which libFuzzer's byte mutations
// and coverage feedback rely on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace tinyfuse::fuzz {

class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  bool empty() const { return pos_ >= size_; }
  size_t remaining() const { return empty() ? 0 : size_ - pos_; }

  uint8_t U8() { return empty() ? 0 : data_[pos_++]; }
  uint16_t U16() { return static_cast<uint16_t>(U8() | (U8() << 8)); }
  uint32_t U32() { return static_cast<uint32_t>(U16()) | (static_cast<uint32_t>(U16()) << 16); }
  int32_t I32() { return static_cast<int32_t>(U32()); }
  uint64_t U64() { return static_cast<uint64_t>(U32()) | (static_cast<uint64_t>(U32()) << 32); }
  float F32() {
    const uint32_t bits = U32();
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
  }
  bool Bool() { return (U8() & 1) != 0; }

  // An index in [0, n); 0 when n <= 0. One byte for n <= 256, two above.
  int Below(int n) {
    if (n <= 0) return 0;
    return n <= 256 ? U8() % n : U16() % n;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

}  // namespace tinyfuse::fuzz
