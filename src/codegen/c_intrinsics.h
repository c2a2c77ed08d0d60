// C99 definitions of the loop IR's intrinsics and helpers, each a `static inline` function named
// PREFIX_name. Each definition computes exactly what common/fixed_point.h computes, without undefined
// behaviour: products are formed in int64, left shifts are done on uint32, and every narrowing is of a
// value that fits (or is implementation-defined two's complement, never UB). Right shifts of negative
// values are arithmetic on every compiler we target (gcc, clang, arm-none-eabi-gcc): implementation-
// defined in C99, like TFLite's own kernels assume.
#pragma once

#include <string>
#include <vector>

#include "loop/ir.h"

namespace tinyfuse::codegen {

// Helpers that are not IR intrinsics but that the emitter uses for IR operations.
// kLoad4: @pack4 of four consecutive bytes of one buffer, printed as one 32-bit read.
enum class CHelper { kMin, kMax, kLoad4 };

// The C text for the requested intrinsics and helpers (plus whatever they depend on), each once, in a
// fixed order, with `prefix` applied to every function name.
std::string IntrinsicDefinitions(const std::vector<loop::Intrinsic>& used, const std::vector<CHelper>& helpers,
                                 const std::string& prefix);

}  // namespace tinyfuse::codegen
