#include "memory/plan_checker.h"

#include <algorithm>

#include "common/error.h"
#include "common/text.h"
#include "memory/floor.h"

namespace tinyfuse::memory {

namespace {

std::string Name(const BufferSpec& b) { return std::to_string(b.id) + " " + QuoteName(b.name); }

}  // namespace

std::vector<std::string> CheckPlan(const Schedule& s, const std::vector<int64_t>& offsets,
                                   int64_t total, int64_t alignment) {
  std::vector<std::string> problems;
  const size_t n = s.buffers.size();
  if (alignment < 1) {
    problems.push_back("alignment " + std::to_string(alignment) + " is not positive");
    return problems;
  }
  if (offsets.size() != n) {
    problems.push_back("plan has " + std::to_string(offsets.size()) + " offsets for " +
                       std::to_string(n) + " buffers");
    return problems;
  }
  if (total % alignment != 0) {
    problems.push_back("total " + std::to_string(total) + " is not a multiple of " +
                       std::to_string(alignment));
  }
  for (size_t i = 0; i < n; ++i) {
    const BufferSpec& b = s.buffers[i];
    if (offsets[i] < 0) problems.push_back("buffer " + Name(b) + " has negative offset");
    if (offsets[i] % alignment != 0) {
      problems.push_back("buffer " + Name(b) + " offset " + std::to_string(offsets[i]) +
                         " is not a multiple of " + std::to_string(alignment));
    }
    if (b.size > 0 && offsets[i] + b.size > total) {
      problems.push_back("buffer " + Name(b) + " ends at " + std::to_string(offsets[i] + b.size) +
                         ", past the total " + std::to_string(total));
    }
    if (b.alias_of >= 0 && offsets[i] != offsets[static_cast<size_t>(b.alias_of)]) {
      problems.push_back("buffer " + Name(b) + " aliases buffer " + std::to_string(b.alias_of) +
                         " but sits at " + std::to_string(offsets[i]) + ", not " +
                         std::to_string(offsets[static_cast<size_t>(b.alias_of)]));
    }
  }
  // Storage roots, derived here from alias_of alone.
  std::vector<size_t> root(n);
  for (size_t i = 0; i < n; ++i) {
    size_t r = i;
    while (s.buffers[r].alias_of >= 0) r = static_cast<size_t>(s.buffers[r].alias_of);
    root[i] = r;
  }
  for (size_t i = 0; i < n; ++i) {
    const BufferSpec& a = s.buffers[i];
    if (a.size == 0) continue;
    for (size_t j = i + 1; j < n; ++j) {
      const BufferSpec& b = s.buffers[j];
      if (b.size == 0 || root[i] == root[j]) continue;
      if (!LifetimesOverlap(a.first_step, a.last_step, b.first_step, b.last_step)) continue;
      if (offsets[i] < offsets[j] + b.size && offsets[j] < offsets[i] + a.size) {
        problems.push_back("buffers " + Name(a) + " [" + std::to_string(offsets[i]) + ", " +
                           std::to_string(offsets[i] + a.size) + ") and " + Name(b) + " [" +
                           std::to_string(offsets[j]) + ", " + std::to_string(offsets[j] + b.size) +
                           ") overlap while both are alive");
      }
    }
  }
  const Floor floor = ComputeFloor(s, AliasMode::kAll);
  if (total < floor.bytes) {
    problems.push_back("total " + std::to_string(total) + " is below the floor " +
                       std::to_string(floor.bytes) + " at step " + std::to_string(floor.step));
  }
  return problems;
}

void VerifyPlan(const Schedule& s, const std::vector<int64_t>& offsets, int64_t total,
                int64_t alignment) {
  const std::vector<std::string> problems = CheckPlan(s, offsets, total, alignment);
  if (problems.empty()) return;
  std::string message = "invalid memory plan: " + problems.front();
  if (problems.size() > 1) message += " (and " + std::to_string(problems.size() - 1) + " more)";
  throw Error(message);
}

}  // namespace tinyfuse::memory
