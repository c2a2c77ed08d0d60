// The planner interface, after TFLite Micro's: add buffers with a size and a first/last step, then ask
// for each buffer's offset and the total. Planners see plain buffers; aliases are resolved before
// (plan_arena.h plans one request per storage group). Every offset a planner returns is a multiple of
// its alignment, and two buffers whose step ranges overlap never overlap in address space
// (plan_checker.h verifies every plan independently).
//
// Totals are rounded up to the alignment, so an arena of that size can be followed by another aligned
// object, and every planner's total is at most the linear oracle's (the sum of the aligned sizes).
//
// The order-based planners (greedy-*, hill-climb, exact) share one placement rule: take buffers in a
// given order and put each at the lowest aligned offset where it does not overlap a buffer already
// placed that is alive at the same time. Every arrangement is reachable this way (order the buffers of
// any valid arrangement by offset: each lands at or below its offset there), so the placement order
// is the whole search space.
#pragma once

#include <cstdint>
#include <vector>

namespace tinyfuse::memory {

// 8: the widest element an arena buffer holds is an int32 (activations are 8-bit; int32 scratch lives in
// kernel locals, constants in static arrays), and 8 keeps 64-bit loads of a buffer's start aligned.
inline constexpr int64_t kDefaultAlignment = 8;

struct BufferRequest {
  int64_t size = 0;
  int first_step = 0;  // inclusive
  int last_step = 0;   // inclusive
};

class MemoryPlanner {
 public:
  explicit MemoryPlanner(int64_t alignment = kDefaultAlignment);
  virtual ~MemoryPlanner() = default;
  MemoryPlanner(const MemoryPlanner&) = delete;
  MemoryPlanner& operator=(const MemoryPlanner&) = delete;

  virtual const char* name() const = 0;
  // Returns the buffer's handle: 0, 1, 2, ... in the order of the calls. Throws tinyfuse::Error on a
  // negative size or first_step > last_step.
  int AddBuffer(int64_t size, int first_step, int last_step);
  int num_buffers() const { return static_cast<int>(requests_.size()); }
  // Both plan on first use (and again after more buffers are added).
  int64_t GetOffset(int handle);
  int64_t GetTotal();  // max over buffers of offset + size, rounded up to the alignment
  int64_t alignment() const { return alignment_; }
  const std::vector<BufferRequest>& requests() const { return requests_; }

 protected:
  // Offsets for `requests`, one per request, aligned, with no conflicting overlap.
  virtual std::vector<int64_t> Plan(const std::vector<BufferRequest>& requests) = 0;

 private:
  void EnsurePlanned();

  int64_t alignment_;
  std::vector<BufferRequest> requests_;
  std::vector<int64_t> offsets_;
  bool planned_ = false;
};

// For each request, the other requests of nonzero size whose step ranges overlap its own (empty for a
// zero-size request: it occupies no bytes).
std::vector<std::vector<int>> BuildConflicts(const std::vector<BufferRequest>& requests);

// The placement rule above. `order` must be a permutation of the request indices.
std::vector<int64_t> PlaceInOrder(const std::vector<BufferRequest>& requests,
                                  const std::vector<std::vector<int>>& conflicts,
                                  const std::vector<int>& order, int64_t alignment);

// max over requests of offset + size, rounded up to `alignment`.
int64_t PlanTotal(const std::vector<BufferRequest>& requests, const std::vector<int64_t>& offsets,
                  int64_t alignment);

}  // namespace tinyfuse::memory
