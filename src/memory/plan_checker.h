// Checks a plan of a Schedule independently of the planner that made it (it re-derives storage sharing
// from alias_of itself and compares every pair of buffers):
//  - one offset per buffer, each >= 0 and a multiple of the alignment, each buffer inside the total,
//    and the total a multiple of the alignment;
//  - a buffer with alias_of sits at the same offset as the buffer it names;
//  - two buffers of different storage groups alive at a common step do not overlap in address space
//    (zero-size buffers occupy nothing);
//  - the total is at least the floor with every alias honoured (ComputeFloor(s, AliasMode::kAll)).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "memory/schedule.h"

namespace tinyfuse::memory {

// Every problem found, one line each; empty when the plan is valid. Requires a valid schedule.
std::vector<std::string> CheckPlan(const Schedule& s, const std::vector<int64_t>& offsets,
                                   int64_t total, int64_t alignment);

// Throws tinyfuse::Error with the first problem (and the number of others).
void VerifyPlan(const Schedule& s, const std::vector<int64_t>& offsets, int64_t total,
                int64_t alignment);

}  // namespace tinyfuse::memory
