// Planners that search over placement orders (see planner.h: the order is the whole search space).
// Both start from the best of the three greedy orders and stop early when a plan reaches the lower
// bound (per step: the live sizes rounded up to the alignment, less the topmost one's padding), which
// proves it optimal.
//
//   hill-climb  local search: repeatedly move the buffer that ends highest to an earlier random
//               position, or move/swap random buffers, keeping changes that do not make the total
//               worse. Deterministic for a given seed. Not optimal in general.
//   exact       depth-first branch and bound over placement orders, pruning partial plans already as
//               high as the best found and orders that differ only by swapping neighbours alive at
//               disjoint times (their placements are identical). Optimal when it finishes within its
//               node budget (proven_optimal()); otherwise the best plan found so far. Meant for small
//               schedules: the search is exponential in the number of buffers.
#pragma once

#include <cstdint>

#include "memory/planner.h"

namespace tinyfuse::memory {

struct SearchOptions {
  int iterations = 0;                // hill-climb moves; 0: 400 per buffer, between 2,000 and 40,000
  uint64_t seed = 0x7417f05eULL;     // hill-climb random moves
  int64_t node_budget = 2'000'000;   // exact: placements tried before giving up on a proof
};

// Least total for `requests` at `alignment` (see above, rounded up to the alignment like every total);
// 0 without buffers.
int64_t RequestsLowerBound(const std::vector<BufferRequest>& requests, int64_t alignment);

class HillClimbPlanner : public MemoryPlanner {
 public:
  explicit HillClimbPlanner(int64_t alignment = kDefaultAlignment, SearchOptions options = {})
      : MemoryPlanner(alignment), options_(options) {}
  const char* name() const override { return "hill-climb"; }

 protected:
  std::vector<int64_t> Plan(const std::vector<BufferRequest>& requests) override;

 private:
  SearchOptions options_;
};

class ExactPlanner : public MemoryPlanner {
 public:
  explicit ExactPlanner(int64_t alignment = kDefaultAlignment, SearchOptions options = {})
      : MemoryPlanner(alignment), options_(options) {}
  const char* name() const override { return "exact"; }
  // After planning: whether the plan is proven optimal (search finished or reached the bound).
  bool proven_optimal() const { return proven_optimal_; }
  int64_t nodes() const { return nodes_; }

 protected:
  std::vector<int64_t> Plan(const std::vector<BufferRequest>& requests) override;

 private:
  SearchOptions options_;
  bool proven_optimal_ = false;
  int64_t nodes_ = 0;
};

}  // namespace tinyfuse::memory
