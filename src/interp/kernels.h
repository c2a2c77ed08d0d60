// Kernel entry points of the interpreter, one per OpKind (see graph/ops.def). Each kernel reads its
// inputs and writes its outputs through the KernelContext; constants (weights, bias, shapes, paddings)
// are read from the buffers too, which hold a copy of each constant's data.
#pragma once

#include <cstdint>
#include <vector>

#include "graph/graph.h"

namespace tinyfuse {

struct KernelContext {
  const Graph& graph;
  const Op& op;
  Arith arith;
  std::vector<std::vector<uint8_t>>& buffers;

  const Tensor& input(int i) const { return graph.tensor(op.inputs[static_cast<size_t>(i)]); }
  const Tensor& output(int i) const { return graph.tensor(op.outputs[static_cast<size_t>(i)]); }
  bool has_input(int i) const { return static_cast<size_t>(i) < op.inputs.size() && op.inputs[static_cast<size_t>(i)] >= 0; }
  const uint8_t* in(int i) const { return buffers[static_cast<size_t>(op.inputs[static_cast<size_t>(i)])].data(); }
  uint8_t* out(int i) const { return buffers[static_cast<size_t>(op.outputs[static_cast<size_t>(i)])].data(); }
};

// The bias operand (input 2) of a conv-like op as int32 values, one per channel; empty when has_bias is false.
std::vector<int32_t> ReadBias(const KernelContext& ctx, bool has_bias, int channels);

#define TINYFUSE_OP(e, name, code, ver) void Eval_##e(const KernelContext& ctx);
#include "graph/ops.def"

}  // namespace tinyfuse
