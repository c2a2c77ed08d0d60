// Constant folding: an op whose inputs are all constants, or a SHAPE (static shapes are known), is run by
// the interpreter's own kernel at compile time; its outputs become constants and the op leaves the graph.
// Bit-exact by construction. Runs on a verified graph, before canonicalization (LoadModel does it).
#pragma once

#include "graph/graph.h"

namespace tinyfuse {

// Folds in execution order (a folded output makes its readers foldable). Ops writing a graph output are
// kept (constant outputs are unsupported). Returns the number of ops folded.
int FoldConstants(Graph& g);

}  // namespace tinyfuse
