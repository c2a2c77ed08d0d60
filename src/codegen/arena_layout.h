// Where each tensor lives in the arena: the one thing the C emitter needs from memory planning. The
// driver fills it from the planner (memory/); SequentialLayout is the stand-in that gives every storage
// tensor, then every kernel's workspace, its own aligned region (no reuse).
#pragma once

#include <cstdint>
#include <map>

#include "loop/lowered_model.h"

namespace tinyfuse::codegen {

struct ArenaLayout {
  std::map<int, int64_t> offsets;  // storage tensor id -> byte offset (aliases are resolved by the model)
  // kernel index -> byte offset of that kernel's workspace (loop/workspace.h: its multi-element
  // Allocates), for every kernel whose workspace is not empty.
  std::map<int, int64_t> workspace_offsets;
  int64_t size = 0;                // bytes the arena must have
  int64_t alignment = 8;           // required alignment of the arena pointer (memory::kDefaultAlignment)

  // Offset of `tensor_id`'s storage; throws tinyfuse::Error when the layout has none.
  int64_t OffsetOf(const loop::LoweredModel& m, int tensor_id) const;
};

ArenaLayout SequentialLayout(const loop::LoweredModel& m, int64_t alignment = 8);

// Throws tinyfuse::Error unless every storage tensor and every kernel workspace of `m` has an aligned
// offset (a workspace: aligned to its largest element too) and fits in the arena.
// (Liveness overlaps are the planner's and its checker's business.)
void CheckLayout(const loop::LoweredModel& m, const ArenaLayout& layout);

}  // namespace tinyfuse::codegen
