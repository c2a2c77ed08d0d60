#include "tflite/raw_model.h"

#include <cstring>
#include <memory>
#include <string>

#include "common/error.h"
#include "tflite/schema_generated.h"

namespace tinyfuse {

namespace {

// The smallest flatbuffer with an identifier: root offset (4 bytes) + identifier (4 bytes).
constexpr size_t kMinFileSize = 8;
// flatbuffers offsets are 32-bit signed; bigger files cannot be valid flatbuffers.
constexpr size_t kMaxFileSize = 0x7fffffffu;

// ---------------------------------------------------------------------------------------------- reading

// Element by element through memcpy, not Vector::Get: the flatbuffers verifier aligns a vector only to its
// 4-byte length prefix, so the elements of an int64 vector (zero points) may sit at an address that is not
// a multiple of 8, and a typed load there is undefined behaviour (found by fuzz_import).
template <typename To, typename From>
std::vector<To> CopyVector(const flatbuffers::Vector<From>* v) {
  std::vector<To> out;
  if (v == nullptr) return out;
  out.reserve(v->size());
  const uint8_t* bytes = v->Data();
  for (flatbuffers::uoffset_t i = 0; i < v->size(); ++i) {
    From x;
    std::memcpy(&x, bytes + static_cast<size_t>(i) * sizeof(From), sizeof(From));
    out.push_back(static_cast<To>(flatbuffers::EndianScalar(x)));
  }
  return out;
}

std::vector<uint8_t> CopyBytes(const flatbuffers::Vector<uint8_t>* v) {
  std::vector<uint8_t> out;
  if (v == nullptr || v->size() == 0) return out;
  out.resize(v->size());
  // A flatbuffer byte vector has no alignment promise that matters here: copy bytes, never reinterpret.
  std::memcpy(out.data(), v->data(), v->size());
  return out;
}

std::string CopyString(const flatbuffers::String* s) { return s == nullptr ? std::string() : s->str(); }

RawOptions ReadOptions(const tflite::Operator& op) {
  RawOptions o;
  o.type = static_cast<int>(op.builtin_options_type());
  if (const auto* c = op.builtin_options_as_Conv2DOptions()) {
    o.padding = c->padding();
    o.stride_w = c->stride_w();
    o.stride_h = c->stride_h();
    o.activation = c->fused_activation_function();
    o.dilation_w = c->dilation_w_factor();
    o.dilation_h = c->dilation_h_factor();
    o.quantized_bias_type = c->quantized_bias_type();
  } else if (const auto* d = op.builtin_options_as_DepthwiseConv2DOptions()) {
    o.padding = d->padding();
    o.stride_w = d->stride_w();
    o.stride_h = d->stride_h();
    o.depth_multiplier = d->depth_multiplier();
    o.activation = d->fused_activation_function();
    o.dilation_w = d->dilation_w_factor();
    o.dilation_h = d->dilation_h_factor();
  } else if (const auto* p = op.builtin_options_as_Pool2DOptions()) {
    o.padding = p->padding();
    o.stride_w = p->stride_w();
    o.stride_h = p->stride_h();
    o.filter_w = p->filter_width();
    o.filter_h = p->filter_height();
    o.activation = p->fused_activation_function();
  } else if (const auto* f = op.builtin_options_as_FullyConnectedOptions()) {
    o.activation = f->fused_activation_function();
    o.weights_format = f->weights_format();
    o.keep_num_dims = f->keep_num_dims();
    o.asymmetric_quantize_inputs = f->asymmetric_quantize_inputs();
    o.quantized_bias_type = f->quantized_bias_type();
  } else if (const auto* s = op.builtin_options_as_SoftmaxOptions()) {
    o.beta = s->beta();
  } else if (const auto* a = op.builtin_options_as_AddOptions()) {
    o.activation = a->fused_activation_function();
    o.pot_scale_int16 = a->pot_scale_int16();
  } else if (const auto* r = op.builtin_options_as_ReshapeOptions()) {
    o.new_shape = CopyVector<int32_t>(r->new_shape());
  } else if (const auto* m = op.builtin_options_as_ReducerOptions()) {
    o.keep_dims = m->keep_dims();
  } else if (const auto* cc = op.builtin_options_as_ConcatenationOptions()) {
    o.axis = cc->axis();
    o.activation = cc->fused_activation_function();
  } else if (const auto* pk = op.builtin_options_as_PackOptions()) {
    o.values_count = pk->values_count();
    o.axis = pk->axis();
  } else if (const auto* sp = op.builtin_options_as_SplitOptions()) {
    o.num_splits = sp->num_splits();
  } else if (const auto* sq = op.builtin_options_as_SqueezeOptions()) {
    o.squeeze_dims = CopyVector<int32_t>(sq->squeeze_dims());
  } else if (const auto* ss = op.builtin_options_as_StridedSliceOptions()) {
    o.begin_mask = ss->begin_mask();
    o.end_mask = ss->end_mask();
    o.ellipsis_mask = ss->ellipsis_mask();
    o.new_axis_mask = ss->new_axis_mask();
    o.shrink_axis_mask = ss->shrink_axis_mask();
    o.offset = ss->offset();
  } else if (const auto* sh = op.builtin_options_as_ShapeOptions()) {
    o.out_type = sh->out_type();
  } else if (const auto* mul = op.builtin_options_as_MulOptions()) {
    o.activation = mul->fused_activation_function();
  } else if (const auto* sub = op.builtin_options_as_SubOptions()) {
    o.activation = sub->fused_activation_function();
    o.pot_scale_int16 = sub->pot_scale_int16();
  } else if (const auto* lr = op.builtin_options_as_LeakyReluOptions()) {
    o.alpha = lr->alpha();
  } else if (const auto* am = op.builtin_options_as_ArgMaxOptions()) {
    o.output_type = am->output_type();
  } else if (const auto* an = op.builtin_options_as_ArgMinOptions()) {
    o.output_type = an->output_type();
  } else if (const auto* rn = op.builtin_options_as_ResizeNearestNeighborOptions()) {
    o.align_corners = rn->align_corners();
    o.half_pixel_centers = rn->half_pixel_centers();
  } else if (const auto* rb = op.builtin_options_as_ResizeBilinearOptions()) {
    o.align_corners = rb->align_corners();
    o.half_pixel_centers = rb->half_pixel_centers();
  }
  return o;
}

RawTensor ReadTensor(const tflite::Tensor& t) {
  RawTensor r;
  r.shape = CopyVector<int32_t>(t.shape());
  r.type = static_cast<int>(t.type());
  r.buffer = t.buffer();
  r.name = CopyString(t.name());
  if (const auto* q = t.quantization()) {
    RawQuantization rq;
    rq.min = CopyVector<float>(q->min());
    rq.max = CopyVector<float>(q->max());
    rq.scale = CopyVector<float>(q->scale());
    rq.zero_point = CopyVector<int64_t>(q->zero_point());
    rq.details_type = static_cast<int>(q->details_type());
    rq.quantized_dimension = q->quantized_dimension();
    r.quantization = std::move(rq);
  }
  r.is_variable = t.is_variable();
  r.sparse = t.sparsity() != nullptr;
  r.shape_signature = CopyVector<int32_t>(t.shape_signature());
  r.has_rank = t.has_rank();
  r.external_buffer = t.external_buffer();
  return r;
}

RawModel ReadVerified(const tflite::Model& m) {
  RawModel out;
  out.version = m.version();
  out.description = CopyString(m.description());
  if (const auto* codes = m.operator_codes()) {
    for (const auto* c : *codes) {
      RawOperatorCode rc;
      rc.deprecated_builtin_code = c->deprecated_builtin_code();
      rc.custom_code = CopyString(c->custom_code());
      rc.version = c->version();
      rc.builtin_code = static_cast<int32_t>(c->builtin_code());
      out.operator_codes.push_back(std::move(rc));
    }
  }
  if (const auto* buffers = m.buffers()) {
    for (const auto* b : *buffers) {
      RawBuffer rb;
      rb.data = CopyBytes(b->data());
      rb.offset = b->offset();
      rb.size = b->size();
      out.buffers.push_back(std::move(rb));
    }
  }
  if (const auto* subgraphs = m.subgraphs()) {
    for (const auto* sg : *subgraphs) {
      RawSubGraph rs;
      rs.name = CopyString(sg->name());
      rs.inputs = CopyVector<int32_t>(sg->inputs());
      rs.outputs = CopyVector<int32_t>(sg->outputs());
      if (const auto* tensors = sg->tensors()) {
        for (const auto* t : *tensors) rs.tensors.push_back(ReadTensor(*t));
      }
      if (const auto* ops = sg->operators()) {
        for (const auto* op : *ops) {
          RawOperator ro;
          ro.opcode_index = op->opcode_index();
          ro.inputs = CopyVector<int32_t>(op->inputs());
          ro.outputs = CopyVector<int32_t>(op->outputs());
          ro.options = ReadOptions(*op);
          ro.custom_options = CopyBytes(op->custom_options());
          ro.intermediates = CopyVector<int32_t>(op->intermediates());
          ro.large_custom_options_offset = op->large_custom_options_offset();
          ro.large_custom_options_size = op->large_custom_options_size();
          rs.operators.push_back(std::move(ro));
        }
      }
      out.subgraphs.push_back(std::move(rs));
    }
  }
  return out;
}

// The identifier as printable text for an error message.
std::string ShowIdentifier(const uint8_t* id) {
  std::string s;
  for (int i = 0; i < 4; ++i) {
    const unsigned char c = id[i];
    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
      s += static_cast<char>(c);
    } else {
      static const char kHex[] = "0123456789abcdef";
      s += "\\x";
      s += kHex[c >> 4];
      s += kHex[c & 15];
    }
  }
  return s;
}

// ---------------------------------------------------------------------------------------------- writing

using flatbuffers::FlatBufferBuilder;
using flatbuffers::Offset;

Offset<void> WriteOptions(FlatBufferBuilder& fbb, const RawOptions& o) {
  using A = tflite::ActivationFunctionType;
  using P = tflite::Padding;
  using T = tflite::TensorType;
  const auto act = static_cast<A>(o.activation);
  const auto pad = static_cast<P>(o.padding);
  switch (o.type) {
    case tfl_options::kNone:
      return 0;
    case tfl_options::kConv2D:
      return tflite::CreateConv2DOptions(fbb, pad, o.stride_w, o.stride_h, act, o.dilation_w, o.dilation_h,
                                         static_cast<T>(o.quantized_bias_type))
          .Union();
    case tfl_options::kDepthwiseConv2D:
      return tflite::CreateDepthwiseConv2DOptions(fbb, pad, o.stride_w, o.stride_h, o.depth_multiplier, act,
                                                  o.dilation_w, o.dilation_h)
          .Union();
    case tfl_options::kPool2D:
      return tflite::CreatePool2DOptions(fbb, pad, o.stride_w, o.stride_h, o.filter_w, o.filter_h, act).Union();
    case tfl_options::kFullyConnected:
      return tflite::CreateFullyConnectedOptions(
                 fbb, act, static_cast<tflite::FullyConnectedOptionsWeightsFormat>(o.weights_format), o.keep_num_dims,
                 o.asymmetric_quantize_inputs, static_cast<T>(o.quantized_bias_type))
          .Union();
    case tfl_options::kSoftmax:
      return tflite::CreateSoftmaxOptions(fbb, o.beta).Union();
    case tfl_options::kAdd:
      return tflite::CreateAddOptions(fbb, act, o.pot_scale_int16).Union();
    case tfl_options::kReshape:
      return tflite::CreateReshapeOptions(fbb, o.new_shape.empty() ? 0 : fbb.CreateVector(o.new_shape)).Union();
    case tfl_options::kReducer:
      return tflite::CreateReducerOptions(fbb, o.keep_dims).Union();
    case tfl_options::kConcatenation:
      return tflite::CreateConcatenationOptions(fbb, o.axis, act).Union();
    case tfl_options::kPack:
      return tflite::CreatePackOptions(fbb, o.values_count, o.axis).Union();
    case tfl_options::kSplit:
      return tflite::CreateSplitOptions(fbb, o.num_splits).Union();
    case tfl_options::kSqueeze:
      return tflite::CreateSqueezeOptions(fbb, o.squeeze_dims.empty() ? 0 : fbb.CreateVector(o.squeeze_dims)).Union();
    case tfl_options::kStridedSlice:
      return tflite::CreateStridedSliceOptions(fbb, o.begin_mask, o.end_mask, o.ellipsis_mask, o.new_axis_mask,
                                               o.shrink_axis_mask, o.offset)
          .Union();
    case tfl_options::kShape:
      return tflite::CreateShapeOptions(fbb, static_cast<T>(o.out_type)).Union();
    case tfl_options::kMul:
      return tflite::CreateMulOptions(fbb, act).Union();
    case tfl_options::kSub:
      return tflite::CreateSubOptions(fbb, act, o.pot_scale_int16).Union();
    case tfl_options::kLeakyRelu:
      return tflite::CreateLeakyReluOptions(fbb, o.alpha).Union();
    case tfl_options::kArgMax:
      return tflite::CreateArgMaxOptions(fbb, static_cast<T>(o.output_type)).Union();
    case tfl_options::kArgMin:
      return tflite::CreateArgMinOptions(fbb, static_cast<T>(o.output_type)).Union();
    case tfl_options::kResizeNearestNeighbor:
      return tflite::CreateResizeNearestNeighborOptions(fbb, o.align_corners, o.half_pixel_centers).Union();
    case tfl_options::kResizeBilinear:
      return tflite::CreateResizeBilinearOptions(fbb, o.align_corners, o.half_pixel_centers).Union();
    default: {
      // PadOptions, TransposeOptions, QuantizeOptions, and tables we do not declare: an empty table.
      const auto start = fbb.StartTable();
      return Offset<void>(fbb.EndTable(start));
    }
  }
}

Offset<flatbuffers::Vector<uint8_t>> WriteBytes(FlatBufferBuilder& fbb, const std::vector<uint8_t>& bytes,
                                                size_t align) {
  fbb.ForceVectorAlignment(bytes.size(), sizeof(uint8_t), align);
  return fbb.CreateVector(bytes);
}

Offset<tflite::Tensor> WriteTensor(FlatBufferBuilder& fbb, const RawTensor& t) {
  Offset<tflite::QuantizationParameters> quant = 0;
  if (t.quantization) {
    const RawQuantization& q = *t.quantization;
    Check(q.details_type >= 0 && q.details_type <= 255,
          "quantization details type " + std::to_string(q.details_type) + " does not fit the format");
    Offset<void> details = 0;
    if (q.details_type != 0) {
      const auto start = fbb.StartTable();
      details = Offset<void>(fbb.EndTable(start));
    }
    quant = tflite::CreateQuantizationParameters(
        fbb, q.min.empty() ? 0 : fbb.CreateVector(q.min), q.max.empty() ? 0 : fbb.CreateVector(q.max),
        q.scale.empty() ? 0 : fbb.CreateVector(q.scale), q.zero_point.empty() ? 0 : fbb.CreateVector(q.zero_point),
        static_cast<tflite::QuantizationDetails>(q.details_type), details, q.quantized_dimension);
  }
  Offset<tflite::SparsityParameters> sparsity = 0;
  if (t.sparse) sparsity = tflite::CreateSparsityParameters(fbb);
  return tflite::CreateTensor(fbb, fbb.CreateVector(t.shape), static_cast<tflite::TensorType>(t.type), t.buffer,
                              fbb.CreateString(t.name), quant, t.is_variable, sparsity,
                              t.shape_signature.empty() ? 0 : fbb.CreateVector(t.shape_signature), t.has_rank, 0,
                              t.external_buffer);
}

Offset<tflite::Operator> WriteOperator(FlatBufferBuilder& fbb, const RawOperator& op) {
  Check(op.options.type >= 0 && op.options.type <= 255,
        "builtin options type " + std::to_string(op.options.type) + " does not fit the format");
  const Offset<void> options = WriteOptions(fbb, op.options);
  return tflite::CreateOperator(fbb, op.opcode_index, fbb.CreateVector(op.inputs), fbb.CreateVector(op.outputs),
                                static_cast<tflite::BuiltinOptions>(op.options.type), options,
                                op.custom_options.empty() ? 0 : fbb.CreateVector(op.custom_options),
                                tflite::CustomOptionsFormat_FLEXBUFFERS, 0,
                                op.intermediates.empty() ? 0 : fbb.CreateVector(op.intermediates),
                                op.large_custom_options_offset, op.large_custom_options_size);
}

}  // namespace

RawModel ReadRawModel(const uint8_t* data, size_t size) {
  Check(data != nullptr || size == 0, "no model data");
  Check(size >= kMinFileSize, "not a TFLite model: file is " + std::to_string(size) + " bytes, too small");
  Check(size <= kMaxFileSize, "TFLite model of " + std::to_string(size) + " bytes exceeds the 2 GiB flatbuffer limit");
  Check(flatbuffers::BufferHasIdentifier(data, tflite::ModelIdentifier()),
        "not a TFLite model: file identifier is '" + ShowIdentifier(data + 4) + "', expected 'TFL3'");

  // flatbuffers reads scalars in place, so the base must be aligned for the widest scalar (8 bytes).
  // Callers hand us arbitrary pointers (a file read at an offset, a fuzzer's input): copy when needed.
  std::unique_ptr<uint64_t[]> aligned;
  const uint8_t* base = data;
  if (reinterpret_cast<uintptr_t>(data) % alignof(uint64_t) != 0) {
    aligned.reset(new uint64_t[(size + 7) / 8]);
    std::memcpy(aligned.get(), data, size);
    base = reinterpret_cast<const uint8_t*>(aligned.get());
  }

  flatbuffers::Verifier verifier(base, size);
  Check(tflite::VerifyModelBuffer(verifier), "TFLite model failed flatbuffer verification (corrupt or truncated file)");
  return ReadVerified(*tflite::GetModel(base));
}

std::vector<uint8_t> WriteRawModel(const RawModel& m) {
  FlatBufferBuilder fbb(1024);

  std::vector<Offset<tflite::Buffer>> buffers;
  for (const RawBuffer& b : m.buffers) {
    buffers.push_back(tflite::CreateBuffer(fbb, b.data.empty() ? 0 : WriteBytes(fbb, b.data, 16), b.offset, b.size));
  }

  std::vector<Offset<tflite::OperatorCode>> codes;
  for (const RawOperatorCode& c : m.operator_codes) {
    Check(c.deprecated_builtin_code >= -128 && c.deprecated_builtin_code <= 127,
          "deprecated_builtin_code " + std::to_string(c.deprecated_builtin_code) + " does not fit in a byte");
    codes.push_back(tflite::CreateOperatorCode(fbb, static_cast<int8_t>(c.deprecated_builtin_code),
                                               c.custom_code.empty() ? 0 : fbb.CreateString(c.custom_code), c.version,
                                               static_cast<tflite::BuiltinOperator>(c.builtin_code)));
  }

  std::vector<Offset<tflite::SubGraph>> subgraphs;
  for (const RawSubGraph& sg : m.subgraphs) {
    std::vector<Offset<tflite::Tensor>> tensors;
    for (const RawTensor& t : sg.tensors) tensors.push_back(WriteTensor(fbb, t));
    std::vector<Offset<tflite::Operator>> ops;
    for (const RawOperator& op : sg.operators) ops.push_back(WriteOperator(fbb, op));
    subgraphs.push_back(tflite::CreateSubGraph(fbb, fbb.CreateVector(tensors), fbb.CreateVector(sg.inputs),
                                               fbb.CreateVector(sg.outputs), fbb.CreateVector(ops),
                                               sg.name.empty() ? 0 : fbb.CreateString(sg.name)));
  }

  const auto model =
      tflite::CreateModel(fbb, m.version, fbb.CreateVector(codes), fbb.CreateVector(subgraphs),
                          m.description.empty() ? 0 : fbb.CreateString(m.description), fbb.CreateVector(buffers));
  tflite::FinishModelBuffer(fbb, model);
  return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

}  // namespace tinyfuse
