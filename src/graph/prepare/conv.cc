#include "graph/prepare/conv.h"

#include <string>
#include <variant>

#include "common/error.h"
#include "common/text.h"

namespace tinyfuse {

ConvParams PrepareConv2D(const Graph& g, const Op& op, Arith arith) {
  const std::string what = OpLabel(g, op);
  Check(op.kind == OpKind::kConv2D, what + ": not a CONV_2D");
  Check(op.inputs.size() >= 2 && op.outputs.size() == 1 && op.inputs[0] >= 0 && op.inputs[1] >= 0,
        what + ": needs input, filter and one output");
  const auto* attrs = std::get_if<Conv2DAttrs>(&op.attrs);
  Check(attrs != nullptr, what + ": missing conv attributes");
  const Tensor& in = g.tensor(op.inputs[0]);
  const Tensor& filter = g.tensor(op.inputs[1]);
  const Tensor& out = g.tensor(op.outputs[0]);
  Check(filter.rank() == 4, what + ": filter " + QuoteName(filter.name) + " must be rank 4 (OHWI)");

  ConvParams p;
  p.dtype = in.dtype;
  p.window = PrepareWindow2D(in, out, filter.dim(1), filter.dim(2), attrs->padding, attrs->stride_h,
                             attrs->stride_w, attrs->dilation_h, attrs->dilation_w, what);
  p.input_channels = in.dim(3);
  p.output_channels = filter.dim(0);
  p.filter_input_channels = filter.dim(3);
  Check(p.filter_input_channels > 0 && p.input_channels % p.filter_input_channels == 0,
        what + ": input channels " + std::to_string(p.input_channels) + " are not a multiple of the filter's " +
            std::to_string(p.filter_input_channels));
  p.groups = p.input_channels / p.filter_input_channels;
  Check(p.output_channels % p.groups == 0, what + ": output channels are not a multiple of the group count");
  Check(out.dim(3) == p.output_channels, what + ": output channels " + std::to_string(out.dim(3)) +
                                             " do not match the filter's " + std::to_string(p.output_channels));
  p.has_bias = CheckBias(g, op, p.output_channels, what);
  p.quant = PrepareConvQuant(in, filter, out, /*channel_axis=*/0, p.output_channels, attrs->activation, arith,
                             ConvMultiplierRule::kAlwaysPerChannelPath, what);
  return p;
}

}  // namespace tinyfuse
