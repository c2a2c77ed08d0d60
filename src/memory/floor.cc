#include "memory/floor.h"

#include <algorithm>

namespace tinyfuse::memory {

Floor ComputeFloor(const Schedule& s, AliasMode mode) {
  Floor f;
  f.live_bytes.assign(static_cast<size_t>(s.num_steps), 0);
  const StorageMap map = BuildStorage(s, mode);
  for (const StorageGroup& g : map.groups) {
    for (int step = g.first_step; step <= g.last_step; ++step) {
      f.live_bytes[static_cast<size_t>(step)] += g.size;
    }
  }
  for (int step = 0; step < s.num_steps; ++step) {
    if (f.step < 0 || f.live_bytes[static_cast<size_t>(step)] > f.bytes) {
      f.bytes = f.live_bytes[static_cast<size_t>(step)];
      f.step = step;
    }
  }
  return f;
}

int64_t PlanLowerBound(const Schedule& s, int64_t alignment) {
  const StorageMap map = BuildStorage(s, AliasMode::kAll);
  std::vector<int64_t> rounded(static_cast<size_t>(s.num_steps), 0);
  std::vector<int64_t> max_pad(static_cast<size_t>(s.num_steps), 0);
  for (const StorageGroup& g : map.groups) {
    const int64_t up = AlignUp(g.size, alignment);
    for (int step = g.first_step; step <= g.last_step; ++step) {
      rounded[static_cast<size_t>(step)] += up;
      max_pad[static_cast<size_t>(step)] = std::max(max_pad[static_cast<size_t>(step)], up - g.size);
    }
  }
  int64_t bound = 0;
  for (int step = 0; step < s.num_steps; ++step) {
    bound = std::max(bound, rounded[static_cast<size_t>(step)] - max_pad[static_cast<size_t>(step)]);
  }
  return AlignUp(bound, alignment);
}

}  // namespace tinyfuse::memory
