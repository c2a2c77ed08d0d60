// Differential check of generated C against the reference interpreter, tolerance zero: the graph is
// lowered whole (loop::LowerGraph), emitted as C, compiled once per host compiler (gcc, and clang with
// UBSan + ASan so any undefined behaviour in the generated C fails the test) and run on every input set;
// every output byte must equal the interpreter's. Shared by the codegen and loop_ops tests.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "codegen/c_emitter.h"
#include "graph/graph.h"

namespace tinyfuse::codegen {

using InputSet = std::vector<std::vector<uint8_t>>;  // one byte vector per graph input

struct DiffOptions {
  std::vector<std::string> compilers = {"gcc", "clang"};
  bool sanitize_clang = true;
  std::string extra_flags;      // appended to the host runner's flags for every compiler
  std::string sanitized_flags;  // appended before the sanitizer flags of a sanitized clang build (e.g. -O0)
  // The C to check; null: loop::LowerGraph, every tensor in its own arena region (SequentialLayout).
  std::function<GeneratedC(const Graph&, Arith)> emit;
};

// "" when every output of every set matches; else the first mismatch (compiler, set, output, byte).
std::string DiffAgainstInterpreter(const Graph& g, Arith arith, const std::vector<InputSet>& sets,
                                   const DiffOptions& options = {});

}  // namespace tinyfuse::codegen
