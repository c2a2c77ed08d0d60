#include "graph/passes/canonical.h"

#include <algorithm>
#include <cstdint>
#include <sstream>

#include "common/error.h"

namespace tinyfuse::passes {

const char* StepKindName(StepKind k) {
  switch (k) {
    case StepKind::kConv2DAcc: return "conv2d_acc";
    case StepKind::kDepthwiseConv2DAcc: return "depthwise_conv2d_acc";
    case StepKind::kFullyConnectedAcc: return "fully_connected_acc";
    case StepKind::kAveragePool: return "average_pool";
    case StepKind::kMaxPool: return "max_pool";
    case StepKind::kAddRescaled: return "add_rescaled";
    case StepKind::kSoftmax: return "softmax";
    case StepKind::kReduceSum: return "reduce_sum";
    case StepKind::kReduceMax: return "reduce_max";
    case StepKind::kReduceMin: return "reduce_min";
    case StepKind::kArgMinMax: return "arg_min_max";
    case StepKind::kResizeBilinear: return "resize_bilinear";
    case StepKind::kElementwiseRead: return "elementwise_read";
    case StepKind::kQuantizeFloat: return "quantize_float";
    case StepKind::kTranspose: return "transpose";
    case StepKind::kPad: return "pad";
    case StepKind::kMove: return "move";
    case StepKind::kReshape: return "reshape";
    case StepKind::kBinary: return "binary";
    case StepKind::kLookup: return "lookup";
    case StepKind::kBiasAdd: return "bias_add";
    case StepKind::kAddConstant: return "add_constant";
    case StepKind::kRequantize: return "requantize";
    case StepKind::kRoundingShift: return "rounding_shift";
    case StepKind::kClamp: return "clamp";
    case StepKind::kCast: return "cast";
    case StepKind::kDequantize: return "dequantize";
  }
  return "?";
}

bool IsAnchor(StepKind k) { return k < StepKind::kBiasAdd; }

int CanonicalGraph::Producer(int id) const {
  for (size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].output == id) return static_cast<int>(i);
  }
  return -1;
}

std::vector<int> CanonicalGraph::Consumers(int id) const {
  std::vector<int> out;
  for (size_t i = 0; i < steps.size(); ++i) {
    for (int in : steps[i].inputs) {
      if (in == id) {
        out.push_back(static_cast<int>(i));
        break;
      }
    }
  }
  return out;
}

bool CanonicalGraph::IsGraphOutput(int id) const {
  for (int o : graph->outputs) {
    if (o == id) return true;
  }
  return false;
}

namespace {

class Builder {
 public:
  Builder(const Graph& g, Arith arith) : g_(g) {
    c_.graph = &g;
    c_.arith = arith;
    for (size_t i = 0; i < g.tensors.size(); ++i) {
      const Tensor& t = g.tensors[i];
      c_.values.push_back({t.dtype, t.shape, static_cast<int>(i)});
    }
  }

  CanonicalGraph Run() {
    for (size_t i = 0; i < g_.ops.size(); ++i) Op(static_cast<int>(i));
    return std::move(c_);
  }

 private:
  int NewValue(const std::vector<int32_t>& shape) {
    c_.values.push_back({DType::kInt32, shape, -1});
    return static_cast<int>(c_.values.size()) - 1;
  }
  // Adds a step writing a new int32 intermediate with the shape of `like`; returns the value.
  int Step(StepKind kind, int op, std::vector<int> inputs, StepAttrs attrs, int like_tensor) {
    const int out = NewValue(g_.tensor(like_tensor).shape);
    c_.steps.push_back({kind, op, std::move(inputs), out, std::move(attrs)});
    return out;
  }
  // The same step writing graph tensor `tensor`.
  void Final(StepKind kind, int op, std::vector<int> inputs, StepAttrs attrs, int tensor) {
    c_.steps.push_back({kind, op, std::move(inputs), tensor, std::move(attrs)});
  }
  // clamp then cast into the op's output tensor.
  void ClampCast(int op, int v, int32_t lo, int32_t hi, int out_tensor) {
    const int clamped = Step(StepKind::kClamp, op, {v}, ClampAttrs{lo, hi}, out_tensor);
    Final(StepKind::kCast, op, {clamped}, CastAttrs{g_.tensor(out_tensor).dtype}, out_tensor);
  }
  // bias_add (optional), requantize, clamp, cast: the epilogue of every conv-like op.
  void ConvEpilogue(int op, int acc, bool has_bias, int bias_tensor, const ConvQuant& q, int out_tensor) {
    int v = acc;
    if (has_bias) v = Step(StepKind::kBiasAdd, op, {v}, BiasAddAttrs{bias_tensor}, out_tensor);
    v = Step(StepKind::kRequantize, op, {v},
             RequantizeAttrs{q.multipliers, q.rounding, q.output_zero_point, q.float_scales}, out_tensor);
    ClampCast(op, v, q.act.min, q.act.max, out_tensor);
  }

  // A data-movement op: per output, a view (a reshape step: no bytes move) when its map is the identity,
  // else one move step. Multi-output ops (SPLIT) thus become one step, and one group, per output.
  void Moves(int index, const tinyfuse::Op& op) {
    MovePlan plan = PlanMove(g_, op);
    for (size_t o = 0; o < plan.parts.size(); ++o) {
      const int out = op.outputs[o];
      if (plan.IsView(o)) {
        Final(StepKind::kReshape, index, {op.inputs[static_cast<size_t>(plan.parts[o][0].input)]}, std::monostate{},
              out);
        continue;
      }
      MoveParams p;
      std::vector<int> inputs;
      for (MovePart& part : plan.parts[o]) {
        inputs.push_back(op.inputs[static_cast<size_t>(part.input)]);
        p.parts.push_back(std::move(part.map));
      }
      p.label = std::string(OpName(op.kind)) + (plan.label.empty() ? "" : " " + plan.label);
      if (plan.parts.size() > 1) p.label += ", output " + std::to_string(o);
      Final(StepKind::kMove, index, std::move(inputs), std::move(p), out);
    }
  }

  // The binary family: the anchor computes the op's value up to its requantization, which is an
  // epilogue step (MUL, SUB, SQUARED_DIFFERENCE); PRELU's anchor requantizes each branch itself.
  void Binary(int index, const tinyfuse::Op& op) {
    BinaryParams p = PrepareBinary(g_, op);
    const BinaryParams copy = p;
    std::vector<int> inputs;
    for (int t : op.inputs) {
      if (!g_.tensor(t).is_const && std::find(inputs.begin(), inputs.end(), t) == inputs.end()) inputs.push_back(t);
    }
    const int out = op.outputs[0];
    int v = Step(StepKind::kBinary, index, std::move(inputs), BinaryAttrs{std::move(p), op.inputs[0], op.inputs[1]},
                 out);
    if (copy.op == OpKind::kMul || copy.op == OpKind::kSub || copy.op == OpKind::kSquaredDifference) {
      v = Step(StepKind::kRequantize, index, {v},
               RequantizeAttrs{{copy.output_multiplier}, Rounding::kDouble, copy.output_zero_point, {}}, out);
    } else if (copy.op == OpKind::kPrelu) {
      v = Step(StepKind::kAddConstant, index, {v}, AddConstantAttrs{copy.output_zero_point}, out);
    }
    ClampCast(index, v, copy.act.min, copy.act.max, out);
  }

  void Op(int index) {
    const tinyfuse::Op& op = g_.ops[static_cast<size_t>(index)];
    const int in = op.inputs.empty() ? -1 : op.inputs[0];
    const int out = op.outputs.empty() ? -1 : op.outputs[0];
    auto bias_of = [&](bool has) { return has ? op.inputs[2] : -1; };
    switch (op.kind) {
      case OpKind::kConv2D: {
        ConvParams p = PrepareConv2D(g_, op, c_.arith);
        const int acc = Step(StepKind::kConv2DAcc, index, {in}, ConvAccAttrs{p, op.inputs[1]}, out);
        ConvEpilogue(index, acc, p.has_bias, bias_of(p.has_bias), p.quant, out);
        return;
      }
      case OpKind::kDepthwiseConv2D: {
        DepthwiseConvParams p = PrepareDepthwiseConv2D(g_, op, c_.arith);
        const int acc = Step(StepKind::kDepthwiseConv2DAcc, index, {in}, DepthwiseAccAttrs{p, op.inputs[1]}, out);
        ConvEpilogue(index, acc, p.has_bias, bias_of(p.has_bias), p.quant, out);
        return;
      }
      case OpKind::kFullyConnected: {
        FullyConnectedParams p = PrepareFullyConnected(g_, op, c_.arith);
        const int acc = Step(StepKind::kFullyConnectedAcc, index, {in}, FullyConnectedAccAttrs{p, op.inputs[1]}, out);
        ConvEpilogue(index, acc, p.has_bias, bias_of(p.has_bias), p.quant, out);
        return;
      }
      case OpKind::kAveragePool2D:
      case OpKind::kMaxPool2D: {
        PoolParams p = PreparePool2D(g_, op, c_.arith);
        const ActivationRange act = p.act;
        const StepKind k = op.kind == OpKind::kAveragePool2D ? StepKind::kAveragePool : StepKind::kMaxPool;
        const int v = Step(k, index, {in}, std::move(p), out);
        ClampCast(index, v, act.min, act.max, out);
        return;
      }
      case OpKind::kAdd: {
        AddParams p = PrepareAdd(g_, op, c_.arith);
        const AddParams copy = p;
        int v = Step(StepKind::kAddRescaled, index, {op.inputs[0], op.inputs[1]}, std::move(p), out);
        if (copy.method == AddParams::Method::kXnnpack) {
          v = Step(StepKind::kRoundingShift, index, {v}, RoundingShiftAttrs{copy.xnn_shift, copy.output_zero_point},
                   out);
        } else {
          v = Step(StepKind::kRequantize, index, {v},
                   RequantizeAttrs{{copy.output_multiplier}, copy.rounding, copy.output_zero_point, {}}, out);
        }
        const ActivationRange act = copy.act;
        ClampCast(index, v, act.min, act.max, out);
        return;
      }
      case OpKind::kSoftmax: {
        SoftmaxParams p = PrepareSoftmax(g_, op, c_.arith);
        const DType t = p.dtype;
        const int v = Step(StepKind::kSoftmax, index, {in}, std::move(p), out);
        ClampCast(index, v, DTypeMin(t), DTypeMax(t), out);
        return;
      }
      case OpKind::kReduceMax:
      case OpKind::kReduceMin: {
        ReduceParams p = PrepareReduce(g_, op, c_.arith);
        const DType t = p.dtype;
        const StepKind k = p.reduce == ReduceOp::kMax ? StepKind::kReduceMax : StepKind::kReduceMin;
        const int v = Step(k, index, {in}, std::move(p), out);
        ClampCast(index, v, DTypeMin(t), DTypeMax(t), out);
        return;
      }
      case OpKind::kMean:
      case OpKind::kSum: {
        ReduceParams p = PrepareReduce(g_, op, c_.arith);
        const ReduceParams copy = p;
        int v = Step(StepKind::kReduceSum, index, {in}, std::move(p), out);
        // TFLite Micro always requantizes (even when input and output quantization agree).
        const int64_t offset = -static_cast<int64_t>(copy.input_zero_point) * copy.count;
        Check(offset >= INT32_MIN && offset <= INT32_MAX, OpLabel(g_, op) + ": input zero point times count overflows");
        v = Step(StepKind::kAddConstant, index, {v}, AddConstantAttrs{static_cast<int32_t>(offset)}, out);
        v = Step(StepKind::kRequantize, index, {v},
                 RequantizeAttrs{{copy.multiplier}, Rounding::kDouble, copy.output_zero_point, {}}, out);
        ClampCast(index, v, DTypeMin(copy.dtype), DTypeMax(copy.dtype), out);
        return;
      }
      case OpKind::kQuantize: {
        QuantizeParams p = PrepareQuantize(g_, op);
        const QuantizeParams copy = p;
        if (copy.input_dtype == DType::kFloat32) {
          int v = Step(StepKind::kQuantizeFloat, index, {in}, std::move(p), out);
          v = Step(StepKind::kAddConstant, index, {v}, AddConstantAttrs{copy.output_zero_point}, out);
          ClampCast(index, v, DTypeMin(copy.output_dtype), DTypeMax(copy.output_dtype), out);
          return;
        }
        int v = Step(StepKind::kElementwiseRead, index, {in}, std::move(p), out);
        v = Step(StepKind::kAddConstant, index, {v}, AddConstantAttrs{-copy.input_zero_point}, out);
        v = Step(StepKind::kRequantize, index, {v},
                 RequantizeAttrs{{copy.multiplier}, Rounding::kDouble, copy.output_zero_point, {}}, out);
        ClampCast(index, v, DTypeMin(copy.output_dtype), DTypeMax(copy.output_dtype), out);
        return;
      }
      case OpKind::kDequantize: {
        QuantizeParams p = PrepareDequantize(g_, op);
        const QuantizeParams copy = p;
        int v = Step(StepKind::kElementwiseRead, index, {in}, std::move(p), out);
        v = Step(StepKind::kAddConstant, index, {v}, AddConstantAttrs{-copy.input_zero_point}, out);
        Final(StepKind::kDequantize, index, {v}, DequantizeAttrs{copy.float_scale}, out);
        return;
      }
      case OpKind::kTranspose:
        Final(StepKind::kTranspose, index, {in}, PrepareTranspose(g_, op), out);
        return;
      case OpKind::kPad:
        Final(StepKind::kPad, index, {in}, PreparePad(g_, op), out);
        return;
      case OpKind::kArgMax:
      case OpKind::kArgMin:
        Final(StepKind::kArgMinMax, index, {in}, PrepareArgMinMax(g_, op), out);
        return;
      case OpKind::kResizeBilinear: {
        ResizeBilinearParams p = PrepareResizeBilinear(g_, op, c_.arith);
        const DType t = p.dtype;
        const int v = Step(StepKind::kResizeBilinear, index, {in}, std::move(p), out);
        ClampCast(index, v, DTypeMin(t), DTypeMax(t), out);
        return;
      }
      case OpKind::kReshape:
        PrepareReshape(g_, op);  // checks element counts and dtypes
        Final(StepKind::kReshape, index, {in}, std::monostate{}, out);
        return;
      case OpKind::kShape:
        throw Error(OpLabel(g_, op) + ": SHAPE is left after constant folding (fold the graph first)");
      default:  // a family (IsUnaryOp, IsBinaryOp, IsMoveOp), or no canonical form
        break;
    }
    if (IsUnaryOp(op.kind)) {  // elementwise_read, the 256-entry lookup, cast
      UnaryParams p = PrepareUnary(g_, op);
      const DType t = p.dtype;
      int v = Step(StepKind::kElementwiseRead, index, {in}, std::monostate{}, out);
      v = Step(StepKind::kLookup, index, {v}, std::move(p), out);
      Final(StepKind::kCast, index, {v}, CastAttrs{t}, out);
      return;
    }
    if (IsBinaryOp(op.kind)) {
      Binary(index, op);
      return;
    }
    if (IsMoveOp(op.kind)) {
      Moves(index, op);
      return;
    }
    throw Error(OpLabel(g_, op) + ": no canonical form");
  }

  const Graph& g_;
  CanonicalGraph c_;
};

std::string Type(const Value& v) {
  std::string s = std::string(DTypeName(v.dtype)) + "[";
  for (size_t i = 0; i < v.shape.size(); ++i) s += (i ? ", " : "") + std::to_string(v.shape[i]);
  return s + "]";
}

std::string Multipliers(const std::vector<QuantizedMultiplier>& m) {
  if (m.size() == 1) return std::to_string(m[0].multiplier) + " * 2^" + std::to_string(m[0].shift);
  return "per-channel[" + std::to_string(m.size()) + "]";
}

std::string Geometry(const Window2D& w) {
  std::ostringstream os;
  os << "kernel=" << w.filter_h << "x" << w.filter_w << ", stride=" << w.stride_h << "x" << w.stride_w;
  if (w.dilation_h != 1 || w.dilation_w != 1) os << ", dilation=" << w.dilation_h << "x" << w.dilation_w;
  os << ", pad=" << w.pad_h << "x" << w.pad_w;
  return os.str();
}

std::string Ints(const std::vector<int32_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

std::string Attrs(const Step& s) {
  std::ostringstream os;
  switch (s.kind) {
    case StepKind::kConv2DAcc: {
      const auto& a = std::get<ConvAccAttrs>(s.attrs);
      os << "w=%" << a.filter_tensor << ", " << Geometry(a.params.window);
      if (a.params.groups != 1) os << ", groups=" << a.params.groups;
      os << ", zp_in=" << a.params.quant.input_zero_point << ", zp_w=" << a.params.quant.filter_zero_point;
      break;
    }
    case StepKind::kDepthwiseConv2DAcc: {
      const auto& a = std::get<DepthwiseAccAttrs>(s.attrs);
      os << "w=%" << a.filter_tensor << ", " << Geometry(a.params.window);
      if (a.params.depth_multiplier != 1) os << ", depth_multiplier=" << a.params.depth_multiplier;
      os << ", zp_in=" << a.params.quant.input_zero_point << ", zp_w=" << a.params.quant.filter_zero_point;
      break;
    }
    case StepKind::kFullyConnectedAcc: {
      const auto& a = std::get<FullyConnectedAccAttrs>(s.attrs);
      os << "w=%" << a.filter_tensor << ", depth=" << a.params.accum_depth
         << ", zp_in=" << a.params.quant.input_zero_point << ", zp_w=" << a.params.quant.filter_zero_point;
      break;
    }
    case StepKind::kAveragePool:
    case StepKind::kMaxPool: os << Geometry(std::get<PoolParams>(s.attrs).window); break;
    case StepKind::kAddRescaled: {
      const auto& a = std::get<AddParams>(s.attrs);
      if (a.method == AddParams::Method::kXnnpack) {
        os << "acc = " << a.xnn_bias << " + x1 * " << a.xnn_multiplier1 << " + x2 * " << a.xnn_multiplier2;
        if (a.broadcast) os << ", broadcast";
        break;
      }
      os << "zp=" << a.input1_zero_point << "/" << a.input2_zero_point << ", M1=" << Multipliers({a.input1_multiplier})
         << ", M2=" << Multipliers({a.input2_multiplier}) << ", left_shift=" << a.left_shift;
      if (a.broadcast) os << ", broadcast";
      break;
    }
    case StepKind::kSoftmax: {
      const auto& a = std::get<SoftmaxParams>(s.attrs);
      os << "depth=" << a.depth << ", " << ArithName(a.arith);
      break;
    }
    case StepKind::kReduceSum:
    case StepKind::kReduceMax:
    case StepKind::kReduceMin: {
      const auto& a = std::get<ReduceParams>(s.attrs);
      os << "axes=[";
      bool first = true;
      for (size_t i = 0; i < a.reduced.size(); ++i) {
        if (!a.reduced[i]) continue;
        os << (first ? "" : ", ") << i;
        first = false;
      }
      os << "], count=" << a.count;
      break;
    }
    case StepKind::kArgMinMax: {
      const auto& a = std::get<ArgMinMaxParams>(s.attrs);
      os << (a.is_max ? "max" : "min") << ", axis_size=" << a.axis_size << ", inner=" << a.inner;
      break;
    }
    case StepKind::kResizeBilinear: {
      const auto& a = std::get<ResizeBilinearParams>(s.attrs);
      os << ResizeBilinearMethodName(a.method) << ", " << a.input_h << "x" << a.input_w << " -> " << a.output_h << "x"
         << a.output_w;
      break;
    }
    case StepKind::kElementwiseRead: break;
    case StepKind::kQuantizeFloat: {
      const auto& a = std::get<QuantizeParams>(s.attrs);
      os << "scale=" << a.float_scale << ", " << a.round_min << ".." << a.round_max;
      break;
    }
    case StepKind::kTranspose: os << "perm=" << Ints(std::get<TransposeParams>(s.attrs).perm); break;
    case StepKind::kPad: {
      const auto& a = std::get<PadParams>(s.attrs);
      os << "before=" << Ints(a.before) << ", after=" << Ints(a.after) << ", value=" << a.pad_value;
      break;
    }
    case StepKind::kMove: os << std::get<MoveParams>(s.attrs).label; break;
    case StepKind::kReshape: break;
    case StepKind::kBinary: {
      const auto& a = std::get<BinaryAttrs>(s.attrs);
      os << OpName(a.params.op) << ", %" << a.input1_tensor << ", %" << a.input2_tensor << ", zp="
         << a.params.input1_zero_point << "/" << a.params.input2_zero_point;
      if (a.params.maps.broadcast) os << ", broadcast";
      break;
    }
    case StepKind::kLookup: os << OpName(std::get<UnaryParams>(s.attrs).op) << ", 256 entries"; break;
    case StepKind::kBiasAdd: os << "%" << std::get<BiasAddAttrs>(s.attrs).bias_tensor; break;
    case StepKind::kAddConstant: os << std::get<AddConstantAttrs>(s.attrs).value; break;
    case StepKind::kRequantize: {
      const auto& a = std::get<RequantizeAttrs>(s.attrs);
      if (a.rounding == Rounding::kFloat) {
        os << (a.float_scales.size() == 1 ? "scale=" + std::to_string(a.float_scales[0])
                                          : "per-channel[" + std::to_string(a.float_scales.size()) + "]");
      } else {
        os << Multipliers(a.multipliers);
      }
      os << ", zp=" << a.zero_point << ", " << RoundingName(a.rounding);
      break;
    }
    case StepKind::kRoundingShift: {
      const auto& a = std::get<RoundingShiftAttrs>(s.attrs);
      os << a.shift << ", zp=" << a.zero_point;
      break;
    }
    case StepKind::kClamp: {
      const auto& a = std::get<ClampAttrs>(s.attrs);
      os << a.min << ", " << a.max;
      break;
    }
    case StepKind::kCast: break;
    case StepKind::kDequantize: os << "scale=" << std::get<DequantizeAttrs>(s.attrs).scale; break;
  }
  return os.str();
}

}  // namespace

CanonicalGraph Canonicalize(const Graph& g, Arith arith) { return Builder(g, arith).Run(); }

std::string PrintStep(const CanonicalGraph& c, const Step& s) {
  std::ostringstream os;
  os << "%" << s.output << " = " << StepKindName(s.kind) << "(";
  for (size_t i = 0; i < s.inputs.size(); ++i) os << (i ? ", " : "") << "%" << s.inputs[i];
  const std::string attrs = Attrs(s);
  if (!attrs.empty()) os << ", " << attrs;
  os << ") : " << Type(c.value(s.output));
  return os.str();
}

std::string PrintCanonical(const CanonicalGraph& c) {
  std::ostringstream os;
  int last_op = -1;
  for (const Step& s : c.steps) {
    if (s.op != last_op) {
      const Op& op = c.graph->ops[static_cast<size_t>(s.op)];
      os << "// " << OpName(op.kind) << " #" << s.op << "\n";
      last_op = s.op;
    }
    os << PrintStep(c, s) << "\n";
  }
  return os.str();
}

}  // namespace tinyfuse::passes
