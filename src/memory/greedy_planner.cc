#include "memory/greedy_planner.h"

#include <algorithm>
#include <numeric>

namespace tinyfuse::memory {

namespace {

// Larger key first; ties by earlier first step, then handle.
std::vector<int> OrderByKey(const std::vector<BufferRequest>& requests,
                            const std::vector<int64_t>& key) {
  std::vector<int> order(requests.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    const auto ua = static_cast<size_t>(a), ub = static_cast<size_t>(b);
    if (key[ua] != key[ub]) return key[ua] > key[ub];
    if (requests[ua].size != requests[ub].size) return requests[ua].size > requests[ub].size;
    if (requests[ua].first_step != requests[ub].first_step) {
      return requests[ua].first_step < requests[ub].first_step;
    }
    return a < b;
  });
  return order;
}

std::vector<int> BreadthOrder(const std::vector<BufferRequest>& requests) {
  int num_steps = 0;
  for (const BufferRequest& r : requests) num_steps = std::max(num_steps, r.last_step + 1);
  std::vector<int64_t> live(static_cast<size_t>(num_steps), 0);
  std::vector<std::vector<int>> at_step(static_cast<size_t>(num_steps));
  for (size_t i = 0; i < requests.size(); ++i) {
    for (int s = requests[i].first_step; s <= requests[i].last_step; ++s) {
      live[static_cast<size_t>(s)] += requests[i].size;
      at_step[static_cast<size_t>(s)].push_back(static_cast<int>(i));
    }
  }
  std::vector<int> steps(static_cast<size_t>(num_steps));
  std::iota(steps.begin(), steps.end(), 0);
  std::stable_sort(steps.begin(), steps.end(), [&](int a, int b) {
    return live[static_cast<size_t>(a)] > live[static_cast<size_t>(b)];
  });
  std::vector<int64_t> size_key(requests.size());
  for (size_t i = 0; i < requests.size(); ++i) size_key[i] = requests[i].size;
  const std::vector<int> by_size = OrderByKey(requests, size_key);
  std::vector<int> rank(requests.size());
  for (size_t k = 0; k < by_size.size(); ++k) rank[static_cast<size_t>(by_size[k])] = static_cast<int>(k);

  std::vector<int> order;
  std::vector<char> taken(requests.size(), 0);
  for (int s : steps) {
    std::vector<int>& here = at_step[static_cast<size_t>(s)];
    std::sort(here.begin(), here.end(), [&](int a, int b) {
      return rank[static_cast<size_t>(a)] < rank[static_cast<size_t>(b)];
    });
    for (int i : here) {
      if (taken[static_cast<size_t>(i)]) continue;
      taken[static_cast<size_t>(i)] = 1;
      order.push_back(i);
    }
  }
  return order;
}

}  // namespace

std::vector<int> GreedyPlacementOrder(const std::vector<BufferRequest>& requests,
                                      const std::vector<std::vector<int>>& conflicts,
                                      GreedyOrder order) {
  std::vector<int64_t> key(requests.size(), 0);
  switch (order) {
    case GreedyOrder::kSize:
      for (size_t i = 0; i < requests.size(); ++i) key[i] = requests[i].size;
      return OrderByKey(requests, key);
    case GreedyOrder::kConflicts:
      for (size_t i = 0; i < requests.size(); ++i) {
        key[i] = requests[i].size;
        for (int j : conflicts[i]) key[i] += requests[static_cast<size_t>(j)].size;
      }
      return OrderByKey(requests, key);
    case GreedyOrder::kBreadth:
      return BreadthOrder(requests);
  }
  return {};
}

const char* GreedyPlanner::name() const {
  switch (order_) {
    case GreedyOrder::kSize: return "greedy-size";
    case GreedyOrder::kConflicts: return "greedy-conflicts";
    case GreedyOrder::kBreadth: return "greedy-breadth";
  }
  return "greedy";
}

std::vector<int64_t> GreedyPlanner::Plan(const std::vector<BufferRequest>& requests) {
  const auto conflicts = BuildConflicts(requests);
  return PlaceInOrder(requests, conflicts, GreedyPlacementOrder(requests, conflicts, order_),
                      alignment());
}

}  // namespace tinyfuse::memory
