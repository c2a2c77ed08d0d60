// The tinyfuse pipeline, one function per stage the CLI exposes, readable top to bottom:
//   LoadModel:  .tflite bytes -> verified Graph (tflite/ importer, graph/ verifier)
//   RunInterpreter: Graph + inputs -> outputs (interp/, the executable specification)
// Compilation (fuse -> lower -> plan -> emit C) is in driver/compile.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "tflite/importer.h"

namespace tinyfuse {

// Imports and verifies a model file, refusing tensors over `limits` before allocating them. Throws Error
// naming the problem.
Graph LoadModel(const std::string& path, const ImportLimits& limits = {});

// "tflm" | "tflite" | "auto" (nullopt). Throws Error on anything else.
std::optional<Arith> ParseArith(const std::string& name);
// The flavour to use for `g`: the forced one, or ChooseArith(g).
Arith ResolveArith(const Graph& g, std::optional<Arith> forced);

// Checks the number and sizes of `inputs` against the graph's inputs; throws Error naming the mismatch.
void CheckInputs(const Graph& g, const std::vector<std::vector<uint8_t>>& inputs);

// Runs the reference interpreter.
std::vector<std::vector<uint8_t>> RunInterpreter(const Graph& g, Arith arith,
                                                 const std::vector<std::vector<uint8_t>>& inputs);

}  // namespace tinyfuse
