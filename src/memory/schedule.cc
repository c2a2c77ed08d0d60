#include "memory/schedule.h"

#include <algorithm>
#include <utility>

#include "common/error.h"
#include "common/text.h"

namespace tinyfuse::memory {

const char* BufferKindName(BufferSpec::Kind k) {
  switch (k) {
    case BufferSpec::kInput: return "input";
    case BufferSpec::kOutput: return "output";
    case BufferSpec::kActivation: return "activation";
    case BufferSpec::kWorkspace: return "workspace";
  }
  return "?";
}

const char* AliasKindName(BufferSpec::AliasKind k) {
  return k == BufferSpec::kView ? "view" : "in-place";
}

namespace {

std::string Describe(const BufferSpec& b) {
  return "buffer " + std::to_string(b.id) + " " + QuoteName(b.name);
}

const BufferSpec& At(const Schedule& s, int id, const char* what) {
  Check(id >= 0 && id < static_cast<int>(s.buffers.size()),
        std::string(what) + ": no buffer " + std::to_string(id));
  return s.buffers[static_cast<size_t>(id)];
}

// The root of `id`'s alias tree, following only the edges that `mode` merges.
int RootOf(const Schedule& s, int id, AliasMode mode) {
  int cur = id;
  for (;;) {
    const BufferSpec& b = s.buffers[static_cast<size_t>(cur)];
    if (b.alias_of < 0) return cur;
    if (mode == AliasMode::kViewsOnly && b.alias_kind == BufferSpec::kInPlace) return cur;
    cur = b.alias_of;
  }
}

}  // namespace

int AddBuffer(Schedule* s, std::string name, int64_t size, BufferSpec::Kind kind, int first_step,
              int last_step, int tensor) {
  Check(size >= 0, "buffer '" + name + "' has negative size " + std::to_string(size));
  Check(first_step >= 0 && first_step <= last_step && last_step < s->num_steps,
        "buffer '" + name + "' lifetime [" + std::to_string(first_step) + ", " +
            std::to_string(last_step) + "] is outside the " + std::to_string(s->num_steps) +
            " steps");
  BufferSpec b;
  b.id = static_cast<int>(s->buffers.size());
  b.name = std::move(name);
  b.size = size;
  b.first_step = first_step;
  b.last_step = last_step;
  b.kind = kind;
  b.tensor = tensor;
  s->buffers.push_back(std::move(b));
  return s->buffers.back().id;
}

int AddWorkspace(Schedule* s, std::string name, int64_t size, int step) {
  return AddBuffer(s, std::move(name), size, BufferSpec::kWorkspace, step, step);
}

void MakeView(Schedule* s, int view, int base) {
  At(*s, view, "MakeView");
  At(*s, base, "MakeView");
  Check(view != base, "MakeView: buffer " + std::to_string(view) + " cannot alias itself");
  BufferSpec& v = s->buffers[static_cast<size_t>(view)];
  Check(v.alias_of < 0, "MakeView: " + Describe(v) + " already aliases a buffer");
  v.alias_of = base;
  v.alias_kind = BufferSpec::kView;
}

void MakeInPlace(Schedule* s, int output, int input) {
  const BufferSpec& in = At(*s, input, "MakeInPlace");
  At(*s, output, "MakeInPlace");
  Check(output != input, "MakeInPlace: buffer " + std::to_string(output) + " cannot alias itself");
  BufferSpec& out = s->buffers[static_cast<size_t>(output)];
  Check(out.alias_of < 0, "MakeInPlace: " + Describe(out) + " already aliases a buffer");
  Check(in.last_step == out.first_step, "MakeInPlace: " + Describe(in) + " is used until step " +
                                            std::to_string(in.last_step) + ", so " +
                                            Describe(out) + " born at step " +
                                            std::to_string(out.first_step) +
                                            " cannot overwrite it");
  Check(!in.live_out, "MakeInPlace: " + Describe(in) + " is a model output, so " + Describe(out) +
                         " cannot overwrite it");
  Check(out.size <= in.size, "MakeInPlace: " + Describe(out) + " (" + std::to_string(out.size) +
                                " bytes) does not fit in " + Describe(in) + " (" +
                                std::to_string(in.size) + " bytes)");
  out.alias_of = input;
  out.alias_kind = BufferSpec::kInPlace;
}

void ValidateSchedule(const Schedule& s) {
  Check(s.num_steps >= 0, "schedule has a negative number of steps");
  Check(s.step_labels.empty() || static_cast<int>(s.step_labels.size()) == s.num_steps,
        "schedule has " + std::to_string(s.step_labels.size()) + " step labels for " +
            std::to_string(s.num_steps) + " steps");
  const int n = static_cast<int>(s.buffers.size());
  for (int i = 0; i < n; ++i) {
    const BufferSpec& b = s.buffers[static_cast<size_t>(i)];
    Check(b.id == i, "buffer at index " + std::to_string(i) + " has id " + std::to_string(b.id));
    Check(b.size >= 0, Describe(b) + " has negative size");
    Check(b.first_step >= 0 && b.first_step <= b.last_step && b.last_step < s.num_steps,
          Describe(b) + " lifetime [" + std::to_string(b.first_step) + ", " +
              std::to_string(b.last_step) + "] is outside the " + std::to_string(s.num_steps) +
              " steps");
    Check(b.alias_of < n && b.alias_of != i && b.alias_of >= -1,
          Describe(b) + " aliases a buffer that does not exist: " + std::to_string(b.alias_of));
  }
  // Alias chains must end: follow each at most n links.
  for (int i = 0; i < n; ++i) {
    int cur = i;
    for (int hops = 0; s.buffers[static_cast<size_t>(cur)].alias_of >= 0; ++hops) {
      Check(hops < n, Describe(s.buffers[static_cast<size_t>(i)]) + " is on an alias cycle");
      cur = s.buffers[static_cast<size_t>(cur)].alias_of;
    }
  }
  // In place: the overwritten input is read at the output's first step, and nothing else sharing the
  // storage that was born earlier may still be needed after that step (nor be a model output).
  for (const BufferSpec& b : s.buffers) {
    if (b.alias_of < 0 || b.alias_kind != BufferSpec::kInPlace) continue;
    const BufferSpec& in = s.buffers[static_cast<size_t>(b.alias_of)];
    Check(in.last_step == b.first_step, Describe(b) + " is written in place over " + Describe(in) +
                                            ", which is used until step " +
                                            std::to_string(in.last_step) + ", not step " +
                                            std::to_string(b.first_step));
    Check(b.size <= in.size, Describe(b) + " (" + std::to_string(b.size) +
                                 " bytes) is written in place over the smaller " + Describe(in));
    const int root = RootOf(s, b.id, AliasMode::kAll);
    const int own_data = RootOf(s, b.id, AliasMode::kViewsOnly);  // b and its views hold b's bytes
    for (const BufferSpec& m : s.buffers) {
      if (RootOf(s, m.id, AliasMode::kAll) != root || RootOf(s, m.id, AliasMode::kViewsOnly) == own_data) continue;
      if (m.first_step <= b.first_step) {
        Check(m.last_step <= b.first_step, Describe(b) + " is written in place over storage that " +
                                               Describe(m) + " still needs until step " +
                                               std::to_string(m.last_step));
        Check(!m.live_out, Describe(b) + " is written in place over " + Describe(m) +
                               ", a model output (read after the last step)");
      }
    }
  }
  // In general: two buffers of one storage group alive at a common step must hold the same bytes (be
  // views of one another), or be the hand-over of an in-place op: the older dies at the very step
  // the newer, written in place, is born.
  for (const BufferSpec& a : s.buffers) {
    for (const BufferSpec& b : s.buffers) {
      if (b.id <= a.id || !LifetimesOverlap(a.first_step, a.last_step, b.first_step, b.last_step)) {
        continue;
      }
      if (RootOf(s, a.id, AliasMode::kAll) != RootOf(s, b.id, AliasMode::kAll)) continue;
      if (RootOf(s, a.id, AliasMode::kViewsOnly) == RootOf(s, b.id, AliasMode::kViewsOnly)) continue;
      const BufferSpec& older = a.first_step <= b.first_step ? a : b;
      const BufferSpec& newer = a.first_step <= b.first_step ? b : a;
      const bool hand_over = newer.alias_of >= 0 && newer.alias_kind == BufferSpec::kInPlace &&
                             older.last_step == newer.first_step;
      Check(hand_over, Describe(a) + " and " + Describe(b) +
                           " share storage but hold different data at step " +
                           std::to_string(std::max(a.first_step, b.first_step)));
    }
  }
}

StorageMap BuildStorage(const Schedule& s, AliasMode mode) {
  const int n = static_cast<int>(s.buffers.size());
  StorageMap map;
  map.group_of.assign(static_cast<size_t>(n), -1);
  std::vector<int> group_of_root(static_cast<size_t>(n), -1);
  for (int i = 0; i < n; ++i) {
    if (RootOf(s, i, mode) != i) continue;
    group_of_root[static_cast<size_t>(i)] = static_cast<int>(map.groups.size());
    StorageGroup g;
    g.root = i;
    g.first_step = s.buffers[static_cast<size_t>(i)].first_step;
    g.last_step = s.buffers[static_cast<size_t>(i)].last_step;
    map.groups.push_back(g);
  }
  for (int i = 0; i < n; ++i) {
    const BufferSpec& b = s.buffers[static_cast<size_t>(i)];
    const int gi = group_of_root[static_cast<size_t>(RootOf(s, i, mode))];
    StorageGroup& g = map.groups[static_cast<size_t>(gi)];
    g.members.push_back(i);
    g.size = std::max(g.size, b.size);
    g.first_step = std::min(g.first_step, b.first_step);
    g.last_step = std::max(g.last_step, b.last_step);
    map.group_of[static_cast<size_t>(i)] = gi;
  }
  return map;
}

}  // namespace tinyfuse::memory
