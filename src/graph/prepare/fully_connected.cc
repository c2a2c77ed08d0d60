#include "graph/prepare/fully_connected.h"

#include <string>
#include <variant>

#include "common/error.h"
#include "common/text.h"

namespace tinyfuse {

FullyConnectedParams PrepareFullyConnected(const Graph& g, const Op& op, Arith arith) {
  const std::string what = OpLabel(g, op);
  Check(op.kind == OpKind::kFullyConnected, what + ": not a FULLY_CONNECTED");
  Check(op.inputs.size() >= 2 && op.outputs.size() == 1 && op.inputs[0] >= 0 && op.inputs[1] >= 0,
        what + ": needs input, weights and one output");
  const auto* attrs = std::get_if<FullyConnectedAttrs>(&op.attrs);
  Check(attrs != nullptr, what + ": missing fully-connected attributes");
  const Tensor& in = g.tensor(op.inputs[0]);
  const Tensor& filter = g.tensor(op.inputs[1]);
  const Tensor& out = g.tensor(op.outputs[0]);
  Check(filter.rank() == 2, what + ": weights " + QuoteName(filter.name) + " must be rank 2 [output_depth, accum_depth]");
  Check(out.rank() >= 1, what + ": output must have rank >= 1");

  FullyConnectedParams p;
  p.dtype = in.dtype;
  p.output_depth = filter.dim(0);
  p.accum_depth = filter.dim(1);
  Check(p.output_depth > 0 && p.accum_depth > 0, what + ": empty weights");
  Check(out.dim(out.rank() - 1) == p.output_depth,
        what + ": output depth " + std::to_string(out.dim(out.rank() - 1)) + " does not match the weights' " +
            std::to_string(p.output_depth));
  p.batches = static_cast<int>(out.num_elements() / p.output_depth);
  Check(in.num_elements() == static_cast<int64_t>(p.batches) * p.accum_depth,
        what + ": input has " + std::to_string(in.num_elements()) + " elements, expected " +
            std::to_string(p.batches) + " x " + std::to_string(p.accum_depth));
  p.has_bias = CheckBias(g, op, p.output_depth, what);
  p.quant = PrepareConvQuant(in, filter, out, /*channel_axis=*/0, p.output_depth, attrs->activation, arith,
                             ConvMultiplierRule::kByWeightGranularity, what);
  return p;
}

}  // namespace tinyfuse
