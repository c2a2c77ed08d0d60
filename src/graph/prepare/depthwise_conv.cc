#include "graph/prepare/depthwise_conv.h"

#include <string>
#include <variant>

#include "common/error.h"
#include "common/text.h"

namespace tinyfuse {

DepthwiseConvParams PrepareDepthwiseConv2D(const Graph& g, const Op& op, Arith arith) {
  const std::string what = OpLabel(g, op);
  Check(op.kind == OpKind::kDepthwiseConv2D, what + ": not a DEPTHWISE_CONV_2D");
  Check(op.inputs.size() >= 2 && op.outputs.size() == 1 && op.inputs[0] >= 0 && op.inputs[1] >= 0,
        what + ": needs input, filter and one output");
  const auto* attrs = std::get_if<DepthwiseConv2DAttrs>(&op.attrs);
  Check(attrs != nullptr, what + ": missing depthwise attributes");
  const Tensor& in = g.tensor(op.inputs[0]);
  const Tensor& filter = g.tensor(op.inputs[1]);
  const Tensor& out = g.tensor(op.outputs[0]);
  Check(filter.rank() == 4 && filter.dim(0) == 1, what + ": filter " + QuoteName(filter.name) + " must be [1, H, W, C]");

  DepthwiseConvParams p;
  p.dtype = in.dtype;
  p.window = PrepareWindow2D(in, out, filter.dim(1), filter.dim(2), attrs->padding, attrs->stride_h,
                             attrs->stride_w, attrs->dilation_h, attrs->dilation_w, what);
  p.input_channels = in.dim(3);
  p.output_channels = filter.dim(3);
  Check(p.input_channels > 0 && p.output_channels % p.input_channels == 0,
        what + ": filter channels " + std::to_string(p.output_channels) + " are not a multiple of input channels " +
            std::to_string(p.input_channels));
  p.depth_multiplier = p.output_channels / p.input_channels;
  Check(attrs->depth_multiplier == 0 || attrs->depth_multiplier == p.depth_multiplier,
        what + ": depth_multiplier " + std::to_string(attrs->depth_multiplier) + " disagrees with the shapes (" +
            std::to_string(p.depth_multiplier) + ")");
  Check(out.dim(3) == p.output_channels, what + ": output channels " + std::to_string(out.dim(3)) +
                                             " do not match the filter's " + std::to_string(p.output_channels));
  p.has_bias = CheckBias(g, op, p.output_channels, what);
  p.quant = PrepareConvQuant(in, filter, out, /*channel_axis=*/3, p.output_channels, attrs->activation, arith,
                             ConvMultiplierRule::kAlwaysPerChannelPath, what);
  return p;
}

}  // namespace tinyfuse
