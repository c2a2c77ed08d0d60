// The result of lowering a whole graph: one kernel (PrimFunc) per fused group, in execution order, plus
// what the memory planner and the C emitter need to know about the tensors the kernels touch.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "loop/ir.h"

namespace tinyfuse::loop {

struct Kernel {
  PrimFunc func;
  std::vector<int> ops;          // graph op indices fused into this kernel, in execution order
  std::string group;             // the fused steps, e.g. "PAD + DEPTHWISE_CONV_2D(acc, bias, rq, clamp, cast)"
  int64_t workspace_bytes = 0;   // bytes of every Allocate in func (workspace.h), filled by LowerGraph
};

// A model input or output as the generated header describes it.
struct IoTensor {
  int tensor_id = -1;
  std::string name;
  DType dtype = DType::kInt8;
  std::vector<int32_t> shape;
  float scale = 0.0f;  // 0 when the tensor has no quantization
  int32_t zero_point = 0;
  int64_t bytes = 0;
};

struct LoweredModel {
  Arith arith = Arith::kTflm;
  std::vector<Kernel> kernels;
  std::vector<IoTensor> inputs;   // graph inputs, in order
  std::vector<IoTensor> outputs;  // graph outputs, in order
  // Tensors that are views of another (RESHAPE outputs, and every data-movement op whose index map is
  // the identity: SQUEEZE, EXPAND_DIMS, ...): tensor -> the tensor that owns the bytes. Chains are resolved
  // (the value never appears as a key).
  std::map<int, int> alias_of;
  std::map<int, std::string> view_op;  // per alias: the op that became the view, e.g. "SQUEEZE #3"
  // Every tensor that owns arena bytes (kernel params, graph inputs and outputs after alias
  // resolution), ascending id, with its size.
  std::map<int, int64_t> storage_bytes;

  int StorageOf(int tensor_id) const {
    auto it = alias_of.find(tensor_id);
    return it == alias_of.end() ? tensor_id : it->second;
  }
};

}  // namespace tinyfuse::loop
