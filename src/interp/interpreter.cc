#include "interp/interpreter.h"

#include <string>

#include "common/error.h"
#include "common/text.h"
#include "graph/prepare/common.h"
#include "interp/kernels.h"

namespace tinyfuse {

namespace {
using KernelFn = void (*)(const KernelContext&);
constexpr KernelFn kKernels[] = {
#define TINYFUSE_OP(e, name, code, ver) &Eval_##e,
#include "graph/ops.def"
};
}  // namespace

std::vector<int32_t> ReadBias(const KernelContext& ctx, bool has_bias, int channels) {
  std::vector<int32_t> bias;
  for (int c = 0; has_bias && c < channels; ++c) bias.push_back(Load32(ctx.in(2), c));
  return bias;
}

Interpreter::Interpreter(const Graph& graph, Arith arith) : graph_(graph), arith_(arith) {
  buffers_.resize(graph.tensors.size());
  for (size_t i = 0; i < graph.tensors.size(); ++i) {
    const Tensor& t = graph.tensors[i];
    if (t.is_const) {
      buffers_[i] = t.data;
    } else {
      buffers_[i].assign(static_cast<size_t>(t.byte_size()), 0);
    }
  }
}

void Interpreter::SetInput(int index, const std::vector<uint8_t>& bytes) {
  Check(index >= 0 && static_cast<size_t>(index) < graph_.inputs.size(),
        "input " + std::to_string(index) + " does not exist (the model has " +
            std::to_string(graph_.inputs.size()) + ")");
  const int id = graph_.inputs[static_cast<size_t>(index)];
  const Tensor& t = graph_.tensor(id);
  Check(static_cast<int64_t>(bytes.size()) == t.byte_size(),
        "input " + std::to_string(index) + " (" + QuoteName(t.name) + ") needs " + std::to_string(t.byte_size()) +
            " bytes, got " + std::to_string(bytes.size()));
  buffers_[static_cast<size_t>(id)] = bytes;
}

void Interpreter::InvokeOp(int op_index) {
  const Op& op = graph_.ops.at(static_cast<size_t>(op_index));
  KernelContext ctx{graph_, op, arith_, buffers_};
  kKernels[static_cast<int>(op.kind)](ctx);
}

void Interpreter::Invoke() {
  for (size_t i = 0; i < graph_.ops.size(); ++i) InvokeOp(static_cast<int>(i));
}

const std::vector<uint8_t>& Interpreter::Output(int index) const {
  return buffers_.at(static_cast<size_t>(graph_.outputs.at(static_cast<size_t>(index))));
}

const std::vector<uint8_t>& Interpreter::TensorBytes(int tensor_id) const {
  return buffers_.at(static_cast<size_t>(tensor_id));
}

}  // namespace tinyfuse
