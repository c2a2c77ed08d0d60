// Compilation, one stage per line (compile.cc reads top to bottom):
//   graph --(graph/passes: canonicalize, fuse; loop/: lower)--> LoweredModel (one loop nest per fused group)
//         --(memory/: liveness)--> Schedule (one step per kernel, kernel workspace alive during its step)
//         --(memory/: planners)--> ArenaPlan (every buffer's offset, checked: no live overlap)
//         --(codegen/)--> GeneratedC (PREFIX.h, PREFIX.c)
// Every figure reported (workspace, floor, arena) is read from these objects, never estimated beside them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "codegen/arena_layout.h"
#include "codegen/c_emitter.h"
#include "driver/in_place.h"
#include "graph/graph.h"
#include "loop/lowered_model.h"
#include "memory/plan_arena.h"
#include "memory/schedule.h"

namespace tinyfuse {

struct CompileOptions {
  std::optional<Arith> arith;  // nullopt: ChooseArith
  std::string prefix = "model";
  memory::PlannerKind planner = memory::PlannerKind::kAuto;
  int64_t alignment = memory::kDefaultAlignment;
  // kAuto: outputs take their input's storage where the IR proves it safe (in_place.h), and depthwise
  // kernels switch to their in-place variant where that lowers the arena (kAll: every one). kNone: no
  // storage sharing beyond RESHAPE views.
  InPlaceMode in_place = InPlaceMode::kAuto;
  // Packed 16-bit multiply-accumulate for cores with the Arm DSP extension (loop::LowerOptions::dsp):
  // on for Cortex-M4/M7/M33/M55 targets (DspOfTarget).
  bool dsp = false;
};

// Whether compiling for `target` ("cortex-m4", "cortex-m7", "cortex-m33", "cortex-m55"; "" for the host)
// uses the DSP extension.
bool DspOfTarget(const std::string& target);

struct CompiledModel {
  Arith arith = Arith::kTflm;
  loop::LoweredModel lowered;
  memory::Schedule schedule;
  memory::ArenaPlan plan;         // its floor_bytes/floor_step: the model without in-place kernels
  std::vector<int> in_place_variants;  // kernels lowered as their in-place variant
  int in_place_outputs = 0;       // outputs written over their input's storage
  codegen::ArenaLayout layout;
  codegen::GeneratedC c;
};

// Lowers, schedules and plans `g` (which must be verified: LoadModel does it). Throws Error naming the op
// that cannot be compiled.
CompiledModel Compile(const Graph& g, const CompileOptions& options);

// The liveness schedule of a lowered model: one step per kernel; tensors that cross kernels (and the
// model's inputs and outputs) are buffers; each kernel's scratch is a workspace buffer of its step.
memory::Schedule ScheduleOfLowered(const Graph& g, const loop::LoweredModel& m);

// The arena layout the C emitter needs, read off a plan of ScheduleOfLowered's schedule.
codegen::ArenaLayout LayoutFromPlan(const loop::LoweredModel& m, const memory::Schedule& s,
                                    const memory::ArenaPlan& plan);

}  // namespace tinyfuse
