// Per-kernel workspace, measured on the loop IR (never estimated from the op):
//  - scratch_bytes: the peak bytes of simultaneously live Allocates of more than one element (stack
//    memory the kernel needs beyond the arena). A one-element Allocate is a scalar the C compiler keeps
//    in a register (the accumulator of a conv); it is counted in `scalars`, not in bytes.
//  - input_bytes / output_bytes: the kernel's arena params (read-only inputs first, then outputs).
#pragma once

#include <cstdint>
#include <vector>

#include "loop/ir.h"

namespace tinyfuse::loop {

struct KernelWorkspace {
  int64_t scratch_bytes = 0;
  int scalars = 0;                 // one-element Allocates
  int64_t largest_allocate = 0;    // bytes of the largest single Allocate (scalars included)
  std::vector<Buffer> allocations; // every Allocate, in program order
  int64_t input_bytes = 0;
  int64_t output_bytes = 0;
};

KernelWorkspace AnalyzeWorkspace(const PrimFunc& f);

}  // namespace tinyfuse::loop
