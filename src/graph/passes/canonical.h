// The canonical graph form: every TFLite op written as the steps it really performs, so that fusion is
// visible (and testable) before any loop exists. For the seed layer of TVM issue 8717:
//   %130 = depthwise_conv2d_acc(%0, w=%1, stride=1x1, pad=1x1)  : int32[1, 56, 56, 128]
//   %131 = bias_add(%130, %2)                                    : int32[1, 56, 56, 128]
//   %132 = requantize(%131, 2080045879 * 2^-4, zp=0, single)     : int32[1, 56, 56, 128]
//   %133 = clamp(%132, 0, 255)                                   : int32[1, 56, 56, 128]
//   %3   = cast(%133)                                            : uint8[1, 56, 56, 128]
// Values are the graph's tensors (ids 0 .. tensors-1, always 8-bit activations here) and the int32
// intermediates the steps create (ids from tensors.size() on). A step's output value belongs to it alone.
//
// Step kinds:
//  anchors (produce int32 from 8-bit tensors, or move bytes):
//    conv2d_acc, depthwise_conv2d_acc, fully_connected_acc: sum (x - zp_in) * (w - zp_w), wrapping int32,
//      taps outside the input skipped;
//    average_pool: rounded average of the in-bounds taps; max_pool: max of the in-bounds taps;
//    add_rescaled: both inputs rescaled to the common 2^20 scale and summed (ADD);
//    softmax: the whole softmax of a row, up to the output zero point (clamp and cast follow);
//    reduce_sum: MEAN's and SUM's sum over the reduced axes; reduce_max, reduce_min: the largest
//    (smallest) raw value over the reduced axes (REDUCE_MAX, REDUCE_MIN); arg_min_max: the index of
//    the first largest (smallest) value along one axis, written as int32 or int64 (ARG_MAX, ARG_MIN);
//    resize_bilinear: the weighted sum of four input pixels, rounded (RESIZE_BILINEAR);
//    elementwise_read: an 8-bit tensor read as int32 (QUANTIZE, DEQUANTIZE, the unary table ops);
//    quantize_float: a float32 tensor x read as clamp(roundf(x / scale), qmin - zp, qmax - zp) (QUANTIZE
//    from float; add_constant zp follows); transpose, pad, move: elements moved by an index map
//    (graph/prepare/move.h); reshape: a view (no bytes move); binary: MUL, SUB, MAXIMUM, MINIMUM,
//    SQUARED_DIFFERENCE, PRELU over broadcast inputs, up to the value the epilogue requantizes (or clamps).
//  epilogue (one int32 in, one out, element by element; channel = last axis):
//    bias_add, add_constant, requantize (x * M + zp; fixed-point or, for kTflite, XNNPACK's float scale),
//    rounding_shift ((x + 2^(s-1)) >> s + zp: XNNPACK's ADD), clamp, cast (to the 8-bit output),
//    dequantize (scale * float(x), into the float32 output: DEQUANTIZE's last step, in place of the cast),
//    lookup (an 8-bit unary op: the 8-bit value indexes a 256-entry table the compiler builds by running
//    the interpreter's scalar function on every input).
// All constants come from the per-op Prepare structs (graph/prepare/); nothing is recomputed here.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "graph/graph.h"
#include "graph/prepare/add.h"
#include "graph/prepare/arg_min_max.h"
#include "graph/prepare/common.h"
#include "graph/prepare/conv.h"
#include "graph/prepare/depthwise_conv.h"
#include "graph/prepare/elementwise.h"
#include "graph/prepare/fully_connected.h"
#include "graph/prepare/move.h"
#include "graph/prepare/move_ops.h"
#include "graph/prepare/reduce.h"
#include "graph/prepare/pad.h"
#include "graph/prepare/pooling.h"
#include "graph/prepare/quantize.h"
#include "graph/prepare/reshape.h"
#include "graph/prepare/resize_bilinear.h"
#include "graph/prepare/softmax.h"
#include "graph/prepare/transpose.h"

namespace tinyfuse::passes {

enum class StepKind : uint8_t {
  kConv2DAcc, kDepthwiseConv2DAcc, kFullyConnectedAcc, kAveragePool, kMaxPool, kAddRescaled, kSoftmax,
  kReduceSum, kReduceMax, kReduceMin, kArgMinMax, kResizeBilinear, kElementwiseRead, kQuantizeFloat, kTranspose,
  kPad, kMove, kReshape, kBinary,
  kBiasAdd, kAddConstant, kRequantize, kRoundingShift, kClamp, kCast, kDequantize, kLookup,
};
const char* StepKindName(StepKind k);  // "conv2d_acc", "bias_add", ...
// Anchors start a fused group; the other kinds are epilogue steps.
bool IsAnchor(StepKind k);

// A data-movement step (graph/prepare/move.h): part i moves step input i into its part of the output.
struct MoveParams {
  std::vector<MoveMap> parts;
  std::string label;  // what the op moved, for printing ("begin=[0, 1], strides=[1, 2]")
};
struct BiasAddAttrs {
  int bias_tensor = -1;  // int32 constant, one value per channel
};
struct AddConstantAttrs {
  int32_t value = 0;
};
struct RequantizeAttrs {
  std::vector<QuantizedMultiplier> multipliers;  // one, or one per channel
  Rounding rounding = Rounding::kDouble;
  int32_t zero_point = 0;  // added after the multiply
  std::vector<float> float_scales;  // Rounding::kFloat: one, or one per channel
};
struct RoundingShiftAttrs {
  int shift = 1;  // >= 1
  int32_t zero_point = 0;
};
struct ClampAttrs {
  int32_t min = 0, max = 0;
};
struct CastAttrs {
  DType dtype = DType::kInt8;
};
struct DequantizeAttrs {
  float scale = 0.0f;  // the input's scale: out = scale * float(x), x already minus the zero point
};
// Anchors carry the Prepare struct of their op (weights are named by tensor id).
struct ConvAccAttrs {
  ConvParams params;
  int filter_tensor = -1;
};
struct DepthwiseAccAttrs {
  DepthwiseConvParams params;
  int filter_tensor = -1;
};
// A binary anchor reads its inputs as tensors; a constant input (PRELU's alpha, a constant operand) is a
// compiler constant, not a step input.
struct BinaryAttrs {
  BinaryParams params;
  int input1_tensor = -1;
  int input2_tensor = -1;
};
struct FullyConnectedAccAttrs {
  FullyConnectedParams params;
  int filter_tensor = -1;
};

using StepAttrs = std::variant<std::monostate, ConvAccAttrs, DepthwiseAccAttrs, FullyConnectedAccAttrs, PoolParams,
                               AddParams, SoftmaxParams, ReduceParams, QuantizeParams, TransposeParams, PadParams,
                               MoveParams, ArgMinMaxParams, ResizeBilinearParams,
                               BiasAddAttrs, AddConstantAttrs, RequantizeAttrs, RoundingShiftAttrs, ClampAttrs,
                               CastAttrs, DequantizeAttrs, BinaryAttrs, UnaryParams>;

struct Value {
  DType dtype = DType::kInt32;
  std::vector<int32_t> shape;
  int tensor = -1;  // the graph tensor, or -1 for an intermediate
};

struct Step {
  StepKind kind = StepKind::kCast;
  int op = -1;              // the graph op it comes from
  std::vector<int> inputs;  // value ids (data inputs only; weights and biases are in attrs)
  int output = -1;          // value id
  StepAttrs attrs;
};

struct CanonicalGraph {
  const Graph* graph = nullptr;
  Arith arith = Arith::kTflm;
  std::vector<Value> values;  // values[i] is tensor i for i < graph->tensors.size()
  std::vector<Step> steps;    // in execution order

  const Value& value(int id) const { return values.at(static_cast<size_t>(id)); }
  // Index of the step producing value `id`, or -1 (graph inputs and constants).
  int Producer(int id) const;
  // Indices of the steps reading value `id`.
  std::vector<int> Consumers(int id) const;
  // Whether `id` is a graph output tensor.
  bool IsGraphOutput(int id) const;
};

// Decomposes every op of `g` (which must outlive the result) with the constants of its Prepare.
// Throws tinyfuse::Error (from Prepare) when an op cannot be compiled.
CanonicalGraph Canonicalize(const Graph& g, Arith arith);

// One line per step, as in the header comment. Graph tensors print as %id, intermediates likewise.
std::string PrintStep(const CanonicalGraph& c, const Step& s);
std::string PrintCanonical(const CanonicalGraph& c);

}  // namespace tinyfuse::passes
