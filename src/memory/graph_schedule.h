// Builds the liveness Schedule of a Graph in execution order.
//
// BuildGraphSchedule: the raw graph, one step per op. BuildGroupedSchedule: one step per group of ops
// (a fused kernel), given the op indices of each group in execution order and, optionally, each
// group's workspace bytes (a kWorkspace buffer alive during that step only).
//
// A tensor lives from the step that produces it to the step of its last consumer; graph inputs from
// step 0, graph outputs until the last step. Constants are not in the arena and get no buffer. A tensor
// produced and consumed only inside one group, and not a graph output, never reaches memory (the fused
// kernel keeps it in registers or in its workspace) and gets no buffer either. The output of RESHAPE
// is a view of its input (same storage, lifetimes merged): a reshape costs no memory and extends the
// life of the tensor it reshapes.
//
// Model inputs and outputs are arena buffers (kinds kInput/kOutput) unless the options leave them out,
// for callers that pass them as separate pointers. A RESHAPE is a view only when both of its tensors
// have buffers.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "graph/graph.h"
#include "memory/schedule.h"

namespace tinyfuse::memory {

struct ScheduleOptions {
  bool inputs_in_arena = true;
  bool outputs_in_arena = true;
  bool reshape_as_view = true;
};

// Throws tinyfuse::Error naming the tensor when a tensor is read before the step that produces it or
// produced twice. Buffers are ordered by first step, then tensor id; workspaces come last.
Schedule BuildGraphSchedule(const Graph& g, const ScheduleOptions& options = {});

// `groups[k]` lists the op indices run by step k; every op must appear in exactly one group.
// `workspace_bytes` is empty or has one entry per group (0: no workspace buffer).
Schedule BuildGroupedSchedule(const Graph& g, const std::vector<std::vector<int>>& groups,
                              const std::vector<int64_t>& workspace_bytes = {},
                              const ScheduleOptions& options = {});

// In-place candidates of a schedule built by either function above: for every step the predicate
// accepts (a step index; for BuildGraphSchedule that is the op index), each output buffer born there is
// written over an input buffer of the same step's ops that dies there, is at least as large, and whose
// storage nothing else still needs (MakeInPlace's rules). Which kernels may really run in place is the
// caller's knowledge (elementwise ops, ADD); this only applies it. Returns the number of aliases made.
int ApplyInPlace(Schedule* s, const Graph& g, const std::vector<std::vector<int>>& groups,
                 const std::function<bool(int step)>& may_overwrite);

}  // namespace tinyfuse::memory
