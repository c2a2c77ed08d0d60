#include "memory/linear_planner.h"

#include "memory/floor.h"

namespace tinyfuse::memory {

std::vector<int64_t> LinearPlanner::Plan(const std::vector<BufferRequest>& requests) {
  std::vector<int64_t> offsets;
  int64_t next = 0;
  for (const BufferRequest& r : requests) {
    offsets.push_back(next);
    next = AlignUp(next + r.size, alignment());
  }
  return offsets;
}

}  // namespace tinyfuse::memory
