#include "mutator.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <utility>

#include "byte_reader.h"
#include "fuzz_values.h"
#include "seed_models.h"
#include "shape_infer.h"
#include "tflite/writer.h"

namespace tinyfuse::fuzz {

namespace {

// Caps that keep a decoded model small whatever the input says (the point is hostile values, not size).
constexpr size_t kMaxRank = 10;
constexpr size_t kMaxOps = 64;
constexpr size_t kMaxTensors = 256;
constexpr size_t kMaxBufferBytes = 1 << 16;
constexpr size_t kMaxListLength = 12;

enum Mutation : uint8_t {
  kTensorDim,
  kTensorRank,
  kTensorType,
  kTensorBuffer,
  kTensorFlag,
  kQuantScale,
  kQuantZeroPoint,
  kQuantCount,
  kQuantAxis,
  kQuantOther,
  kOptionInt,
  kOptionMisc,
  kOpCode,
  kOpCodeIndex,
  kOpTensors,
  kGraphIo,
  kBufferResize,
  kBufferInt32,
  kBufferByte,
  kBufferExternal,
  kOpDuplicate,
  kOpDelete,
  kOpSwap,
  kTensorDuplicate,
  kModelLevel,
  kConnect,
  kCopyShape,
  kResizeConst,
  kInferShapes,
  kSplice,
  kNumMutations
};

class Mutator {
 public:
  Mutator(ByteReader& r, RawModel& m, std::string* log) : r_(r), m_(m), log_(log) {}

  void Apply() {
    // Three selector values in four pick an edit that mostly keeps the file importable (shapes, values,
    // options, graph structure, repairs), the fourth any edit: otherwise most inputs would stop at the
    // importer, as soon as one of their edits breaks the file.
    static constexpr Mutation kQuiet[] = {kTensorDim, kTensorRank,     kQuantScale,  kQuantZeroPoint, kQuantCount,
                                          kQuantAxis, kOptionInt,      kBufferInt32, kOpDuplicate,    kOpDelete,
                                          kOpSwap,    kConnect,        kCopyShape,   kResizeConst,    kInferShapes,
                                          kSplice,    kTensorDuplicate};
    const uint8_t selector = r_.U8();
    const int which = selector < 0xc0 ? kQuiet[selector % std::size(kQuiet)] : selector % kNumMutations;
    if (m_.subgraphs.empty()) {
      m_.subgraphs.emplace_back();  // every mutation below works on subgraph 0
      Log("add an empty subgraph");
    }
    switch (static_cast<Mutation>(which)) {
      case kTensorDim:
        return TensorDim();
      case kTensorRank:
        return TensorRank();
      case kTensorType:
        return TensorType();
      case kTensorBuffer:
        return TensorBuffer();
      case kTensorFlag:
        return TensorFlag();
      case kQuantScale:
        return QuantScale();
      case kQuantZeroPoint:
        return QuantZeroPoint();
      case kQuantCount:
        return QuantCount();
      case kQuantAxis:
        return QuantAxis();
      case kQuantOther:
        return QuantOther();
      case kOptionInt:
        return OptionInt();
      case kOptionMisc:
        return OptionMisc();
      case kOpCode:
        return OpCode();
      case kOpCodeIndex:
        return OpCodeIndex();
      case kOpTensors:
        return OpTensors();
      case kGraphIo:
        return GraphIo();
      case kBufferResize:
        return BufferResize();
      case kBufferInt32:
        return BufferInt32();
      case kBufferByte:
        return BufferByte();
      case kBufferExternal:
        return BufferExternal();
      case kOpDuplicate:
        return OpDuplicate();
      case kOpDelete:
        return OpDelete();
      case kOpSwap:
        return OpSwap();
      case kTensorDuplicate:
        return TensorDuplicate();
      case kModelLevel:
        return ModelLevel();
      case kConnect:
        return Connect();
      case kCopyShape:
        return CopyShape();
      case kResizeConst:
        return ResizeConst();
      case kInferShapes:
        InferOutputShapes(m_);
        return Log("infer output shapes");
      case kSplice:
        return Splice();
      case kNumMutations:
        break;
    }
  }

 private:
  RawSubGraph& sg() { return m_.subgraphs[0]; }

  template <typename... Args>
  void Log(const Args&... parts) {
    if (log_ == nullptr) return;
    ((*log_ += ToText(parts)), ...);
    *log_ += '\n';
  }
  static std::string ToText(const char* s) { return s; }
  static std::string ToText(const std::string& s) { return s; }
  static std::string ToText(float f) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(f));
    return buf;
  }
  template <typename T>
  static std::string ToText(T v) {
    return std::to_string(v);
  }

  // Index of a tensor / op / buffer / code, or -1 when there is none.
  int PickIndex(size_t n) { return n == 0 ? -1 : r_.Below(static_cast<int>(n)); }
  RawTensor* PickTensor(int* index) {
    *index = PickIndex(sg().tensors.size());
    return *index < 0 ? nullptr : &sg().tensors[static_cast<size_t>(*index)];
  }
  RawOperator* PickOp(int* index) {
    *index = PickIndex(sg().operators.size());
    return *index < 0 ? nullptr : &sg().operators[static_cast<size_t>(*index)];
  }
  RawQuantization& QuantOf(RawTensor& t) {
    if (!t.quantization) t.quantization = RawQuantization{};
    return *t.quantization;
  }

  bool IsConst(int tensor) {
    const uint32_t b = sg().tensors[static_cast<size_t>(tensor)].buffer;
    return b < m_.buffers.size() && !m_.buffers[b].data.empty();
  }

  void TensorDim() {
    int i;
    RawTensor* t = PickTensor(&i);
    if (t == nullptr) return;
    // A constant's data and per-channel scales must follow its shape: mostly resize them together.
    if (IsConst(i) && r_.U8() < 0xc0) return ResizeConst(i);
    const int32_t v = AnyDim(r_);
    if (t->shape.empty()) {
      t->shape.push_back(v);
      return Log("tensor ", i, ": append dim ", v);
    }
    const int d = r_.Below(static_cast<int>(t->shape.size()));
    t->shape[static_cast<size_t>(d)] = v;
    Log("tensor ", i, ": dim ", d, " = ", v);
  }

  void TensorRank() {
    int i;
    RawTensor* t = PickTensor(&i);
    if (t == nullptr) return;
    const int pos = r_.Below(static_cast<int>(t->shape.size()) + 1);
    if (r_.Bool() && t->shape.size() < kMaxRank) {
      const int32_t v = AnyDim(r_);
      t->shape.insert(t->shape.begin() + pos, v);
      Log("tensor ", i, ": insert dim ", v, " at ", pos);
    } else if (!t->shape.empty()) {
      t->shape.erase(t->shape.begin() + std::min<int>(pos, static_cast<int>(t->shape.size()) - 1));
      Log("tensor ", i, ": remove a dim");
    }
  }

  void TensorType() {
    int i;
    RawTensor* t = PickTensor(&i);
    if (t == nullptr) return;
    t->type = AnyTensorType(r_);
    Log("tensor ", i, ": type ", t->type);
  }

  void TensorBuffer() {
    int i;
    RawTensor* t = PickTensor(&i);
    if (t == nullptr) return;
    t->buffer = r_.U8() < 0xf0 ? static_cast<uint32_t>(r_.Below(static_cast<int>(m_.buffers.size()) + 2)) : r_.U32();
    Log("tensor ", i, ": buffer ", t->buffer);
  }

  void TensorFlag() {
    int i;
    RawTensor* t = PickTensor(&i);
    if (t == nullptr) return;
    switch (r_.Below(6)) {
      case 0:
        t->is_variable = !t->is_variable;
        return Log("tensor ", i, ": is_variable ", t->is_variable);
      case 1:
        t->sparse = !t->sparse;
        return Log("tensor ", i, ": sparse ", t->sparse);
      case 2:
        t->external_buffer = 1 + r_.U8();
        return Log("tensor ", i, ": external_buffer ", t->external_buffer);
      case 3:
        t->has_rank = !t->has_rank;
        t->shape_signature = t->shape;
        if (!t->shape_signature.empty()) t->shape_signature[0] = -1;
        return Log("tensor ", i, ": shape_signature with a dynamic dim");
      case 4: {
        static const char* const kNames[] = {
            "", "\"quoted\\name\"", "ctrl\x01\x1f\x7f", "bad utf8 \xff\xc3", "\xe2\x82", "%s%n%x", "\n\r\t"};
        t->name = kNames[r_.Below(static_cast<int>(std::size(kNames)))];
        return Log("tensor ", i, ": odd name");
      }
      default:
        t->name.assign(static_cast<size_t>(r_.U8()) * 64, 'n');
        return Log("tensor ", i, ": long name");
    }
  }

  void QuantScale() {
    int i;
    RawTensor* t = PickTensor(&i);
    if (t == nullptr) return;
    RawQuantization& q = QuantOf(*t);
    if (q.scale.empty()) q.scale.push_back(1.0f);
    const int k = r_.Below(static_cast<int>(q.scale.size()));
    q.scale[static_cast<size_t>(k)] = AnyFloat(r_);
    Log("tensor ", i, ": scale ", k, " = ", q.scale[static_cast<size_t>(k)]);
  }

  void QuantZeroPoint() {
    int i;
    RawTensor* t = PickTensor(&i);
    if (t == nullptr) return;
    RawQuantization& q = QuantOf(*t);
    if (q.zero_point.empty()) q.zero_point.push_back(0);
    const int k = r_.Below(static_cast<int>(q.zero_point.size()));
    q.zero_point[static_cast<size_t>(k)] = AnyZeroPoint(r_);
    Log("tensor ", i, ": zero point ", k, " = ", q.zero_point[static_cast<size_t>(k)]);
  }

  void QuantCount() {
    int i;
    RawTensor* t = PickTensor(&i);
    if (t == nullptr) return;
    RawQuantization& q = QuantOf(*t);
    size_t n = static_cast<size_t>(r_.Below(10));
    if (r_.Bool() && !t->shape.empty()) {  // per-channel along some axis, with a matching count
      const int axis = r_.Below(static_cast<int>(t->shape.size()));
      q.quantized_dimension = axis;
      n = static_cast<size_t>(std::clamp<int32_t>(t->shape[static_cast<size_t>(axis)], 0, 4096));
    }
    const int which = r_.Below(3);
    if (which != 2) {
      q.scale.resize(n);
      for (size_t k = 0; k < n; ++k) q.scale[k] = 0.01f * static_cast<float>(k + 1);
    }
    if (which != 1) q.zero_point.assign(n, 0);
    Log("tensor ", i, ": ", n,
        which == 0   ? " scales and zero points"
        : which == 1 ? " scales"
                     : " zero points",
        " (axis ", q.quantized_dimension, ")");
  }

  void QuantAxis() {
    int i;
    RawTensor* t = PickTensor(&i);
    if (t == nullptr) return;
    QuantOf(*t).quantized_dimension = AnyInt(r_);
    Log("tensor ", i, ": quantized_dimension ", t->quantization->quantized_dimension);
  }

  void QuantOther() {
    int i;
    RawTensor* t = PickTensor(&i);
    if (t == nullptr) return;
    switch (r_.Below(3)) {
      case 0:
        t->quantization.reset();
        return Log("tensor ", i, ": no quantization");
      case 1:
        QuantOf(*t).details_type = 1 + r_.Below(3);
        return Log("tensor ", i, ": quantization details type ", t->quantization->details_type);
      default:
        QuantOf(*t).min = {AnyFloat(r_)};
        t->quantization->max = {AnyFloat(r_)};
        return Log("tensor ", i, ": min/max");
    }
  }

  void OptionInt() {
    int k;
    RawOperator* op = PickOp(&k);
    if (op == nullptr) return;
    RawOptions& o = op->options;
    static const char* const kFields[] = {"stride_w",         "stride_h",       "dilation_w",         "dilation_h",
                                          "depth_multiplier", "filter_w",       "filter_h",           "padding",
                                          "activation",       "weights_format", "quantized_bias_type"};
    int32_t* const fields[] = {&o.stride_w,         &o.stride_h, &o.dilation_w, &o.dilation_h,
                               &o.depth_multiplier, &o.filter_w, &o.filter_h};
    const int f = r_.Below(static_cast<int>(std::size(kFields)));
    const int32_t v = AnyInt(r_);
    if (f < static_cast<int>(std::size(fields))) {
      *fields[f] = v;
    } else {
      // Enum fields are bytes in the file.
      const int b = static_cast<int8_t>(v);
      (f == 7 ? o.padding : f == 8 ? o.activation : f == 9 ? o.weights_format : o.quantized_bias_type) = b;
    }
    Log("op ", k, ": ", kFields[f], " = ", v);
  }

  void OptionMisc() {
    int k;
    RawOperator* op = PickOp(&k);
    if (op == nullptr) return;
    RawOptions& o = op->options;
    switch (r_.Below(7)) {
      case 0:
        o.beta = AnyFloat(r_);
        return Log("op ", k, ": beta ", o.beta);
      case 6:
        o.alpha = AnyFloat(r_);
        return Log("op ", k, ": alpha ", o.alpha);
      case 1:
        o.keep_dims = !o.keep_dims;
        return Log("op ", k, ": keep_dims ", o.keep_dims);
      case 2:
        o.keep_num_dims = !o.keep_num_dims;
        return Log("op ", k, ": keep_num_dims ", o.keep_num_dims);
      case 3:
        o.asymmetric_quantize_inputs = !o.asymmetric_quantize_inputs;
        return Log("op ", k, ": asymmetric_quantize_inputs ", o.asymmetric_quantize_inputs);
      case 4:
        o.type = AnyOptionsType(r_);
        return Log("op ", k, ": options type ", o.type);
      default:
        o.new_shape.assign(static_cast<size_t>(r_.Below(4)), AnyDim(r_));
        return Log("op ", k, ": new_shape of ", o.new_shape.size());
    }
  }

  void OpCode() {
    if (m_.operator_codes.empty() || r_.U8() < 0x10) {
      m_.operator_codes.push_back(RawOperatorCode{});
      Log("add an operator code");
    }
    const int c = r_.Below(static_cast<int>(m_.operator_codes.size()));
    RawOperatorCode& code = m_.operator_codes[static_cast<size_t>(c)];
    switch (r_.Below(4)) {
      case 0:
        code.builtin_code = AnyOperatorCode(r_);
        code.deprecated_builtin_code = std::clamp(code.builtin_code, -128, 127);
        return Log("code ", c, ": builtin ", code.builtin_code);
      case 1:
        code.deprecated_builtin_code = static_cast<int8_t>(AnyOperatorCode(r_));
        return Log("code ", c, ": deprecated builtin ", code.deprecated_builtin_code);
      case 2:
        code.version = AnyInt(r_);
        return Log("code ", c, ": version ", code.version);
      default:
        code.builtin_code = code.deprecated_builtin_code = 32;  // CUSTOM
        code.custom_code = r_.Bool() ? "TFLite_Detection_PostProcess" : "";
        return Log("code ", c, ": custom '", code.custom_code, "'");
    }
  }

  void OpCodeIndex() {
    int k;
    RawOperator* op = PickOp(&k);
    if (op == nullptr) return;
    op->opcode_index =
        r_.U8() < 0xf0 ? static_cast<uint32_t>(r_.Below(static_cast<int>(m_.operator_codes.size()) + 1)) : r_.U32();
    Log("op ", k, ": opcode_index ", op->opcode_index);
  }

  void EditList(std::vector<int32_t>& list, const std::string& what) {
    const size_t n = sg().tensors.size();
    switch (r_.Below(4)) {
      case 0:
        if (list.empty()) break;
        {
          const int slot = r_.Below(static_cast<int>(list.size()));
          list[static_cast<size_t>(slot)] = AnyTensorId(r_, n);
          return Log(what, " slot ", slot, " = ", list[static_cast<size_t>(slot)]);
        }
      case 1:
        if (list.size() >= kMaxListLength) break;
        list.push_back(AnyTensorId(r_, n));
        return Log(what, ": append ", list.back());
      case 2:
        if (list.empty()) break;
        list.erase(list.begin() + r_.Below(static_cast<int>(list.size())));
        return Log(what, ": remove a slot");
      default:
        list.clear();
        return Log(what, ": clear");
    }
  }

  void OpTensors() {
    int k;
    RawOperator* op = PickOp(&k);
    if (op == nullptr) return;
    const bool inputs = r_.Bool();
    EditList(inputs ? op->inputs : op->outputs, "op " + std::to_string(k) + (inputs ? " inputs" : " outputs"));
  }

  void GraphIo() {
    const bool inputs = r_.Bool();
    EditList(inputs ? sg().inputs : sg().outputs, inputs ? "graph inputs" : "graph outputs");
  }

  // A buffer that holds data, preferring those (the empty ones are mostly buffer 0 and activations).
  int PickDataBuffer() {
    std::vector<int> full;
    for (size_t b = 0; b < m_.buffers.size(); ++b) {
      if (!m_.buffers[b].data.empty()) full.push_back(static_cast<int>(b));
    }
    if (!full.empty() && r_.U8() < 0xe0) return full[static_cast<size_t>(r_.Below(static_cast<int>(full.size())))];
    return PickIndex(m_.buffers.size());
  }

  void BufferResize() {
    const int b = PickDataBuffer();
    if (b < 0) return;
    std::vector<uint8_t>& d = m_.buffers[static_cast<size_t>(b)].data;
    size_t n;
    switch (r_.Below(4)) {
      case 0:
        n = 0;
        break;
      case 1:
        n = d.size() - std::min<size_t>(d.size(), 1 + r_.Below(8));
        break;
      case 2:
        n = d.size() + 1 + static_cast<size_t>(r_.Below(16));
        break;
      default:
        n = d.size() * 2;
        break;
    }
    d.resize(std::min(n, kMaxBufferBytes), 0x5a);
    Log("buffer ", b, ": ", d.size(), " bytes");
  }

  void BufferInt32() {
    const int b = PickDataBuffer();
    if (b < 0) return;
    std::vector<uint8_t>& d = m_.buffers[static_cast<size_t>(b)].data;
    if (d.size() < 4) return;
    const int k = r_.Below(static_cast<int>(std::min<size_t>(d.size() / 4, 65536)));
    const int32_t v = AnyInt(r_);
    for (int i = 0; i < 4; ++i)
      d[static_cast<size_t>(4 * k + i)] = static_cast<uint8_t>(static_cast<uint32_t>(v) >> (8 * i));
    Log("buffer ", b, ": int32 ", k, " = ", v);
  }

  void BufferByte() {
    const int b = PickDataBuffer();
    if (b < 0) return;
    std::vector<uint8_t>& d = m_.buffers[static_cast<size_t>(b)].data;
    if (d.empty()) return;
    const int k = r_.Below(static_cast<int>(std::min<size_t>(d.size(), 65536)));
    d[static_cast<size_t>(k)] = r_.U8();
    Log("buffer ", b, ": byte ", k, " = ", d[static_cast<size_t>(k)]);
  }

  void BufferExternal() {
    const int b = PickIndex(m_.buffers.size());
    if (b < 0) return;
    RawBuffer& buf = m_.buffers[static_cast<size_t>(b)];
    buf.offset = r_.Bool() ? r_.U8() : r_.U64();
    buf.size = r_.U8();
    Log("buffer ", b, ": offset ", buf.offset, " size ", buf.size);
  }

  void OpDuplicate() {
    int k;
    RawOperator* op = PickOp(&k);
    if (op == nullptr || sg().operators.size() >= kMaxOps) return;
    RawOperator copy = *op;
    sg().operators.insert(sg().operators.begin() + k + 1, std::move(copy));
    Log("op ", k, ": duplicate");
  }

  void OpDelete() {
    int k;
    if (PickOp(&k) == nullptr) return;
    sg().operators.erase(sg().operators.begin() + k);
    Log("op ", k, ": delete");
  }

  void OpSwap() {
    int a, b;
    if (PickOp(&a) == nullptr || PickOp(&b) == nullptr) return;
    std::swap(sg().operators[static_cast<size_t>(a)], sg().operators[static_cast<size_t>(b)]);
    Log("swap ops ", a, " and ", b);
  }

  void TensorDuplicate() {
    int i;
    RawTensor* t = PickTensor(&i);
    if (t == nullptr || sg().tensors.size() >= kMaxTensors) return;
    RawTensor copy = *t;
    sg().tensors.push_back(std::move(copy));
    const int32_t id = static_cast<int32_t>(sg().tensors.size() - 1);
    int k;
    RawOperator* op = PickOp(&k);
    if (op != nullptr) {
      std::vector<int32_t>& list = r_.Bool() || op->outputs.empty() ? op->inputs : op->outputs;
      if (!list.empty()) list[static_cast<size_t>(r_.Below(static_cast<int>(list.size())))] = id;
    }
    Log("tensor ", i, ": duplicate as ", id, op ? " and use it in op " + std::to_string(k) : "");
  }

  void ModelLevel() {
    switch (r_.Below(4)) {
      case 0:
        m_.version = static_cast<uint32_t>(AnyInt(r_));
        return Log("model version ", m_.version);
      case 1:
        if (m_.subgraphs.size() >= 3) return;
        m_.subgraphs.push_back(m_.subgraphs[0]);
        return Log("duplicate subgraph 0");
      case 2:
        if (m_.subgraphs.size() <= 1) return;
        m_.subgraphs.pop_back();
        return Log("remove the last subgraph");
      default:
        m_.subgraphs[0].name.assign(static_cast<size_t>(r_.U8()), 's');
        m_.description = r_.Bool() ? "" : "tinyfuse fuzz \xff";
        return Log("names");
    }
  }

  void Connect() {
    int a, b;
    RawOperator* to = PickOp(&a);
    RawOperator* from = PickOp(&b);
    if (to == nullptr || from == nullptr || from->outputs.empty()) return;
    if (to->inputs.empty()) to->inputs.push_back(0);
    const int slot = r_.Below(static_cast<int>(to->inputs.size()));
    to->inputs[static_cast<size_t>(slot)] = from->outputs[0];
    Log("op ", a, " input ", slot, " = output of op ", b);
  }

  void CopyShape() {
    int a, b;
    RawTensor* to = PickTensor(&a);
    RawTensor* from = PickTensor(&b);
    if (to == nullptr || from == nullptr) return;
    to->shape = from->shape;
    Log("tensor ", a, ": shape of tensor ", b);
  }

  // Resizes a constant consistently: shape, data and per-channel quantization together.
  void ResizeConst() {
    std::vector<int> consts;
    for (size_t i = 0; i < sg().tensors.size(); ++i) {
      if (IsConst(static_cast<int>(i))) consts.push_back(static_cast<int>(i));
    }
    if (consts.empty()) return;
    ResizeConst(consts[static_cast<size_t>(r_.Below(static_cast<int>(consts.size())))]);
  }

  void ResizeConst(int i) {
    RawTensor& t = sg().tensors[static_cast<size_t>(i)];
    if (t.shape.empty()) t.shape.push_back(1);
    const int d = r_.Below(static_cast<int>(t.shape.size()));
    t.shape[static_cast<size_t>(d)] = r_.U8() < 0xe0 ? 1 + r_.Below(8) : AnyDim(r_);
    int64_t elements = 1;
    for (int32_t x : t.shape) elements = std::clamp<int64_t>(elements * std::max<int32_t>(x, 0), 0, kMaxBufferBytes);
    const int64_t elem_size = t.type == tfl_type::kInt32 ? 4 : t.type == tfl_type::kInt16 ? 2 : 1;
    std::vector<uint8_t>& data = m_.buffers[t.buffer].data;
    const size_t old = data.size();
    data.resize(static_cast<size_t>(std::min<int64_t>(elements * elem_size, kMaxBufferBytes)));
    for (size_t k = old; k < data.size(); ++k) data[k] = static_cast<uint8_t>(k * 37 + 11);
    if (data.empty()) data.push_back(0);  // keep it a constant (an empty buffer reads as an activation)
    if (t.quantization && t.quantization->scale.size() > 1) {
      RawQuantization& q = *t.quantization;
      const int32_t axis = q.quantized_dimension;
      if (axis >= 0 && static_cast<size_t>(axis) < t.shape.size()) {
        const size_t n = static_cast<size_t>(std::clamp<int32_t>(t.shape[static_cast<size_t>(axis)], 0, 4096));
        q.scale.resize(n, q.scale.back());
        q.zero_point.resize(n, 0);
      }
    }
    Log("constant tensor ", i, ": dim ", d, " = ", t.shape[static_cast<size_t>(d)], " (", data.size(), " bytes)");
  }

  // Appends seed model B after this one: B's first input becomes this model's first output.
  void Splice() {
    const std::vector<SeedModel>& seeds = SeedModels();
    const int s = r_.Below(static_cast<int>(seeds.size()));
    if (sg().tensors.size() + seeds[static_cast<size_t>(s)].graph.tensors.size() > kMaxTensors ||
        sg().operators.size() + seeds[static_cast<size_t>(s)].graph.ops.size() > kMaxOps) {
      return;
    }
    RawModel b = RawModelFromGraph(seeds[static_cast<size_t>(s)].graph);
    if (b.subgraphs.size() != 1) return;
    RawSubGraph& bsg = b.subgraphs[0];
    const int32_t tensor_base = static_cast<int32_t>(sg().tensors.size());
    const uint32_t buffer_base = static_cast<uint32_t>(m_.buffers.size());
    const uint32_t code_base = static_cast<uint32_t>(m_.operator_codes.size());
    const int32_t joint = sg().outputs.empty() || bsg.inputs.empty() ? -1 : sg().outputs[0];
    auto map = [&](int32_t id) {
      if (id < 0) return id;
      if (joint >= 0 && id == bsg.inputs[0]) return joint;
      return id + tensor_base;
    };
    for (RawTensor& t : bsg.tensors) {
      t.buffer += buffer_base;
      sg().tensors.push_back(std::move(t));
    }
    for (RawBuffer& buf : b.buffers) m_.buffers.push_back(std::move(buf));
    for (RawOperatorCode& c : b.operator_codes) m_.operator_codes.push_back(std::move(c));
    for (RawOperator& op : bsg.operators) {
      op.opcode_index += code_base;
      for (int32_t& id : op.inputs) id = map(id);
      for (int32_t& id : op.outputs) id = map(id);
      sg().operators.push_back(std::move(op));
    }
    for (size_t k = joint >= 0 ? 1 : 0; k < bsg.inputs.size(); ++k) sg().inputs.push_back(map(bsg.inputs[k]));
    sg().outputs.clear();
    for (int32_t id : bsg.outputs) sg().outputs.push_back(map(id));
    Log("splice seed ", s, " (", seeds[static_cast<size_t>(s)].name, ")");
  }

  ByteReader& r_;
  RawModel& m_;
  std::string* log_;
};

}  // namespace

MutatedModel DecodeMutatedModel(const uint8_t* data, size_t size, bool with_log) {
  ByteReader r(data, size);
  const std::vector<SeedModel>& seeds = SeedModels();
  MutatedModel out;
  out.seed = r.Below(static_cast<int>(seeds.size()));
  const uint8_t flags = r.U8();
  out.flip_arith = (flags & 1) != 0;
  out.repair_shapes = (flags & 2) != 0;
  out.model = RawModelFromGraph(seeds[static_cast<size_t>(out.seed)].graph);
  if (with_log) {
    out.log = "seed " + std::to_string(out.seed) + " (" + seeds[static_cast<size_t>(out.seed)].name + ")" +
              (out.flip_arith ? ", other arithmetic" : "") + "\n";
  }
  Mutator mutator(r, out.model, with_log ? &out.log : nullptr);
  for (int i = 0; i < kMaxMutations && !r.empty(); ++i) mutator.Apply();
  if (out.repair_shapes) {
    InferOutputShapes(out.model);
    if (with_log) out.log += "infer output shapes (flag)\n";
  }
  return out;
}

}  // namespace tinyfuse::fuzz
