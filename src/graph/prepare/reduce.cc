#include "graph/prepare/reduce.h"

#include <algorithm>
#include <string>

#include "common/error.h"
#include "common/text.h"
#include "graph/prepare/common.h"

namespace tinyfuse {

const char* ReduceOpName(ReduceOp r) {
  switch (r) {
    case ReduceOp::kMean: return "mean";
    case ReduceOp::kSum: return "sum";
    case ReduceOp::kMax: return "max";
    case ReduceOp::kMin: return "min";
  }
  return "?";
}

namespace {

ReduceOp ReduceOpOf(OpKind k, const std::string& what) {
  switch (k) {
    case OpKind::kMean: return ReduceOp::kMean;
    case OpKind::kSum: return ReduceOp::kSum;
    case OpKind::kReduceMax: return ReduceOp::kMax;
    case OpKind::kReduceMin: return ReduceOp::kMin;
    default: break;
  }
  throw Error(what + ": not a reduction");
}

// The multiplier of MEAN (1/count folded in as QuantizedMeanOrSum does) or SUM (unchanged).
QuantizedMultiplier SumMultiplier(float in_scale, float out_scale, int64_t count, bool mean) {
  QuantizedMultiplier m = QuantizeMultiplier(static_cast<double>(in_scale) / static_cast<double>(out_scale));
  if (!mean) return m;
  int k = 63 - __builtin_clzll(static_cast<unsigned long long>(count));
  k = std::min(k, 32);
  k = std::min(k, 31 + m.shift);
  // k >= 0: QuantizeMultiplier never returns a shift below -31.
  m.multiplier = static_cast<int32_t>((static_cast<int64_t>(m.multiplier) << k) / count);
  m.shift -= k;
  return m;
}

}  // namespace

ReduceParams PrepareReduce(const Graph& g, const Op& op, Arith arith) {
  const std::string what = OpLabel(g, op);
  ReduceParams p;
  p.reduce = ReduceOpOf(op.kind, what);
  const bool sum_like = p.reduce == ReduceOp::kMean || p.reduce == ReduceOp::kSum;
  Check(!sum_like || arith == Arith::kTflm,
        what + ": " + OpName(op.kind) + " is implemented with TFLite Micro's arithmetic only");
  Check(op.inputs.size() == 2 && op.outputs.size() == 1, what + ": needs an input, an axis tensor and one output");
  const Tensor& in = g.tensor(op.inputs[0]);
  const Tensor& axes = g.tensor(op.inputs[1]);
  const Tensor& out = g.tensor(op.outputs[0]);
  Check(in.dtype == DType::kInt8 || in.dtype == DType::kUInt8,
        what + ": input " + QuoteName(in.name) + " is " + DTypeName(in.dtype) + ", only int8 and uint8 are supported");
  CheckActivationTensor(in, in.dtype, what, "input");
  CheckActivationTensor(out, in.dtype, what, "output");
  Check(axes.is_const && axes.dtype == DType::kInt32, what + ": the axis tensor must be a constant int32 tensor");

  p.dtype = in.dtype;
  p.input_shape = in.shape;
  const int rank = in.rank();
  p.reduced.assign(static_cast<size_t>(rank), false);
  for (int64_t i = 0; i < axes.num_elements(); ++i) {
    int axis = axes.ConstInt(i);
    if (axis < 0) axis += rank;
    Check(axis >= 0 && axis < rank, what + ": axis " + std::to_string(axes.ConstInt(i)) + " is out of range for rank " +
                                        std::to_string(rank));
    p.reduced[static_cast<size_t>(axis)] = true;
  }
  p.count = 1;
  p.num_outputs = 1;
  for (int i = 0; i < rank; ++i) {
    if (p.reduced[static_cast<size_t>(i)]) {
      p.count *= in.dim(i);
    } else {
      p.num_outputs *= in.dim(i);
    }
  }
  Check(out.num_elements() == p.num_outputs, what + ": the output has " + std::to_string(out.num_elements()) +
                                                 " elements, the reduction gives " + std::to_string(p.num_outputs));
  p.output_strides.assign(static_cast<size_t>(rank), 0);
  int64_t stride = 1;
  for (int i = rank - 1; i >= 0; --i) {
    if (p.reduced[static_cast<size_t>(i)]) continue;
    p.output_strides[static_cast<size_t>(i)] = stride;
    stride *= in.dim(i);
  }

  p.input_zero_point = in.quant.zp();
  p.output_zero_point = out.quant.zp();
  const float in_scale = TensorScale(in, what + ": input");
  const float out_scale = TensorScale(out, what + ": output");
  Check(p.count > 0, what + ": empty reduction");
  if (sum_like) {
    p.multiplier = SumMultiplier(in_scale, out_scale, p.count, p.reduce == ReduceOp::kMean);
  } else {
    Check(in_scale == out_scale && p.input_zero_point == p.output_zero_point,
          what + ": input and output quantization differ (" + OpName(op.kind) + " does not requantize)");
  }
  return p;
}

}  // namespace tinyfuse
