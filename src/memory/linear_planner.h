// The oracle: every buffer gets a region of its own, one after the other in the order they were
// added, each at the next aligned offset. Never reuses memory, so it is trivially correct; every other
// planner must do at least as well.
#pragma once

#include "memory/planner.h"

namespace tinyfuse::memory {

class LinearPlanner : public MemoryPlanner {
 public:
  using MemoryPlanner::MemoryPlanner;
  const char* name() const override { return "linear"; }

 protected:
  std::vector<int64_t> Plan(const std::vector<BufferRequest>& requests) override;
};

}  // namespace tinyfuse::memory
