// The schedule: the loop passes every lowered kernel goes through, in order, each followed by the
// verifier (Halide's lowering list, for one kernel). Today:
//   partition-loops  peel the borders off window loops so the interior runs without bounds tests
//   register-block   unroll-and-jam of accumulator loops, and with DSP the packed 16-bit MACs
// Pass names are the flags of `tinyfuse lower --print-after`.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "loop/ir.h"

namespace tinyfuse::loop {

struct LoopPass {
  std::string name;  // kebab-case, e.g. "partition-loops"
  std::function<PrimFunc(const PrimFunc&)> run;
};

// The passes in order; `dsp` turns on register-block's packed multiply-accumulate.
std::vector<LoopPass> SchedulePasses(bool dsp);
// The pass names, in order (for validating --print-after).
std::vector<std::string> SchedulePassNames();

// Called with the pass name and the kernel after each pass ("lower" first, for the kernel as lowered).
using AfterPass = std::function<void(const std::string& pass, const PrimFunc& f)>;

// Runs `passes` over `f` in order, verifying the IR after each; `after`, when given, sees every result.
PrimFunc RunSchedule(PrimFunc f, const std::vector<LoopPass>& passes, const AfterPass& after = nullptr);

}  // namespace tinyfuse::loop
