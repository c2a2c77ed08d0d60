#include "graph/graph.h"

#include <cstdint>
#include <cstring>

#include "common/error.h"
#include "common/text.h"

namespace tinyfuse {

int DTypeSize(DType t) {
  switch (t) {
    case DType::kInt8:
    case DType::kUInt8:
      return 1;
    case DType::kInt16:
      return 2;
    case DType::kInt32:
    case DType::kFloat32:
      return 4;
    case DType::kInt64:
      return 8;
  }
  return 1;
}

const char* DTypeName(DType t) {
  switch (t) {
    case DType::kInt8: return "int8";
    case DType::kUInt8: return "uint8";
    case DType::kInt16: return "int16";
    case DType::kInt32: return "int32";
    case DType::kFloat32: return "float32";
    case DType::kInt64: return "int64";
  }
  return "?";
}

const char* DTypeCName(DType t) {
  switch (t) {
    case DType::kInt8: return "int8_t";
    case DType::kUInt8: return "uint8_t";
    case DType::kInt16: return "int16_t";
    case DType::kInt32: return "int32_t";
    case DType::kFloat32: return "float";
    case DType::kInt64: return "int64_t";
  }
  return "?";
}

namespace {
struct OpInfo {
  const char* name;
  int code;
  int max_version;
};
constexpr OpInfo kOpInfo[] = {
#define TINYFUSE_OP(e, name, code, ver) {name, code, ver},
#include "graph/ops.def"
};
}  // namespace

const char* OpName(OpKind k) { return kOpInfo[static_cast<int>(k)].name; }
int OpBuiltinCode(OpKind k) { return kOpInfo[static_cast<int>(k)].code; }
int OpMaxVersion(OpKind k) { return kOpInfo[static_cast<int>(k)].max_version; }

const char* ArithName(Arith a) { return a == Arith::kTflm ? "tflm" : "tflite"; }

const char* PaddingName(Padding p) { return p == Padding::kSame ? "SAME" : "VALID"; }

const char* ActivationName(Activation a) {
  switch (a) {
    case Activation::kNone: return "NONE";
    case Activation::kRelu: return "RELU";
    case Activation::kReluN1To1: return "RELU_N1_TO_1";
    case Activation::kRelu6: return "RELU6";
  }
  return "?";
}

int64_t Tensor::num_elements() const {
  int64_t n = 1;
  for (int32_t d : shape) n *= d;
  return n;
}

int32_t Tensor::ConstInt(int64_t index) const {
  const int size = DTypeSize(dtype);
  const size_t off = static_cast<size_t>(index) * static_cast<size_t>(size);
  if (off + static_cast<size_t>(size) > data.size()) throw Error("constant tensor " + QuoteName(name) + ": read past its data");
  switch (dtype) {
    case DType::kInt8: return static_cast<int8_t>(data[off]);
    case DType::kUInt8: return data[off];
    case DType::kInt16: {
      int16_t v;
      std::memcpy(&v, &data[off], 2);
      return v;
    }
    case DType::kInt32: {
      int32_t v;
      std::memcpy(&v, &data[off], 4);
      return v;
    }
    case DType::kFloat32:
      break;
    case DType::kInt64: {
      int64_t v;
      std::memcpy(&v, &data[off], 8);
      Check(v >= INT32_MIN && v <= INT32_MAX,
            "constant tensor " + QuoteName(name) + ": int64 value " + std::to_string(v) + " does not fit int32");
      return static_cast<int32_t>(v);
    }
  }
  throw Error("constant tensor " + QuoteName(name) + ": float32 data is not read as integers");
  return 0;
}

namespace {
// "t12": built by appending, since `"t" + std::to_string(n)` trips GCC 12's -Wrestrict false positive at -O3.
std::string DefaultName(char kind, size_t index) {
  std::string name(1, kind);
  name += std::to_string(index);
  return name;
}
}  // namespace

int Graph::AddTensor(Tensor t) {
  tensors.push_back(std::move(t));
  return static_cast<int>(tensors.size()) - 1;
}

int Graph::AddActivation(DType dtype, std::vector<int32_t> shape, Quantization q, std::string name) {
  Tensor t;
  t.name = name.empty() ? DefaultName('t', tensors.size()) : std::move(name);
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.quant = std::move(q);
  return AddTensor(std::move(t));
}

int Graph::AddConstant(DType dtype, std::vector<int32_t> shape, Quantization q, std::vector<uint8_t> bytes,
                       std::string name) {
  Tensor t;
  t.name = name.empty() ? DefaultName('c', tensors.size()) : std::move(name);
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.quant = std::move(q);
  t.data = std::move(bytes);
  t.is_const = true;
  return AddTensor(std::move(t));
}

int Graph::AddOp(Op op) {
  if (op.source_index < 0) op.source_index = static_cast<int>(ops.size());
  ops.push_back(std::move(op));
  return static_cast<int>(ops.size()) - 1;
}

Arith ChooseArith(const Graph& g) {
  for (const Op& op : g.ops) {
    if (op.kind == OpKind::kConv2D || op.kind == OpKind::kDepthwiseConv2D || op.kind == OpKind::kFullyConnected) {
      if (op.inputs.size() > 1 && op.inputs[1] >= 0 && g.tensor(op.inputs[1]).dtype == DType::kUInt8) {
        return Arith::kTflite;
      }
    }
  }
  return Arith::kTflm;
}

std::vector<uint8_t> BytesOf(const std::vector<int8_t>& v) {
  std::vector<uint8_t> out(v.size());
  if (!v.empty()) std::memcpy(out.data(), v.data(), v.size());
  return out;
}

std::vector<uint8_t> BytesOf(const std::vector<uint8_t>& v) { return v; }

std::vector<uint8_t> BytesOf(const std::vector<int32_t>& v) {
  std::vector<uint8_t> out(v.size() * 4);
  for (size_t i = 0; i < v.size(); ++i) {
    const uint32_t u = static_cast<uint32_t>(v[i]);
    out[4 * i + 0] = static_cast<uint8_t>(u);
    out[4 * i + 1] = static_cast<uint8_t>(u >> 8);
    out[4 * i + 2] = static_cast<uint8_t>(u >> 16);
    out[4 * i + 3] = static_cast<uint8_t>(u >> 24);
  }
  return out;
}

}  // namespace tinyfuse
