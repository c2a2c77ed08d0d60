#include "tflite/importer.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"
#include "common/text.h"
#include "tflite/names.h"

namespace tinyfuse {

namespace {

constexpr uint32_t kSchemaVersion = 3;

std::string TensorWhere(size_t index, const std::string& name) {
  return "tensor " + std::to_string(index) + " " + QuoteName(name);
}

std::string OpWhere(size_t index, OpKind kind) { return "op " + std::to_string(index) + " (" + OpName(kind) + ")"; }

std::string ShapeText(const std::vector<int32_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

// ------------------------------------------------------------------------------------------------ tensors

std::string UnsupportedType(int type, const std::string& where) {
  return where + ": type " + DescribeTensorType(type) +
         " is unsupported (tinyfuse reads quantized int8/uint8 models with int32 biases and float32 edges)";
}

bool SupportedType(int type) {
  return type == tfl_type::kInt8 || type == tfl_type::kUInt8 || type == tfl_type::kInt16 ||
         type == tfl_type::kInt32 || type == tfl_type::kFloat32 || type == tfl_type::kInt64;
}

DType ConvertType(int type, const std::string& where) {
  switch (type) {
    case tfl_type::kInt8:
      return DType::kInt8;
    case tfl_type::kUInt8:
      return DType::kUInt8;
    case tfl_type::kInt16:
      return DType::kInt16;
    case tfl_type::kInt32:
      return DType::kInt32;
    case tfl_type::kFloat32:  // only at the model's edges: the graph verifier rejects float compute
      return DType::kFloat32;
    case tfl_type::kInt64:
      return DType::kInt64;
    default:
      throw Error(UnsupportedType(type, where));
  }
}

std::string MiB(int64_t bytes) {
  return bytes % (1 << 20) == 0 ? std::to_string(bytes >> 20) + " MiB" : std::to_string(bytes) + " bytes";
}

std::vector<int32_t> ConvertShape(const RawTensor& raw, DType dtype, int64_t max_bytes, const std::string& where) {
  Check(static_cast<int>(raw.shape.size()) <= kMaxImportRank, where + ": rank " + std::to_string(raw.shape.size()) +
                                                                  " exceeds the maximum of " +
                                                                  std::to_string(kMaxImportRank));
  int64_t bytes = DTypeSize(dtype);
  for (int32_t d : raw.shape) {
    Check(d >= 0, where + ": negative dimension in shape " + ShapeText(raw.shape));
    // bytes stays <= max_bytes <= kMaxTensorBytes < 2^31 and d < 2^31, so the product fits in int64.
    bytes *= d;
    Check(bytes <= max_bytes, where + ": shape " + ShapeText(raw.shape) + " of " + DTypeName(dtype) +
                                  " is too large (over the per-tensor limit of " + MiB(max_bytes) + ")");
  }
  return raw.shape;
}

Quantization ConvertQuantization(const RawTensor& raw, const std::string& where) {
  Quantization q;
  if (!raw.quantization) return q;
  const RawQuantization& rq = *raw.quantization;
  Check(rq.details_type == 0,
        where + ": custom quantization details (type " + std::to_string(rq.details_type) + ") are unsupported");
  if (rq.scale.empty() && rq.zero_point.empty()) return q;  // min/max only: not a quantized tensor
  Check(rq.scale.size() == rq.zero_point.size(), where + ": inconsistent quantization, " +
                                                     std::to_string(rq.scale.size()) + " scales but " +
                                                     std::to_string(rq.zero_point.size()) + " zero points");
  q.scale = rq.scale;
  q.zero_point = rq.zero_point;
  const int rank = static_cast<int>(raw.shape.size());
  const int32_t axis = rq.quantized_dimension;
  const bool in_range = axis >= 0 && axis < rank;
  if (q.scale.size() == 1) {
    q.axis = in_range ? axis : 0;  // meaningless for one scale; keep it only when it is valid
    return q;
  }
  if (!in_range) {
    // Rank-1 per-channel tensors (biases) have only one possible axis; some converters wrote another.
    Check(rank == 1, where + ": quantized_dimension " + std::to_string(axis) + " is out of range for rank " +
                         std::to_string(rank));
    q.axis = 0;
  } else {
    q.axis = axis;
  }
  const int32_t dim = raw.shape[static_cast<size_t>(q.axis)];
  Check(static_cast<int64_t>(q.scale.size()) == dim,
        where + ": inconsistent quantization, " + std::to_string(q.scale.size()) +
            " per-channel scales for dimension " + std::to_string(q.axis) + " of size " + std::to_string(dim));
  return q;
}

void ConvertTensors(const RawSubGraph& sg, std::vector<RawBuffer>& buffers, const ImportLimits& limits, Graph& g) {
  const int64_t max_tensor_bytes = std::clamp<int64_t>(limits.max_tensor_bytes, 0, kMaxTensorBytes);
  int64_t total_bytes = 0;
  // Buffers referenced once are moved into their tensor instead of copied (weights are most of a model).
  std::vector<int> uses(buffers.size(), 0);
  for (const RawTensor& t : sg.tensors) {
    if (t.buffer < buffers.size()) ++uses[t.buffer];
  }
  for (size_t i = 0; i < sg.tensors.size(); ++i) {
    const RawTensor& raw = sg.tensors[i];
    const std::string where = TensorWhere(i, raw.name);
    Check(!raw.sparse, where + " is sparse; sparse tensors are unsupported");
    Check(!raw.is_variable, where + " is a variable tensor; variable tensors are unsupported");
    Check(raw.external_buffer == 0, where + " refers to external buffer " + std::to_string(raw.external_buffer) +
                                        "; external buffers are unsupported");
    Tensor t;
    t.name = raw.name;
    t.dtype = ConvertType(raw.type, where);
    t.shape = ConvertShape(raw, t.dtype, max_tensor_bytes, where);
    total_bytes += t.byte_size();  // each term < 2^31: no overflow below 2^32 tensors
    Check(total_bytes <= limits.max_total_bytes, where + " brings the model's tensors to " + MiB(total_bytes) +
                                                     ", over the limit of " + MiB(limits.max_total_bytes) +
                                                     " for all tensors together");
    t.quant = ConvertQuantization(raw, where);
    Check(raw.buffer < buffers.size(), where + ": buffer " + std::to_string(raw.buffer) + " out of range (model has " +
                                           std::to_string(buffers.size()) + " buffers)");
    RawBuffer& buffer = buffers[raw.buffer];
    if (!buffer.data.empty()) {
      Check(static_cast<int64_t>(buffer.data.size()) == t.byte_size(),
            where + ": buffer " + std::to_string(raw.buffer) + " holds " + std::to_string(buffer.data.size()) +
                " bytes but " + DTypeName(t.dtype) + ShapeText(t.shape) + " needs " + std::to_string(t.byte_size()));
      if (--uses[raw.buffer] == 0) {
        t.data = std::move(buffer.data);  // the last tensor using this buffer
      } else {
        t.data = buffer.data;
      }
      t.is_const = true;
    }
    g.AddTensor(std::move(t));
  }
}

// ---------------------------------------------------------------------------------------------- operators

bool FindOpKind(int code, OpKind* kind) {
  for (int k = 0; k < kNumOpKinds; ++k) {
    if (OpBuiltinCode(static_cast<OpKind>(k)) == code) {
      *kind = static_cast<OpKind>(k);
      return true;
    }
  }
  return false;
}

Activation ConvertActivation(int raw, const std::string& where) {
  switch (raw) {
    case 0:
      return Activation::kNone;
    case 1:
      return Activation::kRelu;
    case 2:
      return Activation::kReluN1To1;
    case 3:
      return Activation::kRelu6;
    default: {
      const char* name = ActivationFunctionName(raw);
      if (name != nullptr) throw Error(where + ": fused activation " + name + " is unsupported");
      throw Error(where + ": unknown fused activation " + std::to_string(raw));
    }
  }
}

Padding ConvertPadding(int raw, const std::string& where) {
  if (raw == 0) return Padding::kSame;
  if (raw == 1) return Padding::kValid;
  throw Error(where + ": unknown padding " + std::to_string(raw));
}

void CheckBiasType(int raw, const std::string& where) {
  Check(raw == tfl_type::kFloat32 || raw == tfl_type::kInt32,  // FLOAT32 (0) is the "not set" default
        where + ": quantized_bias_type " + DescribeTensorType(raw) + " is unsupported");
}

// The option table each operator carries (kNone allowed for operators without parameters).
int ExpectedOptions(OpKind kind) {
  switch (kind) {
    case OpKind::kConv2D:
      return tfl_options::kConv2D;
    case OpKind::kDepthwiseConv2D:
      return tfl_options::kDepthwiseConv2D;
    case OpKind::kAveragePool2D:
    case OpKind::kMaxPool2D:
      return tfl_options::kPool2D;
    case OpKind::kFullyConnected:
      return tfl_options::kFullyConnected;
    case OpKind::kSoftmax:
      return tfl_options::kSoftmax;
    case OpKind::kAdd:
      return tfl_options::kAdd;
    case OpKind::kReshape:
      return tfl_options::kReshape;
    case OpKind::kPad:
      return tfl_options::kPad;
    case OpKind::kTranspose:
      return tfl_options::kTranspose;
    case OpKind::kMean:
    case OpKind::kSum:
    case OpKind::kReduceMax:
    case OpKind::kReduceMin:
      return tfl_options::kReducer;
    case OpKind::kQuantize:
      return tfl_options::kQuantize;
    case OpKind::kDequantize:
      return tfl_options::kDequantize;
    case OpKind::kConcatenation:
      return tfl_options::kConcatenation;
    case OpKind::kSqueeze:
      return tfl_options::kSqueeze;
    case OpKind::kStridedSlice:
      return tfl_options::kStridedSlice;
    case OpKind::kSplit:
      return tfl_options::kSplit;
    case OpKind::kSlice:
      return tfl_options::kSlice;
    case OpKind::kExpandDims:
      return tfl_options::kExpandDims;
    case OpKind::kShape:
      return tfl_options::kShape;
    case OpKind::kPack:
      return tfl_options::kPack;
    case OpKind::kMul:
      return tfl_options::kMul;
    case OpKind::kSub:
      return tfl_options::kSub;
    case OpKind::kMaximum:
    case OpKind::kMinimum:
      return tfl_options::kMaximumMinimum;
    case OpKind::kLeakyRelu:
      return tfl_options::kLeakyRelu;
    case OpKind::kSquaredDifference:
      return tfl_options::kSquaredDifference;
    case OpKind::kRelu:
    case OpKind::kReluN1To1:
    case OpKind::kRelu6:
    case OpKind::kPrelu:
    case OpKind::kLogistic:
    case OpKind::kTanh:
      return tfl_options::kNone;
    case OpKind::kArgMax:
      return tfl_options::kArgMax;
    case OpKind::kArgMin:
      return tfl_options::kArgMin;
    case OpKind::kResizeBilinear:
      return tfl_options::kResizeBilinear;
    case OpKind::kResizeNearestNeighbor:
      return tfl_options::kResizeNearestNeighbor;
  }
  return tfl_options::kNone;
}

// A missing table reads as the schema defaults (RawOptions holds them), as in TFLite itself.
OpAttrs ConvertOptions(OpKind kind, const RawOptions& o, const std::string& where) {
  const int expected = ExpectedOptions(kind);
  Check(o.type == tfl_options::kNone || o.type == expected, where + ": builtin options are " +
                                                                DescribeBuiltinOptions(o.type) + ", expected " +
                                                                DescribeBuiltinOptions(expected));
  switch (kind) {
    case OpKind::kConv2D: {
      CheckBiasType(o.quantized_bias_type, where);
      Conv2DAttrs a;
      a.padding = ConvertPadding(o.padding, where);
      a.stride_h = o.stride_h;
      a.stride_w = o.stride_w;
      a.dilation_h = o.dilation_h;
      a.dilation_w = o.dilation_w;
      a.activation = ConvertActivation(o.activation, where);
      return a;
    }
    case OpKind::kDepthwiseConv2D: {
      DepthwiseConv2DAttrs a;
      a.padding = ConvertPadding(o.padding, where);
      a.stride_h = o.stride_h;
      a.stride_w = o.stride_w;
      a.dilation_h = o.dilation_h;
      a.dilation_w = o.dilation_w;
      a.depth_multiplier = o.depth_multiplier;
      a.activation = ConvertActivation(o.activation, where);
      return a;
    }
    case OpKind::kAveragePool2D:
    case OpKind::kMaxPool2D: {
      Pool2DAttrs a;
      a.padding = ConvertPadding(o.padding, where);
      a.stride_h = o.stride_h;
      a.stride_w = o.stride_w;
      a.filter_h = o.filter_h;
      a.filter_w = o.filter_w;
      a.activation = ConvertActivation(o.activation, where);
      return a;
    }
    case OpKind::kFullyConnected: {
      Check(o.weights_format == 0,
            where + ": weights_format " + std::to_string(o.weights_format) + " is unsupported (only DEFAULT)");
      Check(!o.asymmetric_quantize_inputs, where + ": asymmetric_quantize_inputs is unsupported");
      CheckBiasType(o.quantized_bias_type, where);
      FullyConnectedAttrs a;
      a.activation = ConvertActivation(o.activation, where);
      a.keep_num_dims = o.keep_num_dims;
      return a;
    }
    case OpKind::kSoftmax: {
      SoftmaxAttrs a;
      a.beta = o.beta;
      return a;
    }
    case OpKind::kAdd:
    case OpKind::kMul:
    case OpKind::kSub: {
      AddAttrs a;
      a.activation = ConvertActivation(o.activation, where);
      return a;
    }
    case OpKind::kLeakyRelu:
      return LeakyReluAttrs{o.alpha};
    case OpKind::kMean:
    case OpKind::kSum:
    case OpKind::kReduceMax:
    case OpKind::kReduceMin: {
      MeanAttrs a;
      a.keep_dims = o.keep_dims;
      return a;
    }
    case OpKind::kConcatenation:
      return ConcatenationAttrs{o.axis, ConvertActivation(o.activation, where)};
    case OpKind::kPack:
      return PackAttrs{o.values_count, o.axis};
    case OpKind::kSplit:
      return SplitAttrs{o.num_splits};
    case OpKind::kSqueeze:
      return SqueezeAttrs{o.squeeze_dims};
    case OpKind::kStridedSlice:
      return StridedSliceAttrs{o.begin_mask, o.end_mask, o.ellipsis_mask, o.new_axis_mask, o.shrink_axis_mask, o.offset};
    case OpKind::kShape:
      Check(o.out_type == tfl_type::kFloat32 || o.out_type == tfl_type::kInt32,  // FLOAT32 (0): not set
            where + ": out_type " + DescribeTensorType(o.out_type) + " is unsupported (int32 only)");
      return ShapeAttrs{DType::kInt32};
    case OpKind::kArgMax:
    case OpKind::kArgMin: {
      // TFLite rejects an index type other than int32 and int64 ("Unknown index output data type"); a
      // missing table reads as FLOAT32, rejected likewise.
      Check(o.output_type == tfl_type::kInt32 || o.output_type == tfl_type::kInt64,
            where + ": output_type " + DescribeTensorType(o.output_type) + " is invalid (int32 or int64)");
      ArgMinMaxAttrs a;
      a.output_type = o.output_type == tfl_type::kInt32 ? DType::kInt32 : DType::kInt64;
      return a;
    }
    case OpKind::kResizeBilinear:
    case OpKind::kResizeNearestNeighbor: {
      ResizeBilinearAttrs a;
      a.align_corners = o.align_corners;
      a.half_pixel_centers = o.half_pixel_centers;
      return a;
    }
    case OpKind::kReshape:  // the output tensor's shape is authoritative; new_shape is not needed
    case OpKind::kPad:
    case OpKind::kTranspose:
    case OpKind::kQuantize:
    case OpKind::kDequantize:
    case OpKind::kSlice:
    case OpKind::kExpandDims:
    case OpKind::kLogistic:
    case OpKind::kTanh:
    case OpKind::kRelu:
    case OpKind::kReluN1To1:
    case OpKind::kRelu6:
    case OpKind::kPrelu:
    case OpKind::kMaximum:
    case OpKind::kMinimum:
    case OpKind::kSquaredDifference:
      return NoAttrs{};
  }
  return NoAttrs{};
}

std::vector<int> ConvertTensorList(const std::vector<int32_t>& ids, size_t num_tensors, bool allow_omitted,
                                   const std::string& where, const char* what) {
  std::vector<int> out;
  out.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    const int32_t id = ids[i];
    if (id == -1 && allow_omitted) {
      out.push_back(-1);
      continue;
    }
    Check(id >= 0 && static_cast<size_t>(id) < num_tensors,
          where + ": " + what + " " + std::to_string(i) + " refers to tensor " + std::to_string(id) +
              ", out of range (subgraph has " + std::to_string(num_tensors) + " tensors)");
    out.push_back(id);
  }
  return out;
}

// Why operator `raw` cannot be read, as the text that follows "op N" in the message (": unsupported
// operator ...", ": custom operator ...", " (CONV_2D): version ..."); "" when it is supported. A bad
// operator code index is not reported here (ConvertOperators refuses it).
std::string UnsupportedOperator(const RawModel& m, const RawOperator& raw) {
  if (raw.opcode_index >= m.operator_codes.size()) return "";
  const RawOperatorCode& code = m.operator_codes[raw.opcode_index];
  // Codes >= 127 only fit the extended field; old files only have the byte-sized one.
  const int builtin = std::max(code.deprecated_builtin_code, static_cast<int>(code.builtin_code));
  if (builtin == tfl_op::kCustom) return ": custom operator " + QuoteName(code.custom_code) + " is unsupported";
  OpKind kind = OpKind::kAdd;  // set by FindOpKind (initialized for gcc -O3 -Wmaybe-uninitialized)
  if (!FindOpKind(builtin, &kind)) return ": unsupported operator " + DescribeBuiltinOperator(builtin);
  if (code.version > OpMaxVersion(kind)) {
    return std::string(" (") + OpName(kind) + "): version " + std::to_string(code.version) +
           " is unsupported (tinyfuse handles up to version " + std::to_string(OpMaxVersion(kind)) + ")";
  }
  return "";
}

// Refuses, in one error, everything in the subgraph that tinyfuse does not support: tensor types,
// variable tensors, operators and op versions. The ops with the same reason are listed together
// ("ops 3, 7: unsupported operator LEAKY_RELU (code 98)"); one item keeps its own message, several read
// "N unsupported features: a; b; ..." (the first 12, then how many more).
void RefuseUnsupported(const RawModel& m, const RawSubGraph& sg) {
  std::vector<std::string> found;
  std::vector<size_t> variables;
  for (size_t i = 0; i < sg.tensors.size(); ++i) {
    const RawTensor& t = sg.tensors[i];
    if (!SupportedType(t.type)) found.push_back(UnsupportedType(t.type, TensorWhere(i, t.name)));
    if (t.is_variable) variables.push_back(i);
  }
  if (variables.size() == 1) {
    const size_t i = variables[0];
    found.push_back(TensorWhere(i, sg.tensors[i].name) + " is a variable tensor; variable tensors are unsupported");
  } else if (!variables.empty()) {
    std::string list;
    for (size_t i : variables) list += (list.empty() ? "" : ", ") + std::to_string(i);
    found.push_back("tensors " + list + " are variable tensors (model state); variable tensors are unsupported");
  }
  std::vector<std::pair<std::string, std::string>> ops;  // reason, op indices
  for (size_t i = 0; i < sg.operators.size(); ++i) {
    const std::string why = UnsupportedOperator(m, sg.operators[i]);
    if (why.empty()) continue;
    auto it = std::find_if(ops.begin(), ops.end(), [&](const auto& r) { return r.first == why; });
    if (it == ops.end()) {
      ops.push_back({why, std::to_string(i)});
    } else {
      it->second += ", " + std::to_string(i);
    }
  }
  for (const auto& [why, indices] : ops) {
    found.push_back((indices.find(',') == std::string::npos ? "op " : "ops ") + indices + why);
  }
  if (found.size() == 1) throw Error(found[0]);
  if (found.empty()) return;
  constexpr size_t kShown = 12;
  std::string all = std::to_string(found.size()) + " unsupported features: ";
  for (size_t i = 0; i < found.size() && i < kShown; ++i) all += (i ? "; " : "") + found[i];
  if (found.size() > kShown) all += "; and " + std::to_string(found.size() - kShown) + " more";
  throw Error(all);
}

void ConvertOperators(const RawModel& m, const RawSubGraph& sg, Graph& g) {
  for (size_t i = 0; i < sg.operators.size(); ++i) {
    const RawOperator& raw = sg.operators[i];
    const std::string at = "op " + std::to_string(i);
    Check(raw.opcode_index < m.operator_codes.size(), at + ": operator code index " + std::to_string(raw.opcode_index) +
                                                          " out of range (model has " +
                                                          std::to_string(m.operator_codes.size()) + " operator codes)");
    const RawOperatorCode& code = m.operator_codes[raw.opcode_index];
    // Codes >= 127 only fit the extended field; old files only have the byte-sized one.
    const int builtin = std::max(code.deprecated_builtin_code, static_cast<int>(code.builtin_code));
    Check(builtin != tfl_op::kCustom, at + ": custom operator " + QuoteName(code.custom_code) + " is unsupported");
    OpKind kind = OpKind::kAdd;  // set by FindOpKind
    Check(FindOpKind(builtin, &kind), at + ": unsupported operator " + DescribeBuiltinOperator(builtin));
    const std::string where = OpWhere(i, kind);
    Check(code.version >= 1, where + ": invalid version " + std::to_string(code.version));
    Check(code.version <= OpMaxVersion(kind), where + ": version " + std::to_string(code.version) +
                                                  " is unsupported (tinyfuse handles up to version " +
                                                  std::to_string(OpMaxVersion(kind)) + ")");
    Op op;
    op.kind = kind;
    op.version = code.version;
    op.inputs = ConvertTensorList(raw.inputs, g.tensors.size(), true, where, "input");
    op.outputs = ConvertTensorList(raw.outputs, g.tensors.size(), false, where, "output");
    op.attrs = ConvertOptions(kind, raw.options, where);
    op.source_index = static_cast<int>(i);
    g.AddOp(std::move(op));
  }
}

}  // namespace

Graph ImportRawModel(RawModel m, const ImportLimits& limits) {
  Check(m.version == kSchemaVersion, "model schema version " + std::to_string(m.version) +
                                         " is unsupported (expected " + std::to_string(kSchemaVersion) + ")");
  Check(!m.subgraphs.empty(), "model has no subgraphs");
  Check(m.subgraphs.size() == 1,
        "model has " + std::to_string(m.subgraphs.size()) + " subgraphs; only single-subgraph models are supported");
  for (size_t i = 0; i < m.buffers.size(); ++i) {
    const RawBuffer& b = m.buffers[i];
    Check(b.offset <= 1 && b.size <= 1,
          "buffer " + std::to_string(i) + " stores its data outside the flatbuffer (offset " +
              std::to_string(b.offset) + ", size " + std::to_string(b.size) + "); external buffers are unsupported");
  }
  const RawSubGraph& sg = m.subgraphs[0];
  RefuseUnsupported(m, sg);
  Graph g;
  ConvertTensors(sg, m.buffers, limits, g);
  ConvertOperators(m, sg, g);
  g.inputs = ConvertTensorList(sg.inputs, g.tensors.size(), false, "subgraph", "input");
  g.outputs = ConvertTensorList(sg.outputs, g.tensors.size(), false, "subgraph", "output");
  return g;
}

Graph ImportTflite(const uint8_t* data, size_t size, const ImportLimits& limits) {
  return ImportRawModel(ReadRawModel(data, size), limits);
}

Graph ImportTfliteFile(const std::string& path, const ImportLimits& limits) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw Error("cannot open model file '" + path + "': " + std::strerror(errno));
  const std::streamoff end = in.tellg();
  Check(end >= 0, "cannot read model file '" + path + "'");
  Check(static_cast<uint64_t>(end) <= 0x7fffffffu,
        "model file '" + path + "' is " + std::to_string(end) + " bytes, over the 2 GiB flatbuffer limit");
  std::vector<uint8_t> bytes(static_cast<size_t>(end));
  in.seekg(0);
  if (!bytes.empty()) in.read(reinterpret_cast<char*>(bytes.data()), end);
  Check(static_cast<bool>(in), "cannot read model file '" + path + "'");
  return ImportTflite(bytes.data(), bytes.size(), limits);
}

}  // namespace tinyfuse
