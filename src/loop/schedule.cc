#include "loop/schedule.h"

#include "loop/partition_loops.h"
#include "loop/register_block.h"
#include "loop/verifier.h"

namespace tinyfuse::loop {

std::vector<LoopPass> SchedulePasses(bool dsp) {
  RegisterBlockOptions block;
  block.dsp = dsp;
  return {
      {"partition-loops", [](const PrimFunc& f) { return PartitionLoops(f); }},
      {"register-block", [block](const PrimFunc& f) { return RegisterBlock(f, block); }},
  };
}

std::vector<std::string> SchedulePassNames() {
  std::vector<std::string> names;
  for (const LoopPass& p : SchedulePasses(false)) names.push_back(p.name);
  return names;
}

PrimFunc RunSchedule(PrimFunc f, const std::vector<LoopPass>& passes, const AfterPass& after) {
  if (after) after("lower", f);
  for (const LoopPass& p : passes) {
    f = p.run(f);
    VerifyPrimFunc(f);
    if (after) after(p.name, f);
  }
  return f;
}

}  // namespace tinyfuse::loop
