// Text form of the graph IR, for `tinyfuse inspect`, debugging and golden tests. One header line, the
// graph inputs and outputs, then every op in execution order with its attrs and one line per input and
// output tensor (id, name, constness, dtype, shape, quantization). Deterministic: the same graph always
// prints the same text. Works on unverified graphs too (ids out of range print as such).
//
//   graph: 4 tensors, 1 op
//   input  t0 'x' int8[1,8,8,3] s=0.5 zp=-1
//   output t3 'y' int8[1,8,8,4] s=0.25 zp=3
//   op 0 CONV_2D v1 padding=SAME stride=1x1 dilation=1x1 activation=RELU
//     in  t0 'x' int8[1,8,8,3] s=0.5 zp=-1
//     in  t1 'w' const int8[4,3,3,3] per-channel axis=0 scales[4]=0.01..0.04 zp=0
//     in  -  (omitted)
//     out t3 'y' int8[1,8,8,4] s=0.25 zp=3
#pragma once

#include <string>

#include "graph/graph.h"

namespace tinyfuse {

std::string PrintGraph(const Graph& g);

// Pieces of the above, for other printers and error messages.
std::string PrintShape(const std::vector<int32_t>& shape);  // "[1,8,8,3]"
std::string PrintQuantization(const Quantization& q);       // "s=0.5 zp=-1", "no-quant", "per-channel ..."
std::string PrintAttrs(const Op& op);                       // "padding=SAME stride=1x1 ..." or ""
std::string PrintTensor(const Graph& g, int id);            // "t0 'x' int8[1,8,8,3] s=0.5 zp=-1"

}  // namespace tinyfuse
