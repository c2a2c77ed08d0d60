// splitmix64: a fixed, portable pseudo-random sequence, the same on every platform and compiler. The demo
// model's weights and the tests' deterministic data come from it.
#pragma once

#include <cstdint>

namespace tinyfuse {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

}  // namespace tinyfuse
