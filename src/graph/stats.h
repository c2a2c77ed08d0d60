// Size and work figures of a graph, computed from the IR alone, for `tinyfuse inspect`.
//
//  macs          multiply-accumulates of the conv-like ops: CONV_2D out_elements * KH * KW * I (I = input
//                channels per group), DEPTHWISE_CONV_2D out_elements * KH * KW, FULLY_CONNECTED
//                out_elements * depth. Other ops count 0 (pooling, ADD, MEAN, SOFTMAX do no multiplies
//                worth comparing).
//  weight_bytes  bytes of the constant tensors an op reads (weights, biases, paddings, ...); for the graph,
//                each constant counted once.
//  activation_bytes  for the graph: the SUM of the byte sizes of every non-constant tensor the graph uses,
//                each once. Not the arena size: memory/ plans that (with reuse it is far smaller).
//
// Expects a verified graph (VerifyGraph): shapes are trusted.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "graph/graph.h"

namespace tinyfuse {

struct OpStats {
  int64_t macs = 0;
  int64_t weight_bytes = 0;  // constant inputs of this op
  int64_t input_bytes = 0;   // non-constant inputs
  int64_t output_bytes = 0;
};

struct GraphStats {
  std::vector<OpStats> ops;  // one per g.ops entry
  int64_t weight_bytes = 0;
  int64_t activation_bytes = 0;
  int64_t total_macs = 0;
};

GraphStats ComputeStats(const Graph& g);

// One JSON object (no trailing newline): graph inputs/outputs with dtype, shape and quantization, every op
// with its name, version, tensors, output shape and stats, the totals, and the arithmetic "auto" picks.
// Strings are escaped (control characters as \u00XX, invalid UTF-8 as U+FFFD); non-finite numbers are null.
std::string StatsJson(const Graph& g, const GraphStats& stats);

}  // namespace tinyfuse
