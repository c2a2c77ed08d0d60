#include "interp/fold_constants.h"

#include <utility>
#include <vector>

#include "interp/interpreter.h"

namespace tinyfuse {

namespace {

bool Foldable(const Graph& g, const Op& op) {
  for (int id : op.outputs) {
    for (int out : g.outputs) {
      if (id == out) return false;
    }
  }
  if (op.kind == OpKind::kShape) return true;
  bool any = false;
  for (int id : op.inputs) {
    if (id < 0) continue;
    if (!g.tensor(id).is_const) return false;
    any = true;
  }
  return any;
}

}  // namespace

int FoldConstants(Graph& g) {
  std::vector<Op> kept;
  int folded = 0;
  for (size_t k = 0; k < g.ops.size(); ++k) {
    if (!Foldable(g, g.ops[k])) {
      kept.push_back(g.ops[k]);
      continue;
    }
    std::vector<std::vector<uint8_t>> results;
    {
      Interpreter interp(g, ChooseArith(g));
      interp.InvokeOp(static_cast<int>(k));
      for (int id : g.ops[k].outputs) results.push_back(interp.TensorBytes(id));
    }
    for (size_t o = 0; o < results.size(); ++o) {
      Tensor& t = g.tensor(g.ops[k].outputs[o]);
      t.data = std::move(results[o]);
      t.is_const = true;
    }
    ++folded;
  }
  g.ops = std::move(kept);
  return folded;
}

}  // namespace tinyfuse
