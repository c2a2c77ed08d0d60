// The C emitter: prints a LoweredModel as PREFIX.h and PREFIX.c following the generated C contract of
// docs/DEVELOPING.md. It prints loop IR only; it knows no operator. Per model it emits
//   - every constant buffer as a `static const` array (flash),
//   - the intrinsics the kernels use as `static inline` helpers (codegen/c_intrinsics.h),
//   - one `static void PREFIX_<kernel>(...)` per kernel, taking its arena params as typed pointers,
//   - `int PREFIX_invoke(inputs..., outputs..., uint8_t *arena)`, which copies inputs in and outputs out
//     unless the caller's pointer already is the tensor's place in the arena, and calls the kernels.
// The same model and layout always give the same bytes. C99, <stdint.h> and <string.h> only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "codegen/arena_layout.h"
#include "loop/lowered_model.h"

namespace tinyfuse::codegen {

struct GeneratedC {
  std::string prefix;
  std::string header;  // contents of PREFIX.h
  std::string source;  // contents of PREFIX.c
  std::vector<loop::IoTensor> inputs, outputs;
  int64_t arena_size = 0;
  int64_t arena_alignment = 16;
};

// `prefix` must be a C identifier (letters, digits, underscores, not starting with a digit).
// Verifies every kernel (loop/verifier.h) and the layout first; throws tinyfuse::Error on a problem.
GeneratedC EmitC(const loop::LoweredModel& m, const ArenaLayout& layout, const std::string& prefix);

// Writes DIR/PREFIX.h and DIR/PREFIX.c (DIR must exist). Throws tinyfuse::Error when a write fails.
void WriteGeneratedC(const GeneratedC& c, const std::string& dir);

// A kernel alone as C (its constants, helpers and function), for reading and for tests.
std::string EmitKernelC(const loop::PrimFunc& f, const std::string& prefix);

}  // namespace tinyfuse::codegen
