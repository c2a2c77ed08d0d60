#include "memory/planner.h"

#include <algorithm>
#include <string>
#include <utility>

#include "common/error.h"
#include "memory/floor.h"

namespace tinyfuse::memory {

MemoryPlanner::MemoryPlanner(int64_t alignment) : alignment_(alignment) {
  Check(alignment >= 1, "memory alignment must be at least 1, got " + std::to_string(alignment));
}

int MemoryPlanner::AddBuffer(int64_t size, int first_step, int last_step) {
  Check(size >= 0, "planner buffer with negative size " + std::to_string(size));
  Check(first_step >= 0 && first_step <= last_step,
        "planner buffer with bad lifetime [" + std::to_string(first_step) + ", " +
            std::to_string(last_step) + "]");
  requests_.push_back({size, first_step, last_step});
  planned_ = false;
  return static_cast<int>(requests_.size()) - 1;
}

void MemoryPlanner::EnsurePlanned() {
  if (planned_) return;
  offsets_ = Plan(requests_);
  Check(offsets_.size() == requests_.size(),
        std::string("planner ") + name() + " returned the wrong number of offsets");
  planned_ = true;
}

int64_t MemoryPlanner::GetOffset(int handle) {
  Check(handle >= 0 && handle < num_buffers(),
        "planner has no buffer " + std::to_string(handle));
  EnsurePlanned();
  return offsets_[static_cast<size_t>(handle)];
}

int64_t MemoryPlanner::GetTotal() {
  EnsurePlanned();
  return PlanTotal(requests_, offsets_, alignment_);
}

std::vector<std::vector<int>> BuildConflicts(const std::vector<BufferRequest>& requests) {
  const int n = static_cast<int>(requests.size());
  std::vector<std::vector<int>> conflicts(static_cast<size_t>(n));
  // Sweep in order of first step: only requests starting before a's end can overlap it.
  std::vector<int> by_first(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) by_first[static_cast<size_t>(i)] = i;
  std::stable_sort(by_first.begin(), by_first.end(), [&](int a, int b) {
    return requests[static_cast<size_t>(a)].first_step < requests[static_cast<size_t>(b)].first_step;
  });
  for (size_t x = 0; x < by_first.size(); ++x) {
    const int a = by_first[x];
    const BufferRequest& ra = requests[static_cast<size_t>(a)];
    if (ra.size == 0) continue;
    for (size_t y = x + 1; y < by_first.size(); ++y) {
      const int b = by_first[y];
      const BufferRequest& rb = requests[static_cast<size_t>(b)];
      if (rb.first_step > ra.last_step) break;
      if (rb.size == 0) continue;
      conflicts[static_cast<size_t>(a)].push_back(b);
      conflicts[static_cast<size_t>(b)].push_back(a);
    }
  }
  return conflicts;
}

std::vector<int64_t> PlaceInOrder(const std::vector<BufferRequest>& requests,
                                  const std::vector<std::vector<int>>& conflicts,
                                  const std::vector<int>& order, int64_t alignment) {
  const size_t n = requests.size();
  std::vector<int64_t> offsets(n, 0);
  std::vector<char> placed(n, 0);
  std::vector<std::pair<int64_t, int64_t>> taken;  // [offset, end) of placed conflicting buffers
  for (int i : order) {
    const BufferRequest& r = requests[static_cast<size_t>(i)];
    taken.clear();
    for (int j : conflicts[static_cast<size_t>(i)]) {
      if (!placed[static_cast<size_t>(j)]) continue;
      taken.emplace_back(offsets[static_cast<size_t>(j)],
                         offsets[static_cast<size_t>(j)] + requests[static_cast<size_t>(j)].size);
    }
    std::sort(taken.begin(), taken.end());
    int64_t candidate = 0;
    for (const auto& [begin, end] : taken) {
      if (candidate + r.size <= begin) break;  // fits in the gap below this one
      candidate = std::max(candidate, AlignUp(end, alignment));
    }
    offsets[static_cast<size_t>(i)] = candidate;
    placed[static_cast<size_t>(i)] = 1;
  }
  return offsets;
}

int64_t PlanTotal(const std::vector<BufferRequest>& requests, const std::vector<int64_t>& offsets,
                  int64_t alignment) {
  int64_t total = 0;
  for (size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].size > 0) total = std::max(total, offsets[i] + requests[i].size);
  }
  return AlignUp(total, alignment);
}

}  // namespace tinyfuse::memory
