#include "test_util.h"

namespace tinyfuse::memory::testing {

Schedule MakeSchedule(int steps, const std::vector<B>& buffers) {
  Schedule s;
  s.num_steps = steps;
  for (const B& b : buffers) {
    AddBuffer(&s, "b" + std::to_string(s.buffers.size()), b.size, BufferSpec::kActivation, b.first,
              b.last);
  }
  return s;
}

std::vector<int64_t> RunPlanner(MemoryPlanner* planner, const std::vector<B>& buffers,
                                int64_t* total) {
  for (const B& b : buffers) planner->AddBuffer(b.size, b.first, b.last);
  std::vector<int64_t> offsets;
  for (int i = 0; i < planner->num_buffers(); ++i) offsets.push_back(planner->GetOffset(i));
  *total = planner->GetTotal();
  return offsets;
}

}  // namespace tinyfuse::memory::testing
