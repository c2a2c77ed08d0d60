// The quantized graph IR: tensors with dtype, shape, quantization and optional constant data, and ops in
// execution order. It is what the importer produces, what the interpreter executes and what the graph
// passes (canonicalize, fuse) rewrite. Tensors and ops are identified by their index in the graph
// (stable ids; passes that delete entries keep ids of the survivors by marking, not erasing).
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace tinyfuse {

// kInt64 holds indices only (ARG_MAX/ARG_MIN outputs, int64 axis constants); kFloat32 only the model's
// float edges (QUANTIZE from float, DEQUANTIZE).
enum class DType : uint8_t { kInt8, kUInt8, kInt16, kInt32, kFloat32, kInt64 };
int DTypeSize(DType t);
const char* DTypeName(DType t);  // "int8", "uint8", "int16", "int32", "float32", "int64"
const char* DTypeCName(DType t);  // "int8_t", ...

enum class OpKind : uint8_t {
#define TINYFUSE_OP(e, name, code, ver) e,
#include "graph/ops.def"
};
const char* OpName(OpKind k);          // TFLite builtin name, e.g. "CONV_2D"
int OpBuiltinCode(OpKind k);           // TFLite BuiltinOperator value
int OpMaxVersion(OpKind k);            // highest supported op version
constexpr int kNumOpKinds = 0
#define TINYFUSE_OP(e, name, code, ver) +1
#include "graph/ops.def"
    ;

// Arithmetic flavour: which runtime's integer kernels the results must be byte-identical to.
//  kTflm:   TensorFlow Lite Micro reference kernels (double rounding requantize, fixed-point softmax).
//  kTflite: TensorFlow Lite's own kernels (single rounding conv/depthwise/FC, table softmax).
enum class Arith : uint8_t { kTflm, kTflite };
const char* ArithName(Arith a);

// real = scale * (q - zero_point). Per-tensor: one scale. Per-channel: one scale per index of `axis`.
struct Quantization {
  std::vector<float> scale;
  std::vector<int64_t> zero_point;
  int axis = 0;  // quantized_dimension (meaningful when scale.size() > 1)
  bool empty() const { return scale.empty(); }
  bool per_channel() const { return scale.size() > 1; }
  // The single zero point of a per-tensor quantized tensor (0 when there is none).
  int32_t zp() const { return zero_point.empty() ? 0 : static_cast<int32_t>(zero_point[0]); }
};

struct Tensor {
  std::string name;
  DType dtype = DType::kInt8;
  std::vector<int32_t> shape;
  Quantization quant;
  // Constant data, little-endian, as stored in the model; empty for activations.
  std::vector<uint8_t> data;
  bool is_const = false;

  int64_t num_elements() const;
  int64_t byte_size() const { return num_elements() * DTypeSize(dtype); }
  int rank() const { return static_cast<int>(shape.size()); }
  int32_t dim(int i) const { return shape[static_cast<size_t>(i)]; }
  // Typed element read of constant data (no unaligned access). An int64 element must fit int32 (throws).
  int32_t ConstInt(int64_t index) const;
};

enum class Padding : uint8_t { kSame, kValid };
enum class Activation : uint8_t { kNone, kRelu, kReluN1To1, kRelu6 };
const char* PaddingName(Padding p);
const char* ActivationName(Activation a);

struct Conv2DAttrs {
  Padding padding = Padding::kValid;
  int stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  Activation activation = Activation::kNone;
};
struct DepthwiseConv2DAttrs {
  Padding padding = Padding::kValid;
  int stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  int depth_multiplier = 1;
  Activation activation = Activation::kNone;
};
struct FullyConnectedAttrs {
  Activation activation = Activation::kNone;
  bool keep_num_dims = false;
};
struct Pool2DAttrs {
  Padding padding = Padding::kValid;
  int stride_h = 1, stride_w = 1, filter_h = 1, filter_w = 1;
  Activation activation = Activation::kNone;
};
// ADD, and also MUL and SUB, whose options hold the same fused activation (pot_scale_int16 only matters
// for int16).
struct AddAttrs {
  Activation activation = Activation::kNone;
};
struct LeakyReluAttrs {
  float alpha = 0.0f;
};
struct SoftmaxAttrs {
  float beta = 1.0f;
};
// The reducer options of MEAN, SUM, REDUCE_MAX and REDUCE_MIN.
struct MeanAttrs {
  bool keep_dims = false;
};
// Data movement (graph/prepare/move_ops.h). axis may be negative (counted from the end).
struct ConcatenationAttrs {
  int axis = 0;
  Activation activation = Activation::kNone;
};
struct PackAttrs {
  int values_count = 0;
  int axis = 0;
};
struct SplitAttrs {
  int num_splits = 0;
};
struct SqueezeAttrs {
  std::vector<int32_t> squeeze_dims;  // empty: every axis of extent 1
};
struct StridedSliceAttrs {
  int32_t begin_mask = 0, end_mask = 0, ellipsis_mask = 0, new_axis_mask = 0, shrink_axis_mask = 0;
  bool offset = false;  // end is an offset from begin
};
struct ShapeAttrs {
  DType out_type = DType::kInt32;
};
// ARG_MAX, ARG_MIN: the dtype of the index output as the options name it (int32 or int64; the importer
// rejects other types, the verifier checks it against the output tensor).
struct ArgMinMaxAttrs {
  DType output_type = DType::kInt32;
};
struct ResizeBilinearAttrs {
  bool align_corners = false;
  bool half_pixel_centers = false;
};
// RESHAPE, PAD, TRANSPOSE, QUANTIZE, DEQUANTIZE, SLICE, EXPAND_DIMS, the unary activations but LEAKY_RELU,
// MAXIMUM, MINIMUM, PRELU, SQUARED_DIFFERENCE: everything they need is in their tensors.
struct NoAttrs {};

using OpAttrs = std::variant<NoAttrs, Conv2DAttrs, DepthwiseConv2DAttrs, FullyConnectedAttrs,
                             Pool2DAttrs, AddAttrs, SoftmaxAttrs, MeanAttrs, ConcatenationAttrs, PackAttrs,
                             SplitAttrs, SqueezeAttrs, StridedSliceAttrs, ShapeAttrs, LeakyReluAttrs,
                             ArgMinMaxAttrs, ResizeBilinearAttrs>;

struct Op {
  OpKind kind = OpKind::kAdd;
  int version = 1;
  std::vector<int> inputs;   // tensor ids; -1 marks an omitted optional input (e.g. FC without bias)
  std::vector<int> outputs;  // tensor ids
  OpAttrs attrs;
  int source_index = -1;     // position in the .tflite subgraph's operator list
};

struct Graph {
  std::vector<Tensor> tensors;
  std::vector<Op> ops;  // in execution order
  std::vector<int> inputs;
  std::vector<int> outputs;

  const Tensor& tensor(int id) const { return tensors.at(static_cast<size_t>(id)); }
  Tensor& tensor(int id) { return tensors.at(static_cast<size_t>(id)); }
  // Builders (used by the importer and by tests).
  int AddTensor(Tensor t);
  int AddActivation(DType dtype, std::vector<int32_t> shape, Quantization q, std::string name = "");
  int AddConstant(DType dtype, std::vector<int32_t> shape, Quantization q, std::vector<uint8_t> bytes,
                  std::string name = "");
  int AddOp(Op op);
};

// Picks the arithmetic for "auto": kTflm when the model's weights (the filters of conv, depthwise and
// fully-connected ops) are int8, kTflite when they are uint8 (TFLite Micro cannot run those).
Arith ChooseArith(const Graph& g);

// Little-endian byte helpers for building constant tensors.
std::vector<uint8_t> BytesOf(const std::vector<int8_t>& v);
std::vector<uint8_t> BytesOf(const std::vector<uint8_t>& v);
std::vector<uint8_t> BytesOf(const std::vector<int32_t>& v);

}  // namespace tinyfuse
