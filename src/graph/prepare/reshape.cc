#include "graph/prepare/reshape.h"

#include <string>

#include "common/error.h"
#include "graph/prepare/common.h"

namespace tinyfuse {

ReshapeParams PrepareReshape(const Graph& g, const Op& op) {
  const std::string what = OpLabel(g, op);
  Check(!op.inputs.empty() && op.inputs.size() <= 2 && op.outputs.size() == 1,
        what + ": needs an input, an optional shape and one output");
  const Tensor& in = g.tensor(op.inputs[0]);
  const Tensor& out = g.tensor(op.outputs[0]);
  Check(in.dtype == out.dtype, what + ": input and output dtypes differ");
  Check(in.num_elements() == out.num_elements(), what + ": input has " + std::to_string(in.num_elements()) +
                                                     " elements, output " + std::to_string(out.num_elements()));
  ReshapeParams p;
  p.bytes = in.byte_size();
  return p;
}

}  // namespace tinyfuse
