// In-place kernels in the compiled model: which kernels write their output over an input's storage.
//
// A kernel's output shares its input's storage (memory::MakeInPlace) only when (1) its loop IR proves it
// safe (loop/in_place.h), (2) the input's buffer dies at the kernel's step, (3) no other input param of
// the kernel shares the input's storage (a RESHAPE view of it read by the same kernel), and (4) the
// schedule still validates (nothing sharing the storage is needed later). Pointwise kernels (elementwise
// ops, ADD without broadcast) cost nothing to run in place and are always taken where proven.
//
// Depthwise convolutions have an in-place variant (loop/lower.h: HasInPlaceVariant) that costs a
// per-channel copy and a workspace of one input plane. In mode kAuto it is taken only where it lowers
// the arena: while the peak step (the most live bytes) is a kernel with an untried variant, that kernel
// is switched, the model re-planned, and the switch kept only if the arena total goes down. kAll takes
// every variant (for tests and exploration), kNone none and no in-place output at all.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/graph.h"
#include "graph/passes/fuse.h"
#include "loop/lower.h"
#include "loop/lowered_model.h"
#include "memory/plan_arena.h"
#include "memory/schedule.h"

namespace tinyfuse {

enum class InPlaceMode { kNone, kAuto, kAll };
const char* InPlaceModeName(InPlaceMode m);  // "none", "auto", "all"
// Throws tinyfuse::Error listing the valid names.
InPlaceMode ParseInPlaceMode(std::string_view name);

// Applies every in-place pair of `m`'s kernels that conditions (1)-(4) allow to `s` (the schedule of `m`,
// one step per kernel). Returns the number of outputs made in place.
int ApplyInPlaceKernels(const loop::LoweredModel& m, memory::Schedule* s);

// A lowering, its schedule (in-place outputs applied) and its plan.
struct InPlaceState {
  loop::LoweredModel lowered;
  memory::Schedule schedule;
  memory::ArenaPlan plan;
  std::vector<int> variants;  // kernel indices lowered as their in-place variant, ascending
};

// The driver's in-place stage. `state->lowered` holds LowerFused(f, lower) on entry; on return it holds the
// kernels `mode` chose (variants lowered with `lower` too), with their schedule and plan. `schedule_of`
// builds the schedule of a lowering (one step per kernel, no in-place outputs); `plan_of` plans a schedule.
void PlanWithInPlace(const passes::FusedGraph& f, InPlaceMode mode, const loop::LowerOptions& lower,
                     const std::function<memory::Schedule(const loop::LoweredModel&)>& schedule_of,
                     const std::function<memory::ArenaPlan(const memory::Schedule&)>& plan_of, InPlaceState* state);

}  // namespace tinyfuse
