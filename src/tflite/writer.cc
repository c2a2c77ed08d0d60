#include "tflite/writer.h"

#include <fstream>
#include <map>
#include <utility>

#include "common/error.h"

namespace tinyfuse {

namespace {

int TensorTypeOf(DType t) {
  switch (t) {
    case DType::kInt8:
      return tfl_type::kInt8;
    case DType::kUInt8:
      return tfl_type::kUInt8;
    case DType::kInt16:
      return tfl_type::kInt16;
    case DType::kInt32:
      return tfl_type::kInt32;
    case DType::kFloat32:
      return tfl_type::kFloat32;
    case DType::kInt64:
      return tfl_type::kInt64;
  }
  return tfl_type::kInt8;
}

int PaddingOf(Padding p) { return p == Padding::kSame ? 0 : 1; }

int ActivationOf(Activation a) {
  switch (a) {
    case Activation::kNone:
      return 0;
    case Activation::kRelu:
      return 1;
    case Activation::kReluN1To1:
      return 2;
    case Activation::kRelu6:
      return 3;
  }
  return 0;
}

RawTensor WriteTensor(const Tensor& t, uint32_t buffer) {
  RawTensor r;
  r.shape = t.shape;
  r.type = TensorTypeOf(t.dtype);
  r.buffer = buffer;
  r.name = t.name;
  r.has_rank = true;
  if (!t.quant.empty() || !t.quant.zero_point.empty()) {
    RawQuantization q;
    q.scale = t.quant.scale;
    q.zero_point = t.quant.zero_point;
    q.quantized_dimension = t.quant.axis;
    r.quantization = std::move(q);
  }
  return r;
}

RawOptions WriteOptions(const Op& op, const Graph& g) {
  RawOptions o;
  if (const auto* a = std::get_if<Conv2DAttrs>(&op.attrs)) {
    o.type = tfl_options::kConv2D;
    o.padding = PaddingOf(a->padding);
    o.stride_h = a->stride_h;
    o.stride_w = a->stride_w;
    o.dilation_h = a->dilation_h;
    o.dilation_w = a->dilation_w;
    o.activation = ActivationOf(a->activation);
  } else if (const auto* d = std::get_if<DepthwiseConv2DAttrs>(&op.attrs)) {
    o.type = tfl_options::kDepthwiseConv2D;
    o.padding = PaddingOf(d->padding);
    o.stride_h = d->stride_h;
    o.stride_w = d->stride_w;
    o.dilation_h = d->dilation_h;
    o.dilation_w = d->dilation_w;
    o.depth_multiplier = d->depth_multiplier;
    o.activation = ActivationOf(d->activation);
  } else if (const auto* p = std::get_if<Pool2DAttrs>(&op.attrs)) {
    o.type = tfl_options::kPool2D;
    o.padding = PaddingOf(p->padding);
    o.stride_h = p->stride_h;
    o.stride_w = p->stride_w;
    o.filter_h = p->filter_h;
    o.filter_w = p->filter_w;
    o.activation = ActivationOf(p->activation);
  } else if (const auto* f = std::get_if<FullyConnectedAttrs>(&op.attrs)) {
    o.type = tfl_options::kFullyConnected;
    o.activation = ActivationOf(f->activation);
    o.keep_num_dims = f->keep_num_dims;
  } else if (const auto* s = std::get_if<SoftmaxAttrs>(&op.attrs)) {
    o.type = tfl_options::kSoftmax;
    o.beta = s->beta;
  } else if (const auto* add = std::get_if<AddAttrs>(&op.attrs)) {
    o.type = op.kind == OpKind::kMul ? tfl_options::kMul : op.kind == OpKind::kSub ? tfl_options::kSub : tfl_options::kAdd;
    o.activation = ActivationOf(add->activation);
  } else if (const auto* lr = std::get_if<LeakyReluAttrs>(&op.attrs)) {
    o.type = tfl_options::kLeakyRelu;
    o.alpha = lr->alpha;
  } else if (const auto* m = std::get_if<MeanAttrs>(&op.attrs)) {
    o.type = tfl_options::kReducer;
    o.keep_dims = m->keep_dims;
  } else if (const auto* cc = std::get_if<ConcatenationAttrs>(&op.attrs)) {
    o.type = tfl_options::kConcatenation;
    o.axis = cc->axis;
    o.activation = ActivationOf(cc->activation);
  } else if (const auto* pk = std::get_if<PackAttrs>(&op.attrs)) {
    o.type = tfl_options::kPack;
    o.values_count = pk->values_count;
    o.axis = pk->axis;
  } else if (const auto* sp = std::get_if<SplitAttrs>(&op.attrs)) {
    o.type = tfl_options::kSplit;
    o.num_splits = sp->num_splits;
  } else if (const auto* sq = std::get_if<SqueezeAttrs>(&op.attrs)) {
    o.type = tfl_options::kSqueeze;
    o.squeeze_dims = sq->squeeze_dims;
  } else if (const auto* ss = std::get_if<StridedSliceAttrs>(&op.attrs)) {
    o.type = tfl_options::kStridedSlice;
    o.begin_mask = ss->begin_mask;
    o.end_mask = ss->end_mask;
    o.ellipsis_mask = ss->ellipsis_mask;
    o.new_axis_mask = ss->new_axis_mask;
    o.shrink_axis_mask = ss->shrink_axis_mask;
    o.offset = ss->offset;
  } else if (std::get_if<ShapeAttrs>(&op.attrs) != nullptr) {
    o.type = tfl_options::kShape;
    o.out_type = tfl_type::kInt32;
  } else if (const auto* am = std::get_if<ArgMinMaxAttrs>(&op.attrs)) {
    o.type = op.kind == OpKind::kArgMin ? tfl_options::kArgMin : tfl_options::kArgMax;
    o.output_type = TensorTypeOf(am->output_type);
  } else if (const auto* rb = std::get_if<ResizeBilinearAttrs>(&op.attrs)) {
    o.type = op.kind == OpKind::kResizeNearestNeighbor ? tfl_options::kResizeNearestNeighbor
                                                       : tfl_options::kResizeBilinear;
    o.align_corners = rb->align_corners;
    o.half_pixel_centers = rb->half_pixel_centers;
  } else {
    switch (op.kind) {
      case OpKind::kReshape:
        o.type = tfl_options::kReshape;
        // TFLite's converter records the target shape here too; it is the output tensor's shape.
        if (!op.outputs.empty() && op.outputs[0] >= 0) o.new_shape = g.tensor(op.outputs[0]).shape;
        break;
      case OpKind::kPad:
        o.type = tfl_options::kPad;
        break;
      case OpKind::kTranspose:
        o.type = tfl_options::kTranspose;
        break;
      case OpKind::kQuantize:
        o.type = tfl_options::kQuantize;
        break;
      case OpKind::kSlice:
        o.type = tfl_options::kSlice;
        break;
      case OpKind::kExpandDims:
        o.type = tfl_options::kExpandDims;
        break;
      case OpKind::kMaximum:
      case OpKind::kMinimum:
        o.type = tfl_options::kMaximumMinimum;
        break;
      case OpKind::kSquaredDifference:
        o.type = tfl_options::kSquaredDifference;
        break;
      default:
        break;  // an op whose attrs are missing: no table, the importer reads defaults
    }
  }
  return o;
}

std::vector<int32_t> CheckedIds(const std::vector<int>& ids, size_t num_tensors, bool allow_omitted,
                                const std::string& where) {
  std::vector<int32_t> out;
  for (int id : ids) {
    Check((id == -1 && allow_omitted) || (id >= 0 && static_cast<size_t>(id) < num_tensors),
          "cannot write " + where + ": tensor id " + std::to_string(id) + " out of range");
    out.push_back(id);
  }
  return out;
}

}  // namespace

RawModel RawModelFromGraph(const Graph& g) {
  RawModel m;
  m.version = 3;
  m.description = "tinyfuse";
  m.buffers.emplace_back();  // buffer 0: the empty sentinel every activation points at
  RawSubGraph sg;
  sg.name = "main";
  for (const Tensor& t : g.tensors) {
    uint32_t buffer = 0;
    if (t.is_const && !t.data.empty()) {
      buffer = static_cast<uint32_t>(m.buffers.size());
      RawBuffer b;
      b.data = t.data;
      m.buffers.push_back(std::move(b));
    }
    sg.tensors.push_back(WriteTensor(t, buffer));
  }
  std::map<std::pair<int, int>, uint32_t> code_index;  // (builtin code, version) -> operator_codes index
  for (size_t i = 0; i < g.ops.size(); ++i) {
    const Op& op = g.ops[i];
    const std::string where = "op " + std::to_string(i);
    const int builtin = OpBuiltinCode(op.kind);
    const auto key = std::make_pair(builtin, op.version);
    auto it = code_index.find(key);
    if (it == code_index.end()) {
      RawOperatorCode c;
      c.builtin_code = builtin;
      // Readers that predate the extended field look only at the byte; 127 sends newer ones onward.
      c.deprecated_builtin_code =
          builtin < tfl_op::kPlaceholderForGreaterOpCodes ? builtin : tfl_op::kPlaceholderForGreaterOpCodes;
      c.version = op.version;
      it = code_index.emplace(key, static_cast<uint32_t>(m.operator_codes.size())).first;
      m.operator_codes.push_back(std::move(c));
    }
    RawOperator r;
    r.opcode_index = it->second;
    r.inputs = CheckedIds(op.inputs, g.tensors.size(), true, where);
    r.outputs = CheckedIds(op.outputs, g.tensors.size(), false, where);
    r.options = WriteOptions(op, g);
    sg.operators.push_back(std::move(r));
  }
  sg.inputs = CheckedIds(g.inputs, g.tensors.size(), false, "graph inputs");
  sg.outputs = CheckedIds(g.outputs, g.tensors.size(), false, "graph outputs");
  m.subgraphs.push_back(std::move(sg));
  return m;
}

std::vector<uint8_t> WriteTflite(const Graph& g) { return WriteRawModel(RawModelFromGraph(g)); }

void WriteTfliteFile(const Graph& g, const std::string& path) {
  const std::vector<uint8_t> bytes = WriteTflite(g);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  Check(static_cast<bool>(out), "cannot open '" + path + "' for writing");
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  Check(static_cast<bool>(out), "cannot write '" + path + "'");
}

}  // namespace tinyfuse
