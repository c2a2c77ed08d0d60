#include "memory/graph_schedule.h"

#include <algorithm>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/text.h"
#include "graph/prepare/move_ops.h"

namespace tinyfuse::memory {

namespace {

struct TensorLife {
  int producer = -1;        // step, -1 when none
  int first = -1;
  int last = -1;
  bool read_elsewhere = false;  // read by a step other than its producer
  bool is_input = false;
  bool is_output = false;
  bool used() const { return first >= 0; }
  void Touch(int step) {
    first = first < 0 ? step : std::min(first, step);
    last = std::max(last, step);
  }
};

std::string TensorName(const Graph& g, int t) {
  return "tensor " + std::to_string(t) + " " + QuoteName(g.tensor(t).name);
}

}  // namespace

Schedule BuildGraphSchedule(const Graph& g, const ScheduleOptions& options) {
  std::vector<std::vector<int>> groups;
  for (int op = 0; op < static_cast<int>(g.ops.size()); ++op) groups.push_back({op});
  return BuildGroupedSchedule(g, groups, {}, options);
}

Schedule BuildGroupedSchedule(const Graph& g, const std::vector<std::vector<int>>& groups,
                              const std::vector<int64_t>& workspace_bytes,
                              const ScheduleOptions& options) {
  Schedule s;
  s.num_steps = static_cast<int>(groups.size());
  Check(workspace_bytes.empty() || workspace_bytes.size() == groups.size(),
        "schedule: " + std::to_string(workspace_bytes.size()) + " workspace sizes for " +
            std::to_string(groups.size()) + " steps");
  const int num_ops = static_cast<int>(g.ops.size());
  // An op is in one step, or, when it has several outputs written by separate kernels (SPLIT: one move
  // step per output), in a run of consecutive steps: its outputs count as produced at the first of them
  // and its inputs as read until the last (conservative: no output shares memory with a live input).
  std::vector<int> step_of_op(static_cast<size_t>(num_ops), -1);
  std::vector<int> last_step_of_op(static_cast<size_t>(num_ops), -1);
  for (int step = 0; step < s.num_steps; ++step) {
    for (int op : groups[static_cast<size_t>(step)]) {
      Check(op >= 0 && op < num_ops, "schedule: step " + std::to_string(step) +
                                         " names op " + std::to_string(op) + " of " +
                                         std::to_string(num_ops));
      const size_t o = static_cast<size_t>(op);
      const bool continues = last_step_of_op[o] == step - 1 && g.ops[o].outputs.size() > 1;
      Check(step_of_op[o] < 0 || continues, "schedule: op " + std::to_string(op) + " is in two steps");
      if (step_of_op[o] < 0) step_of_op[o] = step;
      last_step_of_op[o] = step;
    }
  }
  for (int op = 0; op < num_ops; ++op) {
    Check(step_of_op[static_cast<size_t>(op)] >= 0,
          "schedule: op " + std::to_string(op) + " is in no step");
  }
  if (s.num_steps == 0) return s;

  const int num_tensors = static_cast<int>(g.tensors.size());
  std::vector<TensorLife> life(static_cast<size_t>(num_tensors));
  auto at = [&](int t) -> TensorLife& {
    Check(t >= 0 && t < num_tensors, "graph refers to tensor " + std::to_string(t) + " but has " +
                                         std::to_string(num_tensors));
    return life[static_cast<size_t>(t)];
  };
  for (int t : g.inputs) {
    at(t).is_input = true;
    at(t).Touch(0);
  }
  for (int t : g.outputs) {
    at(t).is_output = true;
    at(t).Touch(s.num_steps - 1);
  }
  for (int op = 0; op < num_ops; ++op) {
    for (int t : g.ops[static_cast<size_t>(op)].outputs) {
      TensorLife& l = at(t);
      Check(l.producer < 0, TensorName(g, t) + " is produced twice");
      l.producer = step_of_op[static_cast<size_t>(op)];
      l.Touch(l.producer);
    }
  }
  for (int op = 0; op < num_ops; ++op) {
    const int step = step_of_op[static_cast<size_t>(op)];
    for (int t : g.ops[static_cast<size_t>(op)].inputs) {
      if (t < 0) continue;  // omitted optional input
      TensorLife& l = at(t);
      Check(l.producer <= step || l.is_input,
            TensorName(g, t) + " is read at step " + std::to_string(step) +
                " before step " + std::to_string(l.producer) + " produces it");
      if (step != l.producer) l.read_elsewhere = true;
      l.Touch(step);
      l.Touch(last_step_of_op[static_cast<size_t>(op)]);
    }
  }

  // Order buffers by first step, then tensor id, so ids read in execution order.
  std::vector<int> order;
  for (int t = 0; t < num_tensors; ++t) {
    const TensorLife& l = life[static_cast<size_t>(t)];
    if (!l.used() || g.tensor(t).is_const) continue;
    if (l.is_input && !options.inputs_in_arena) continue;
    if (l.is_output && !l.is_input && !options.outputs_in_arena) continue;
    const bool internal = l.producer >= 0 && !l.read_elsewhere && !l.is_output && !l.is_input &&
                          groups[static_cast<size_t>(l.producer)].size() > 1;
    if (internal) continue;
    order.push_back(t);
  }
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return life[static_cast<size_t>(a)].first < life[static_cast<size_t>(b)].first;
  });
  std::vector<int> buffer_of(static_cast<size_t>(num_tensors), -1);
  for (int t : order) {
    const TensorLife& l = life[static_cast<size_t>(t)];
    const Tensor& tensor = g.tensor(t);
    const BufferSpec::Kind kind = l.is_input    ? BufferSpec::kInput
                                  : l.is_output ? BufferSpec::kOutput
                                                : BufferSpec::kActivation;
    std::string name = tensor.name.empty() ? "t" + std::to_string(t) : tensor.name;
    buffer_of[static_cast<size_t>(t)] =
        AddBuffer(&s, std::move(name), tensor.byte_size(), kind, l.first, l.last, t);
    s.buffers[static_cast<size_t>(buffer_of[static_cast<size_t>(t)])].live_out = l.is_output;
  }
  if (options.reshape_as_view) {
    for (const Op& op : g.ops) {
      // RESHAPE, and every data-movement op whose map is the identity (SQUEEZE, EXPAND_DIMS, ...).
      const bool view = op.kind == OpKind::kReshape || (IsMoveOp(op.kind) && PlanMove(g, op).IsView(0));
      if (!view || op.inputs.empty() || op.outputs.empty()) continue;
      const int in = op.inputs[0] < 0 ? -1 : buffer_of[static_cast<size_t>(op.inputs[0])];
      const int out = buffer_of[static_cast<size_t>(op.outputs[0])];
      if (in >= 0 && out >= 0) MakeView(&s, out, in);
    }
  }
  for (int step = 0; step < s.num_steps; ++step) {
    std::string label = std::to_string(step);
    for (size_t k = 0; k < groups[static_cast<size_t>(step)].size(); ++k) {
      label += (k ? "+" : " ");
      label += OpName(g.ops[static_cast<size_t>(groups[static_cast<size_t>(step)][k])].kind);
    }
    s.step_labels.push_back(label);
    if (!workspace_bytes.empty() && workspace_bytes[static_cast<size_t>(step)] > 0) {
      AddWorkspace(&s, "workspace of step " + std::to_string(step),
                   workspace_bytes[static_cast<size_t>(step)], step);
    }
  }
  ValidateSchedule(s);
  return s;
}

int ApplyInPlace(Schedule* s, const Graph& g, const std::vector<std::vector<int>>& groups,
                 const std::function<bool(int step)>& may_overwrite) {
  Check(static_cast<int>(groups.size()) == s->num_steps,
        "ApplyInPlace: " + std::to_string(groups.size()) + " groups for " +
            std::to_string(s->num_steps) + " steps");
  std::vector<int> buffer_of(g.tensors.size(), -1);
  for (const BufferSpec& b : s->buffers) {
    if (b.tensor >= 0 && b.tensor < static_cast<int>(g.tensors.size())) {
      buffer_of[static_cast<size_t>(b.tensor)] = b.id;
    }
  }
  int made = 0;
  for (int step = 0; step < s->num_steps; ++step) {
    if (!may_overwrite(step)) continue;
    for (int op : groups[static_cast<size_t>(step)]) {
      for (int out_t : g.ops[static_cast<size_t>(op)].outputs) {
        const int out = buffer_of[static_cast<size_t>(out_t)];
        if (out < 0 || s->buffers[static_cast<size_t>(out)].alias_of >= 0 ||
            s->buffers[static_cast<size_t>(out)].first_step != step) {
          continue;
        }
        for (int in_t : g.ops[static_cast<size_t>(op)].inputs) {
          const int in = in_t < 0 ? -1 : buffer_of[static_cast<size_t>(in_t)];
          if (in < 0 || in == out) continue;
          const BufferSpec& ib = s->buffers[static_cast<size_t>(in)];
          if (ib.live_out || ib.last_step != step || ib.size < s->buffers[static_cast<size_t>(out)].size) continue;
          Schedule trial = *s;
          MakeInPlace(&trial, out, in);
          try {
            ValidateSchedule(trial);
          } catch (const Error&) {
            continue;  // the input's storage is still needed by a view
          }
          *s = std::move(trial);
          ++made;
          break;
        }
      }
    }
  }
  return made;
}

}  // namespace tinyfuse::memory

