#include "driver/in_place.h"

#include <algorithm>
#include <map>

#include "common/error.h"
#include "loop/in_place.h"
#include "loop/lower.h"
#include "memory/floor.h"

namespace tinyfuse {

const char* InPlaceModeName(InPlaceMode m) {
  switch (m) {
    case InPlaceMode::kNone: return "none";
    case InPlaceMode::kAuto: return "auto";
    case InPlaceMode::kAll: return "all";
  }
  return "?";
}

InPlaceMode ParseInPlaceMode(std::string_view name) {
  for (InPlaceMode m : {InPlaceMode::kNone, InPlaceMode::kAuto, InPlaceMode::kAll}) {
    if (name == InPlaceModeName(m)) return m;
  }
  throw Error("unknown in-place mode '" + std::string(name) + "' (one of: none, auto, all)");
}

int ApplyInPlaceKernels(const loop::LoweredModel& m, memory::Schedule* s) {
  if (m.kernels.empty()) return 0;  // a model without kernels: its one step only copies inputs and outputs
  Check(static_cast<int>(m.kernels.size()) == s->num_steps, "in place: the schedule is not one step per kernel");
  std::map<int, int> buffer_of_tensor;
  for (const memory::BufferSpec& b : s->buffers) {
    if (b.tensor >= 0) buffer_of_tensor[b.tensor] = b.id;
  }
  auto buffer = [&](int tensor) {
    auto it = buffer_of_tensor.find(tensor);
    return it == buffer_of_tensor.end() ? -1 : it->second;
  };
  int made = 0;
  for (size_t k = 0; k < m.kernels.size(); ++k) {
    const loop::PrimFunc& f = m.kernels[k].func;
    for (const loop::InPlacePair& p : loop::InPlacePairs(f)) {
      const int in_tensor = f.params[static_cast<size_t>(p.input)]->tensor_id;
      const int out = buffer(f.params[static_cast<size_t>(p.output)]->tensor_id);
      const int in = buffer(in_tensor);
      if (in < 0 || out < 0) continue;
      const memory::BufferSpec& ib = s->buffers[static_cast<size_t>(in)];
      const memory::BufferSpec& ob = s->buffers[static_cast<size_t>(out)];
      if (ob.alias_of >= 0 || ob.first_step != static_cast<int>(k) || ib.last_step != static_cast<int>(k) ||
          ob.size > ib.size || ib.live_out) {
        continue;
      }
      bool shared = false;  // another input of this kernel reads the same bytes under another name
      for (int i = 0; i < f.num_inputs; ++i) {
        shared |= i != p.input && m.StorageOf(f.params[static_cast<size_t>(i)]->tensor_id) == m.StorageOf(in_tensor);
      }
      if (shared) continue;
      memory::Schedule trial = *s;
      memory::MakeInPlace(&trial, out, in);
      try {
        memory::ValidateSchedule(trial);
      } catch (const Error&) {
        continue;  // the input's storage is still needed after this step (a view of it is read later)
      }
      *s = std::move(trial);
      ++made;
    }
  }
  return made;
}

void PlanWithInPlace(const passes::FusedGraph& f, InPlaceMode mode, const loop::LowerOptions& lower,
                     const std::function<memory::Schedule(const loop::LoweredModel&)>& schedule_of,
                     const std::function<memory::ArenaPlan(const memory::Schedule&)>& plan_of, InPlaceState* state) {
  Check(state->lowered.kernels.size() == f.groups.size(), "in place: the lowering does not match the fused graph");
  state->variants.clear();
  if (mode == InPlaceMode::kAll) {
    for (size_t k = 0; k < f.groups.size(); ++k) {
      if (!loop::HasInPlaceVariant(f, f.groups[k])) continue;
      state->lowered.kernels[k] = loop::LowerKernel(f, static_cast<int>(k), lower, /*in_place=*/true);
      state->variants.push_back(static_cast<int>(k));
    }
  }
  state->schedule = schedule_of(state->lowered);
  if (mode != InPlaceMode::kNone) ApplyInPlaceKernels(state->lowered, &state->schedule);
  state->plan = plan_of(state->schedule);
  if (mode != InPlaceMode::kAuto) return;
  for (;;) {
    const memory::Floor peak = memory::ComputeFloor(state->schedule, memory::AliasMode::kAll);
    const int k = peak.step;
    if (k < 0 || k >= static_cast<int>(f.groups.size()) || std::count(state->variants.begin(), state->variants.end(), k) ||
        !loop::HasInPlaceVariant(f, f.groups[static_cast<size_t>(k)])) {
      return;
    }
    InPlaceState trial;
    trial.lowered = state->lowered;
    trial.lowered.kernels[static_cast<size_t>(k)] = loop::LowerKernel(f, k, lower, /*in_place=*/true);
    trial.schedule = schedule_of(trial.lowered);
    ApplyInPlaceKernels(trial.lowered, &trial.schedule);
    trial.plan = plan_of(trial.schedule);
    if (trial.plan.total >= state->plan.total) return;
    trial.variants = state->variants;
    trial.variants.push_back(k);
    std::sort(trial.variants.begin(), trial.variants.end());
    *state = std::move(trial);
  }
}

}  // namespace tinyfuse
