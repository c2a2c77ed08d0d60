// Prepare of RESHAPE: the bytes are copied unchanged; only the element count must agree. The optional
// second input (the new shape) is ignored: the output tensor's shape is authoritative.
#pragma once

#include <cstdint>

#include "graph/graph.h"

namespace tinyfuse {

struct ReshapeParams {
  int64_t bytes = 0;  // bytes copied from input to output
};

// Throws Error for mismatched dtypes or element counts.
ReshapeParams PrepareReshape(const Graph& g, const Op& op);

}  // namespace tinyfuse
