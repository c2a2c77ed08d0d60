#include "memory/memory_figures.h"

#include <cstdio>
#include <sstream>

namespace tinyfuse::memory {

int64_t MemoryFigures::total_of(PlannerKind k) const {
  for (const PlannerResult& r : planners) {
    if (r.kind == k) return r.total;
  }
  return -1;
}

MemoryFigures MeasureSchedule(const std::string& model, const Schedule& s,
                              const PlanOptions& options) {
  const ArenaPlan plan = PlanArena(s, PlannerKind::kAuto, options);
  MemoryFigures f;
  f.model = model;
  f.num_steps = s.num_steps;
  f.num_buffers = static_cast<int>(s.buffers.size());
  f.floor_bytes = plan.floor_bytes;
  f.bound_bytes = plan.bound_bytes;
  f.arena_bytes = plan.total;
  f.planner = plan.planner;
  f.planners = plan.tried;
  return f;
}

MemoryFigures MeasureGraph(const std::string& model, const Graph& g, const PlanOptions& options) {
  return MeasureSchedule(model, BuildGraphSchedule(g), options);
}

std::string FormatMemoryTable(const std::vector<MemoryFigures>& rows,
                              const std::map<std::string, int64_t>& tflm) {
  std::ostringstream o;
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%-36s %10s %10s", "model", "floor", "bound");
  o << buf;
  for (PlannerKind k : AllPlannerKinds()) {
    std::snprintf(buf, sizeof(buf), " %17s", PlannerKindName(k));
    o << buf;
  }
  std::snprintf(buf, sizeof(buf), " %10s %10s %7s\n", "arena", "tflm", "ratio");
  o << buf;
  for (const MemoryFigures& f : rows) {
    std::snprintf(buf, sizeof(buf), "%-36s %10lld %10lld", f.model.c_str(),
                  static_cast<long long>(f.floor_bytes), static_cast<long long>(f.bound_bytes));
    o << buf;
    for (PlannerKind k : AllPlannerKinds()) {
      const int64_t t = f.total_of(k);
      if (t < 0) {
        std::snprintf(buf, sizeof(buf), " %17s", "-");
      } else {
        std::snprintf(buf, sizeof(buf), " %17lld", static_cast<long long>(t));
      }
      o << buf;
    }
    std::snprintf(buf, sizeof(buf), " %10lld", static_cast<long long>(f.arena_bytes));
    o << buf;
    const auto it = tflm.find(f.model);
    if (it != tflm.end() && it->second > 0) {
      std::snprintf(buf, sizeof(buf), " %10lld %7.3f\n", static_cast<long long>(it->second),
                    static_cast<double>(f.arena_bytes) / static_cast<double>(it->second));
    } else {
      std::snprintf(buf, sizeof(buf), " %10s %7s\n", "-", "-");
    }
    o << buf;
  }
  return o.str();
}

}  // namespace tinyfuse::memory
