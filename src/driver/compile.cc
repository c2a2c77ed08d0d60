#include "driver/compile.h"

#include <algorithm>
#include <map>
#include <vector>

#include "common/error.h"
#include "common/text.h"
#include "loop/lower.h"
#include "memory/floor.h"
#include "memory/graph_schedule.h"

namespace tinyfuse {

memory::Schedule ScheduleOfLowered(const Graph& g, const loop::LoweredModel& m) {
  std::vector<std::vector<int>> groups;
  std::vector<int64_t> workspace;
  std::vector<int> step_of_op(g.ops.size(), -1);
  for (const loop::Kernel& k : m.kernels) {
    for (int op : k.ops) step_of_op[static_cast<size_t>(op)] = static_cast<int>(groups.size());
    groups.push_back(k.ops);
    workspace.push_back(k.workspace_bytes);
  }
  // A model that lowers to no kernel (no ops: its outputs are inputs; or RESHAPEs only: its outputs are
  // views of inputs) still copies its inputs into the arena and its outputs out of it: one step, running
  // no kernel, during which those buffers live.
  const bool no_kernel = groups.empty();
  if (no_kernel) {
    groups.emplace_back();
    workspace.push_back(0);
  }
  // Ops that became no kernel (RESHAPE: a view of its input's bytes) join the step of the kernel that
  // runs just before them (or the first step), which is where their output is first valid.
  int last_step = 0;
  for (size_t op = 0; op < g.ops.size(); ++op) {
    if (step_of_op[op] >= 0) {
      last_step = step_of_op[op];
      continue;
    }
    auto& group = groups[static_cast<size_t>(last_step)];
    group.push_back(static_cast<int>(op));
    std::sort(group.begin(), group.end());
  }
  memory::Schedule s = memory::BuildGroupedSchedule(g, groups, workspace);
  // Buffers whose tensors share one storage are views of each other. BuildGroupedSchedule links a
  // RESHAPE's two buffers, but not the ends of a chain whose middle tensor got no buffer (input ->
  // RESHAPE -> RESHAPE -> output inside one step): link every such buffer to the first of its storage.
  auto root = [&s](int id) {
    while (s.buffers[static_cast<size_t>(id)].alias_of >= 0) id = s.buffers[static_cast<size_t>(id)].alias_of;
    return id;
  };
  std::map<int, int> first_buffer_of_storage;
  for (size_t i = 0; i < s.buffers.size(); ++i) {
    const memory::BufferSpec& b = s.buffers[i];
    if (b.tensor < 0) continue;
    const auto [it, inserted] = first_buffer_of_storage.emplace(m.StorageOf(b.tensor), b.id);
    if (!inserted && root(b.id) != root(it->second)) memory::MakeView(&s, root(b.id), root(it->second));
  }
  memory::ValidateSchedule(s);
  if (!no_kernel) {
    s.step_labels.clear();
    for (const loop::Kernel& k : m.kernels) s.step_labels.push_back(k.func.name);
  } else {
    s.step_labels = {"no kernel (inputs copied in, outputs copied out)"};
  }
  return s;
}

codegen::ArenaLayout LayoutFromPlan(const loop::LoweredModel& m, const memory::Schedule& s,
                                    const memory::ArenaPlan& plan) {
  // A schedule buffer stands for a tensor; its bytes belong to that tensor's storage (a RESHAPE output is a
  // view of its input: whichever of the two the schedule kept a buffer for, they share one offset).
  std::map<int, int64_t> offset_of_storage;
  for (const memory::BufferSpec& b : s.buffers) {
    if (b.tensor < 0) continue;
    const int64_t offset = plan.offsets[static_cast<size_t>(b.id)];
    const auto [it, inserted] = offset_of_storage.emplace(m.StorageOf(b.tensor), offset);
    if (!inserted && it->second != offset) {
      throw Error("internal: tensor " + std::to_string(it->first) + " has two buffers in the plan, at offsets " +
                  std::to_string(it->second) + " and " + std::to_string(offset));
    }
  }
  codegen::ArenaLayout layout;
  layout.alignment = plan.alignment;
  layout.size = plan.total;
  for (const auto& [tensor, bytes] : m.storage_bytes) {
    auto it = offset_of_storage.find(tensor);
    if (it == offset_of_storage.end()) {
      throw Error("internal: tensor " + std::to_string(tensor) + " has arena storage in the lowered model "
                  "but no buffer in the schedule");
    }
    layout.offsets[tensor] = it->second;
  }
  // Step k runs kernel k; its workspace buffer (one at most) is that kernel's workspace.
  for (const memory::BufferSpec& b : s.buffers) {
    if (b.kind != memory::BufferSpec::kWorkspace) continue;
    const bool fresh = layout.workspace_offsets.emplace(b.first_step, plan.offsets[static_cast<size_t>(b.id)]).second;
    if (!fresh || b.first_step >= static_cast<int>(m.kernels.size()) ||
        b.size != m.kernels[static_cast<size_t>(b.first_step)].workspace_bytes) {
      throw Error("internal: workspace buffer '" + b.name + "' does not match kernel workspace of step " +
                  std::to_string(b.first_step));
    }
  }
  return layout;
}

bool DspOfTarget(const std::string& target) {
  return target == "cortex-m4" || target == "cortex-m7" || target == "cortex-m33" || target == "cortex-m55";
}

CompiledModel Compile(const Graph& g, const CompileOptions& options) {
  CompiledModel out;
  out.arith = options.arith ? *options.arith : ChooseArith(g);
  // Arena tensors are accessed through pointers of their C type (int64 indices of ARG_MAX, say): every
  // offset the plan gives must be aligned for it.
  for (const Tensor& t : g.tensors) {
    Check(t.is_const || options.alignment % DTypeSize(t.dtype) == 0,
          "alignment " + std::to_string(options.alignment) + " is too small for " + DTypeName(t.dtype) + " tensor " +
              QuoteName(t.name) + " (needs a multiple of " + std::to_string(DTypeSize(t.dtype)) + ")");
  }
  const passes::FusedGraph fused = passes::Fuse(passes::Canonicalize(g, out.arith));
  loop::LowerOptions lower_options;
  lower_options.dsp = options.dsp;
  out.lowered = loop::LowerFused(fused, lower_options);            // canonicalize, fuse, lower, verify
  out.schedule = ScheduleOfLowered(g, out.lowered);                // liveness per kernel
  const memory::Floor floor = memory::ComputeFloor(out.schedule);  // no in-place reuse
  auto plan_of = [&](const memory::Schedule& s) {
    return memory::PlanArena(s, options.planner, options.alignment);  // planned and checked
  };
  InPlaceState st;  // outputs over dying inputs where the IR proves it safe; in-place variants
  st.lowered = std::move(out.lowered);
  PlanWithInPlace(fused, options.in_place, lower_options,
                  [&](const loop::LoweredModel& m) { return ScheduleOfLowered(g, m); }, plan_of, &st);
  out.lowered = std::move(st.lowered);
  out.schedule = std::move(st.schedule);
  out.plan = std::move(st.plan);
  out.in_place_variants = std::move(st.variants);
  for (const memory::BufferSpec& b : out.schedule.buffers) {
    out.in_place_outputs += b.alias_of >= 0 && b.alias_kind == memory::BufferSpec::kInPlace;
  }
  out.plan.floor_bytes = floor.bytes;
  out.plan.floor_step = floor.step;
  out.layout = LayoutFromPlan(out.lowered, out.schedule, out.plan);
  out.c = codegen::EmitC(out.lowered, out.layout, options.prefix);  // prints loop IR, checks the layout
  return out;
}

}  // namespace tinyfuse
