#include "memory/search_planner.h"

#include <algorithm>
#include <utility>

#include "memory/floor.h"
#include "memory/greedy_planner.h"

namespace tinyfuse::memory {

namespace {

// splitmix64: small, fast and the same on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int Below(int n) { return static_cast<int>(Next() % static_cast<uint64_t>(n)); }

 private:
  uint64_t state_;
};

struct Candidate {
  std::vector<int> order;
  std::vector<int64_t> offsets;
  int64_t total = 0;
};

Candidate Evaluate(const std::vector<BufferRequest>& requests,
                   const std::vector<std::vector<int>>& conflicts, std::vector<int> order,
                   int64_t alignment) {
  Candidate c;
  c.offsets = PlaceInOrder(requests, conflicts, order, alignment);
  c.total = PlanTotal(requests, c.offsets, alignment);
  c.order = std::move(order);
  return c;
}

Candidate BestGreedy(const std::vector<BufferRequest>& requests,
                     const std::vector<std::vector<int>>& conflicts, int64_t alignment) {
  Candidate best;
  bool first = true;
  for (GreedyOrder g : {GreedyOrder::kSize, GreedyOrder::kConflicts, GreedyOrder::kBreadth}) {
    Candidate c = Evaluate(requests, conflicts, GreedyPlacementOrder(requests, conflicts, g),
                           alignment);
    if (first || c.total < best.total) best = std::move(c);
    first = false;
  }
  return best;
}

// Index (in order) of a buffer whose end defines the total.
size_t TopPosition(const std::vector<BufferRequest>& requests, const Candidate& c,
                   int64_t alignment) {
  size_t pos = 0;
  for (size_t k = 0; k < c.order.size(); ++k) {
    const auto i = static_cast<size_t>(c.order[k]);
    if (requests[i].size > 0 && AlignUp(c.offsets[i] + requests[i].size, alignment) == c.total) {
      pos = k;
    }
  }
  return pos;
}

}  // namespace

int64_t RequestsLowerBound(const std::vector<BufferRequest>& requests, int64_t alignment) {
  int num_steps = 0;
  for (const BufferRequest& r : requests) num_steps = std::max(num_steps, r.last_step + 1);
  std::vector<int64_t> rounded(static_cast<size_t>(num_steps), 0);
  std::vector<int64_t> max_pad(static_cast<size_t>(num_steps), 0);
  for (const BufferRequest& r : requests) {
    const int64_t up = AlignUp(r.size, alignment);
    for (int s = r.first_step; s <= r.last_step; ++s) {
      rounded[static_cast<size_t>(s)] += up;
      max_pad[static_cast<size_t>(s)] = std::max(max_pad[static_cast<size_t>(s)], up - r.size);
    }
  }
  int64_t bound = 0;
  for (int s = 0; s < num_steps; ++s) {
    bound = std::max(bound, rounded[static_cast<size_t>(s)] - max_pad[static_cast<size_t>(s)]);
  }
  return AlignUp(bound, alignment);
}

std::vector<int64_t> HillClimbPlanner::Plan(const std::vector<BufferRequest>& requests) {
  const auto conflicts = BuildConflicts(requests);
  Candidate best = BestGreedy(requests, conflicts, alignment());
  const int n = static_cast<int>(requests.size());
  const int64_t bound = RequestsLowerBound(requests, alignment());
  if (n < 2 || best.total <= bound) return best.offsets;
  int iterations = options_.iterations;
  if (iterations <= 0) iterations = std::clamp(400 * n, 2000, 40000);
  Rng rng(options_.seed);
  Candidate cur = best;
  for (int it = 0; it < iterations && best.total > bound; ++it) {
    std::vector<int> order = cur.order;
    const int move = rng.Below(3);
    if (move == 0) {
      // Pull the buffer that ends highest earlier: it then finds a lower gap first.
      const int from = static_cast<int>(TopPosition(requests, cur, alignment()));
      if (from == 0) continue;
      const int to = rng.Below(from);
      std::rotate(order.begin() + to, order.begin() + from, order.begin() + from + 1);
    } else if (move == 1) {
      const int from = rng.Below(n), to = rng.Below(n);
      const int v = order[static_cast<size_t>(from)];
      order.erase(order.begin() + from);
      order.insert(order.begin() + to, v);
    } else {
      std::swap(order[static_cast<size_t>(rng.Below(n))], order[static_cast<size_t>(rng.Below(n))]);
    }
    Candidate next = Evaluate(requests, conflicts, std::move(order), alignment());
    if (next.total <= cur.total) {
      cur = std::move(next);
      if (cur.total < best.total) best = cur;
    }
  }
  return best.offsets;
}

namespace {

class BranchAndBound {
 public:
  BranchAndBound(const std::vector<BufferRequest>& requests, int64_t alignment, int64_t budget)
      : requests_(requests), alignment_(alignment), budget_(budget) {
    conflicts_ = BuildConflicts(requests);
    const size_t n = requests.size();
    conflict_.assign(n, std::vector<char>(n, 0));
    for (size_t i = 0; i < n; ++i) {
      for (int j : conflicts_[i]) conflict_[i][static_cast<size_t>(j)] = 1;
    }
    // Canonical rank: largest first, so good plans are found early.
    for (size_t i = 0; i < n; ++i) {
      if (requests[i].size > 0) candidates_.push_back(static_cast<int>(i));
    }
    std::stable_sort(candidates_.begin(), candidates_.end(), [&](int a, int b) {
      return requests[static_cast<size_t>(a)].size > requests[static_cast<size_t>(b)].size;
    });
    rank_.assign(n, 0);
    for (size_t k = 0; k < candidates_.size(); ++k) {
      rank_[static_cast<size_t>(candidates_[k])] = static_cast<int>(k);
    }
    offsets_.assign(n, 0);
    placed_.assign(n, 0);
  }

  // Returns true when the search completed (or hit the bound) within the budget.
  bool Run(std::vector<int64_t>* best_offsets, int64_t* best_total, int64_t bound) {
    best_offsets_ = *best_offsets;
    best_total_ = *best_total;
    bound_ = bound;
    Search(0, -1, 0);
    *best_offsets = best_offsets_;
    *best_total = best_total_;
    return !out_of_budget_;
  }
  int64_t nodes() const { return nodes_; }

 private:
  int64_t LowestFit(int i) const {
    std::vector<std::pair<int64_t, int64_t>> taken;
    for (int j : conflicts_[static_cast<size_t>(i)]) {
      if (!placed_[static_cast<size_t>(j)]) continue;
      taken.emplace_back(offsets_[static_cast<size_t>(j)],
                         offsets_[static_cast<size_t>(j)] + requests_[static_cast<size_t>(j)].size);
    }
    std::sort(taken.begin(), taken.end());
    int64_t candidate = 0;
    for (const auto& [begin, end] : taken) {
      if (candidate + requests_[static_cast<size_t>(i)].size <= begin) break;
      candidate = std::max(candidate, AlignUp(end, alignment_));
    }
    return candidate;
  }

  // Stops (returns true) when out of budget or the bound is reached.
  bool Search(size_t depth, int last, int64_t peak) {
    if (depth == candidates_.size()) {
      if (peak < best_total_) {
        best_total_ = peak;
        best_offsets_ = offsets_;
      }
      return best_total_ <= bound_;
    }
    for (int i : candidates_) {
      const auto ui = static_cast<size_t>(i);
      if (placed_[ui]) continue;
      // Neighbours alive at disjoint times commute: keep only the rank-ascending order.
      if (last >= 0 && !conflict_[static_cast<size_t>(last)][ui] &&
          rank_[ui] < rank_[static_cast<size_t>(last)]) {
        continue;
      }
      if (++nodes_ > budget_) {
        out_of_budget_ = true;
        return true;
      }
      const int64_t offset = LowestFit(i);
      const int64_t new_peak = std::max(peak, AlignUp(offset + requests_[ui].size, alignment_));
      if (new_peak >= best_total_) continue;
      offsets_[ui] = offset;
      placed_[ui] = 1;
      const bool stop = Search(depth + 1, i, new_peak);
      placed_[ui] = 0;
      if (stop) return true;
    }
    return false;
  }

  const std::vector<BufferRequest>& requests_;
  int64_t alignment_;
  int64_t budget_;
  std::vector<std::vector<int>> conflicts_;
  std::vector<std::vector<char>> conflict_;
  std::vector<int> candidates_;
  std::vector<int> rank_;
  std::vector<int64_t> offsets_;
  std::vector<char> placed_;
  std::vector<int64_t> best_offsets_;
  int64_t best_total_ = 0;
  int64_t bound_ = 0;
  int64_t nodes_ = 0;
  bool out_of_budget_ = false;
};

}  // namespace

std::vector<int64_t> ExactPlanner::Plan(const std::vector<BufferRequest>& requests) {
  const auto conflicts = BuildConflicts(requests);
  Candidate best = BestGreedy(requests, conflicts, alignment());
  const int64_t bound = RequestsLowerBound(requests, alignment());
  nodes_ = 0;
  if (best.total <= bound) {
    proven_optimal_ = true;
    return best.offsets;
  }
  BranchAndBound search(requests, alignment(), options_.node_budget);
  proven_optimal_ = search.Run(&best.offsets, &best.total, bound);
  nodes_ = search.nodes();
  return best.offsets;
}

}  // namespace tinyfuse::memory
