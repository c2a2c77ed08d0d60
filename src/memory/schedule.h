// The schedule-level liveness model: what the memory planners see. A Schedule is a number of execution
// steps and the buffers that must hold data across them, each with a size and an inclusive range of
// steps [first_step, last_step] during which its bytes must stay intact. It does not know how kernels
// were formed: a raw graph gives one step per op (graph_schedule.h); a lowered model gives one step per
// kernel, with that kernel's scratch memory as kWorkspace buffers alive during its step only.
//
// The model's inputs and outputs are buffers of the arena like any activation (kinds kInput/kOutput)
// unless the caller leaves them out (ScheduleOptions in graph_schedule.h, or simply not adding them).
//
// Sharing storage: a buffer with alias_of >= 0 lives at exactly the same offset as the buffer it names.
// The buffers linked this way form one storage group, planned as one region sized by its largest
// member and alive from the earliest first_step to the latest last_step of its members. Two kinds:
//  kView     same bytes seen with another shape (RESHAPE). Both may be alive together.
//  kInPlace  an op writes its output over an input that dies at that op (elementwise ops, ADD). The
//            output is no larger than that input, and every member of the group born before the
//            output must end at or before its first step.
// Whether a kernel may really run in place is the lowering's decision; ValidateSchedule only checks
// that the lifetimes allow it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tinyfuse::memory {

struct BufferSpec {
  enum Kind { kInput, kOutput, kActivation, kWorkspace };
  enum AliasKind { kView, kInPlace };

  int id = 0;            // index in Schedule::buffers (ValidateSchedule checks it)
  std::string name;      // tensor name or a description of the workspace, for reports
  int64_t size = 0;      // bytes
  int first_step = 0;    // inclusive
  int last_step = 0;     // inclusive
  Kind kind = kActivation;
  int alias_of = -1;     // shares storage (same offset) with this buffer id
  AliasKind alias_kind = kView;  // meaningful when alias_of >= 0
  int tensor = -1;       // graph tensor id when the buffer is a tensor, else -1
  // A model output (whatever its kind: an input can be an output too): its bytes are read after the last
  // step, so nothing may be written over it, not even at the last step.
  bool live_out = false;
};

struct Schedule {
  int num_steps = 0;
  std::vector<BufferSpec> buffers;
  // Optional, one per step when present (e.g. "3 CONV_2D"); used by reports only.
  std::vector<std::string> step_labels;
};

const char* BufferKindName(BufferSpec::Kind k);  // "input", "output", "activation", "workspace"
const char* AliasKindName(BufferSpec::AliasKind k);  // "view", "in-place"

// Builders for callers that construct a Schedule by hand (the driver, from a lowered model). Each
// returns the new buffer's id. They check their arguments and throw tinyfuse::Error.
int AddBuffer(Schedule* s, std::string name, int64_t size, BufferSpec::Kind kind, int first_step,
              int last_step, int tensor = -1);
// Scratch memory of the kernel at `step`, alive during that step only.
int AddWorkspace(Schedule* s, std::string name, int64_t size, int step);
// `view` shows the bytes of `base` with another shape (RESHAPE): same offset, lifetimes merged.
void MakeView(Schedule* s, int view, int base);
// `output` is written over `input`, which must die at output's first step (input->last_step ==
// output->first_step, and so must every other buffer sharing input's storage that was born earlier),
// must not be a model output (live_out), and must be no larger than `input`.
void MakeInPlace(Schedule* s, int output, int input);

// Throws tinyfuse::Error naming the first problem: ids out of order, negative size, a lifetime outside
// [0, num_steps), an alias cycle or dangling alias, an in-place alias whose input outlives the op, or
// step_labels of the wrong length.
void ValidateSchedule(const Schedule& s);

// One region of the arena: a buffer and everything aliased to it.
struct StorageGroup {
  int root = 0;                // the member no other member of the group aliases through
  std::vector<int> members;    // buffer ids, ascending, root included
  int64_t size = 0;            // largest member
  int first_step = 0;          // earliest member first_step
  int last_step = 0;           // latest member last_step
};

// Which aliases merge storage. kAll is what a plan must honour; kViewsOnly treats in-place outputs as
// buffers of their own (the "no in-place reuse" floor).
enum class AliasMode { kAll, kViewsOnly };

struct StorageMap {
  std::vector<StorageGroup> groups;  // ordered by root id
  std::vector<int> group_of;         // buffer id -> index in groups
};

// Requires a valid schedule.
StorageMap BuildStorage(const Schedule& s, AliasMode mode = AliasMode::kAll);

// Inclusive step ranges [a_first, a_last] and [b_first, b_last] share a step.
inline bool LifetimesOverlap(int a_first, int a_last, int b_first, int b_last) {
  return a_first <= b_last && b_first <= a_last;
}

}  // namespace tinyfuse::memory
