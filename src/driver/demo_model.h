// The built-in default model of `tinyfuse demo`: a MobileNet-v1-style classifier head whose first layer is
// the seed layer of TVM issue 8717 (uint8 1x56x56x128 input, 3x3 depthwise, SAME padding, stride 1,
// per-tensor quantization, RELU6). Weights are deterministic (a fixed pseudo-random sequence), so the
// model, its C code and its outputs are the same on every machine, and no download is needed.
#pragma once

#include "graph/graph.h"

namespace tinyfuse {

// Ops: DEPTHWISE_CONV_2D (the seed layer) -> CONV_2D 1x1 -> DEPTHWISE_CONV_2D 3x3 stride 2 -> CONV_2D 1x1
// -> AVERAGE_POOL_2D -> RESHAPE -> FULLY_CONNECTED -> SOFTMAX. uint8 per-tensor, like TF1 QAT MobileNets.
Graph BuildDemoModel();

// Index (in execution order) of the seed layer in BuildDemoModel()'s graph.
constexpr int kDemoSeedOp = 0;

// A graph holding only the seed layer (uint8 1x56x56x128, 3x3 depthwise, SAME, stride 1, RELU6).
Graph BuildSeedLayer();

}  // namespace tinyfuse
