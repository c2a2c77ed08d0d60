// The models every structure-aware fuzz input starts from: one small valid graph per op kind and variant
// (int8 and uint8, SAME and VALID padding, per-tensor and per-channel weights, strides, dilations, groups,
// omitted biases), a chain of several ops, and the demo model. All pass VerifyGraph; the fuzzer breaks
// them through the writer's RawModel (mutator.h). The seed corpus generator writes them out as .tflite.
#pragma once

#include <string>
#include <vector>

#include "graph/graph.h"

namespace tinyfuse::fuzz {

struct SeedModel {
  std::string name;  // e.g. "conv2d_int8_pc_same"; also the corpus file name
  Graph graph;
};

// Built once, in a fixed order (a fuzz input names its seed by index, so keep appending at the end).
const std::vector<SeedModel>& SeedModels();

}  // namespace tinyfuse::fuzz
