// Differential checking of generated C against the reference interpreter: same graph, same input bytes,
// outputs must be byte-identical (tolerance zero).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "graph/graph.h"

namespace tinyfuse::codegen {

struct DiffOptions {
  std::vector<std::string> compilers = {"gcc", "clang"};
  bool ubsan_with_clang = true;  // clang builds also run under -fsanitize=undefined,address
  int input_sets = 2;            // random inputs per compiler
  uint64_t seed = 7;
};

// Lowers, emits, compiles and runs `g`; compares every output with the interpreter's. Returns "" when all
// match, else a description of the first mismatch (which output, which byte, both values).
std::string DiffAgainstInterpreter(const Graph& g, Arith arith, const DiffOptions& options = {});

}  // namespace tinyfuse::codegen
