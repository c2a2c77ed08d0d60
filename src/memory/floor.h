// The floor: the most bytes that must be alive together at any one step, each storage group counted
// once at its full size. No plan of the schedule can use less arena than this. With
// AliasMode::kViewsOnly (the default) in-place outputs count as buffers of their own: that is the
// "no in-place reuse" floor reported for a model; with kAll in-place sharing is honoured too, which is
// the bound a plan of this schedule is checked against.
#pragma once

#include <cstdint>
#include <vector>

#include "memory/schedule.h"

namespace tinyfuse::memory {

struct Floor {
  int64_t bytes = 0;                // max over steps of live_bytes
  int step = -1;                    // first step reaching it (-1 for an empty schedule)
  std::vector<int64_t> live_bytes;  // per step
};

// Requires a valid schedule.
Floor ComputeFloor(const Schedule& s, AliasMode mode = AliasMode::kViewsOnly);

// The least total any plan honouring every alias can reach when offsets are multiples of `alignment`:
// at each step the live storage groups sit in disjoint intervals at aligned offsets, so every group but
// the topmost occupies its size rounded up to the alignment; and totals are multiples of the alignment
// (planner.h). Equals ComputeFloor(s, kAll) for alignment 1. Reaching it proves a plan optimal.
int64_t PlanLowerBound(const Schedule& s, int64_t alignment);

inline int64_t AlignUp(int64_t value, int64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

}  // namespace tinyfuse::memory
