// The shape-and-map functions of the data-movement operators (CONCATENATION, PACK, SPLIT, SLICE,
// STRIDED_SLICE, SQUEEZE, EXPAND_DIMS): each checks its operator's rule once and describes every output as
// MoveMaps (graph/prepare/move.h). The verifier compares the shapes they give with the model's; the
// interpreter runs their maps (interp/move.cc); canonicalization turns them into move steps or views.
// Semantics are TFLite Micro's reference kernels: elements are copied unchanged (CONCATENATION and PACK do
// not requantize in TFLite Micro, whatever the quantization of their inputs).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "graph/graph.h"
#include "graph/prepare/move.h"

namespace tinyfuse {

struct MovePart {
  int input = 0;  // index into the op's inputs
  MoveMap map;
};

struct MovePlan {
  std::vector<std::vector<int32_t>> output_shapes;  // per output, what the operator's rule gives
  std::vector<std::vector<MovePart>> parts;        // per output, the maps that together write it
  std::string label;                               // the resolved options, for printing
  // Whether output `o` is its one input's bytes unchanged (a view: no copy, no loop).
  bool IsView(size_t o) const { return parts[o].size() == 1 && IsIdentity(parts[o][0].map); }
};

// Whether `kind` is one of the operators above.
bool IsMoveOp(OpKind kind);

// Throws Error (naming the op) for invalid options, an axis out of range, non-constant index tensors, and
// inputs whose shapes break the operator's rule. The output tensors' shapes are not looked at.
MovePlan PlanMove(const Graph& g, const Op& op);

}  // namespace tinyfuse
