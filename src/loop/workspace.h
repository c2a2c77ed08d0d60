// Per-kernel workspace, measured on the loop IR (never estimated from the op):
//  - scratch_bytes: the peak bytes of simultaneously live Allocates of more than one element: the kernel's
//    workspace, which the arena plan reserves during the kernel's step and the generated C addresses
//    there (never the stack). Allocates are placed like a stack: each at the first offset, aligned to its
//    element size, past the Allocates that enclose it; siblings reuse the same bytes. A one-element
//    Allocate is a scalar the C compiler keeps in a register (the accumulator of a conv); it is counted
//    in `scalars`, not in bytes.
//  - scratch_offsets: that placement, per multi-element Allocate (byte offset from the workspace start);
//    scratch_alignment: the largest element size among them (what the workspace start must be aligned to).
//  - input_bytes / output_bytes: the kernel's arena params (read-only inputs first, then outputs).
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "loop/ir.h"

namespace tinyfuse::loop {

struct KernelWorkspace {
  int64_t scratch_bytes = 0;
  std::map<const BufferNode*, int64_t> scratch_offsets;
  int64_t scratch_alignment = 1;
  int scalars = 0;                 // one-element Allocates
  int64_t largest_allocate = 0;    // bytes of the largest single Allocate (scalars included)
  std::vector<Buffer> allocations; // every Allocate, in program order
  int64_t input_bytes = 0;
  int64_t output_bytes = 0;
};

KernelWorkspace AnalyzeWorkspace(const PrimFunc& f);

}  // namespace tinyfuse::loop
