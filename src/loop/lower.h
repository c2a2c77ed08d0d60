// Lowering of a whole graph to loop IR: canonicalize (graph/passes/canonical.h), fuse
// (graph/passes/fuse.h), then one kernel per fused group, each ONE loop nest (lower_*.cc), verified
// (verifier.h) and measured (workspace.h). RESHAPE outputs become aliases of their input's storage.
// Then the schedule passes, each verified again:
//   partition-loops (partition_loops.h): border/interior copies of window loops, tests only at borders;
//   register-block (register_block.h): unroll-and-jam of accumulator loops, optionally packed 16-bit MACs.
#pragma once

#include <string>

#include "graph/graph.h"
#include "graph/passes/fuse.h"
#include "loop/lowered_model.h"
#include "loop/schedule.h"

namespace tinyfuse::loop {

struct LowerOptions {
  // Apply the schedule passes. Off, every kernel is the single loop nest the lowering wrote (what
  // `tinyfuse lower` shows to explain a kernel); on, what the C emitter should print.
  bool schedule = true;
  // With `schedule`: register-block's packed 16-bit multiply-accumulate (register_block.h), for targets
  // with the Arm DSP extension (Cortex-M4, M7, M33, M55); the generated C stays portable either way.
  bool dsp = false;
  // With `schedule`: sees each kernel as lowered and after each schedule pass (schedule.h); for
  // `tinyfuse lower --print-after`.
  AfterPass after_pass = nullptr;
};

// Throws tinyfuse::Error naming the op when something cannot be lowered.
LoweredModel LowerGraph(const Graph& g, Arith arith, const LowerOptions& options = {});
LoweredModel LowerFused(const passes::FusedGraph& f, const LowerOptions& options = {});

// In-place variants: a group may have a second lowering whose output can take its input's storage at the
// cost of a workspace (today: depthwise convolution with depth multiplier 1 and batch 1, which copies each
// input channel's plane before computing that channel; lower_conv.cc). Whether a kernel really may run
// in place is proven on its IR (in_place.h), not assumed from this.
bool HasInPlaceVariant(const passes::FusedGraph& f, const passes::FusedGroup& group);
// The kernel of f.groups[group_index] as LowerFused makes it, or its in-place variant.
Kernel LowerKernel(const passes::FusedGraph& f, int group_index, const LowerOptions& options = {},
                   bool in_place = false);

// The kernels as text: per kernel a comment line with its fused ops and steps and its workspace, then the
// PrimFunc (printer.h).
std::string PrintLoweredModel(const LoweredModel& m);
// Index of the kernel containing graph op `op`, or -1.
int KernelOfOp(const LoweredModel& m, int op);
// One kernel with its header comment.
std::string PrintKernel(const Kernel& k);

}  // namespace tinyfuse::loop
