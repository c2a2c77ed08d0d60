// Greedy planners: fix a placement order by a heuristic, then place each buffer at the lowest aligned
// offset free of the buffers already placed that are alive at the same time (PlaceInOrder). One pass,
// O(n * d log d) for n buffers with at most d alive together. Not optimal in general.
//   greedy-size       largest first (TFLite Micro's GreedyMemoryPlanner orders this way); ties: earlier
//                     first step, then handle.
//   greedy-conflicts  largest "pressure" first: own size plus the sizes of every buffer alive at some
//                     common step; ties as greedy-size.
//   greedy-breadth    steps from the most live bytes to the least; at each step, its not yet placed
//                     buffers largest first. The peak step is packed first, so the plan meets the floor
//                     there.
#pragma once

#include "memory/planner.h"

namespace tinyfuse::memory {

enum class GreedyOrder { kSize, kConflicts, kBreadth };

// The placement order each heuristic picks (a permutation of request indices).
std::vector<int> GreedyPlacementOrder(const std::vector<BufferRequest>& requests,
                                      const std::vector<std::vector<int>>& conflicts,
                                      GreedyOrder order);

class GreedyPlanner : public MemoryPlanner {
 public:
  explicit GreedyPlanner(GreedyOrder order, int64_t alignment = kDefaultAlignment)
      : MemoryPlanner(alignment), order_(order) {}
  const char* name() const override;

 protected:
  std::vector<int64_t> Plan(const std::vector<BufferRequest>& requests) override;

 private:
  GreedyOrder order_;
};

}  // namespace tinyfuse::memory
