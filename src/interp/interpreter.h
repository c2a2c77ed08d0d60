// The reference interpreter: the executable specification of every op tinyfuse supports. It runs a
// Graph op by op on plain byte buffers, one per tensor, with the integer semantics of the chosen
// arithmetic flavour (TFLite Micro's reference kernels or TFLite's kernels). Everything the compiler
// generates is tested against it, and it is tested against the goldens of the real runtimes.
#pragma once

#include <cstdint>
#include <vector>

#include "graph/graph.h"

namespace tinyfuse {

class Interpreter {
 public:
  // The graph must have passed VerifyGraph. It is referenced, not copied: keep it alive.
  Interpreter(const Graph& graph, Arith arith);

  // Sets graph input `index` (position in graph.inputs). Throws Error when the size is wrong.
  void SetInput(int index, const std::vector<uint8_t>& bytes);
  // Runs every op in order.
  void Invoke();
  // Bytes of graph output `index` (position in graph.outputs).
  const std::vector<uint8_t>& Output(int index) const;
  // Bytes of any tensor after Invoke (activations) or its constant data.
  const std::vector<uint8_t>& TensorBytes(int tensor_id) const;

  // Runs a single op on the current buffers (used for per-layer checks).
  void InvokeOp(int op_index);

 private:
  const Graph& graph_;
  Arith arith_;
  std::vector<std::vector<uint8_t>> buffers_;  // one per tensor id; constants copy their data
};

}  // namespace tinyfuse
