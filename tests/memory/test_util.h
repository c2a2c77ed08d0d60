// Small helpers shared by the memory tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "memory/planner.h"
#include "memory/schedule.h"

namespace tinyfuse::memory::testing {

// A schedule of `steps` steps with activations given as {size, first, last}.
struct B {
  int64_t size;
  int first;
  int last;
};
Schedule MakeSchedule(int steps, const std::vector<B>& buffers);

// Runs a planner on plain requests; returns offsets and sets *total.
std::vector<int64_t> RunPlanner(MemoryPlanner* planner, const std::vector<B>& buffers,
                                int64_t* total);

}  // namespace tinyfuse::memory::testing
