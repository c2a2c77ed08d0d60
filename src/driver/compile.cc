#include "driver/compile.h"

#include <map>
#include <vector>

#include "common/error.h"
#include "loop/lower.h"
#include "memory/graph_schedule.h"

namespace tinyfuse {

memory::Schedule ScheduleOfLowered(const Graph& g, const loop::LoweredModel& m) {
  std::vector<std::vector<int>> groups;
  std::vector<int64_t> workspace;
  for (const loop::Kernel& k : m.kernels) {
    groups.push_back(k.ops);
    workspace.push_back(k.workspace_bytes);
  }
  memory::Schedule s = memory::BuildGroupedSchedule(g, groups, workspace);
  s.step_labels.clear();
  for (const loop::Kernel& k : m.kernels) s.step_labels.push_back(k.func.name);
  return s;
}

codegen::ArenaLayout LayoutFromPlan(const loop::LoweredModel& m, const memory::Schedule& s,
                                    const memory::ArenaPlan& plan) {
  std::map<int, int> buffer_of_tensor;
  for (const memory::BufferSpec& b : s.buffers) {
    if (b.tensor >= 0) buffer_of_tensor[b.tensor] = b.id;
  }
  codegen::ArenaLayout layout;
  layout.alignment = plan.alignment;
  layout.size = plan.total;
  for (const auto& [tensor, bytes] : m.storage_bytes) {
    auto it = buffer_of_tensor.find(tensor);
    if (it == buffer_of_tensor.end()) {
      throw Error("internal: tensor " + std::to_string(tensor) + " has arena storage in the lowered model "
                  "but no buffer in the schedule");
    }
    layout.offsets[tensor] = plan.offsets[static_cast<size_t>(it->second)];
  }
  return layout;
}

CompiledModel Compile(const Graph& g, const CompileOptions& options) {
  CompiledModel out;
  out.arith = options.arith ? *options.arith : ChooseArith(g);
  out.lowered = loop::LowerGraph(g, out.arith);                    // canonicalize, fuse, lower, verify
  out.schedule = ScheduleOfLowered(g, out.lowered);                // liveness per kernel
  out.plan = memory::PlanArena(out.schedule, options.planner, options.alignment);  // planned and checked
  out.layout = LayoutFromPlan(out.lowered, out.schedule, out.plan);
  out.c = codegen::EmitC(out.lowered, out.layout, options.prefix);  // prints loop IR, checks the layout
  return out;
}

}  // namespace tinyfuse
