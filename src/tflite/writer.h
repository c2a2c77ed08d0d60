// The TFLite writer: the graph IR out as a .tflite model that ImportTflite reads back to an equal graph
// (same tensors in the same order, same ops, attrs, quantization and constant data).
//
// Layout of the file: schema version 3, one subgraph, buffer 0 empty, one buffer per constant tensor (in
// tensor order), operator codes deduplicated by (operator, version) in order of first use, the options table
// of each op filled from its attrs, omitted inputs kept as -1.
//
// It is how tests and fuzzers build models without the shared corpus. For deliberately broken files, build
// the RawModel with RawModelFromGraph, edit it (raw_model.h), and serialise it with WriteRawModel.
// The graph need not be verified, but every tensor id it uses must be in range (else Error). Limits: a
// constant tensor with zero elements reads back as an activation (the format has no empty constants).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "tflite/raw_model.h"

namespace tinyfuse {

RawModel RawModelFromGraph(const Graph& g);
std::vector<uint8_t> WriteTflite(const Graph& g);
void WriteTfliteFile(const Graph& g, const std::string& path);

}  // namespace tinyfuse
