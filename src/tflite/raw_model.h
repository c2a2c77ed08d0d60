// A plain C++ mirror of the part of a .tflite file that tinyfuse reads: the tables of tflite/schema.fbs as
// structs holding raw values (enum numbers, buffer indices), with no meaning attached yet.
//
//   ReadRawModel   bytes -> RawModel. Checks the size and the file identifier, runs the flatbuffers
//                  verifier over the whole file, and only then copies the tables out.
//   WriteRawModel  RawModel -> bytes, a valid flatbuffer with identifier "TFL3".
//
// The importer (importer.h) gives a RawModel its meaning as a Graph; the writer (writer.h) builds one from
// a Graph. Tests and fuzzers edit a RawModel to produce deliberately broken files (an unknown operator, a
// float tensor, a second subgraph, an external buffer) without touching flatbuffers themselves.
// This file pair is, with schema.fbs, the only code in tinyfuse that knows the flatbuffers API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tinyfuse {

// Upstream TensorType values (the subset that has a name in our schema; files may hold others).
namespace tfl_type {
constexpr int kFloat32 = 0, kFloat16 = 1, kInt32 = 2, kUInt8 = 3, kInt64 = 4, kString = 5, kBool = 6, kInt16 = 7,
              kComplex64 = 8, kInt8 = 9, kFloat64 = 10;
}  // namespace tfl_type

// Upstream BuiltinOptions union type indices of the option tables we declare (0 = no options).
namespace tfl_options {
constexpr int kNone = 0, kConv2D = 1, kDepthwiseConv2D = 2, kPool2D = 5, kFullyConnected = 8, kSoftmax = 9, kAdd = 11,
              kReshape = 17, kPad = 22, kTranspose = 26, kReducer = 27, kDequantize = 38, kQuantize = 89, kConcatenation = 10,
              kSqueeze = 30, kStridedSlice = 32, kSplit = 35, kSlice = 48, kExpandDims = 52, kShape = 55,
              kPack = 59, kMul = 21, kSub = 28, kMaximumMinimum = 39, kLeakyRelu = 75, kSquaredDifference = 76,
              kHardSwish = 91, kResizeBilinear = 15, kArgMax = 40, kArgMin = 57,
              kResizeNearestNeighbor = 74;
}  // namespace tfl_options

// Upstream BuiltinOperator values with a special role in the operator-code table.
namespace tfl_op {
constexpr int kCustom = 32;
constexpr int kPlaceholderForGreaterOpCodes = 127;
}  // namespace tfl_op

struct RawQuantization {
  std::vector<float> min, max;
  std::vector<float> scale;
  std::vector<int64_t> zero_point;
  int details_type = 0;  // QuantizationDetails union type; nonzero = custom/blockwise quantization
  int32_t quantized_dimension = 0;
};

struct RawTensor {
  std::vector<int32_t> shape;
  int type = tfl_type::kFloat32;  // TensorType
  uint32_t buffer = 0;
  std::string name;
  std::optional<RawQuantization> quantization;
  bool is_variable = false;
  bool sparse = false;  // a SparsityParameters table is present
  std::vector<int32_t> shape_signature;
  bool has_rank = false;
  uint32_t external_buffer = 0;
};

struct RawBuffer {
  std::vector<uint8_t> data;
  uint64_t offset = 0;  // > 1: the data lives outside the flatbuffer
  uint64_t size = 0;
};

struct RawOperatorCode {
  int deprecated_builtin_code = 0;  // int8 in the file
  std::string custom_code;
  int32_t version = 1;
  int32_t builtin_code = 0;
};

// The option tables of the operators we support, flattened into one struct. `type` says which table is
// (or is to be) present; the other fields hold that table's values. Defaults are the schema's defaults, so
// a missing table reads exactly like an empty one. WriteRawModel writes an EMPTY table for a `type` it has
// no declaration for (useful to fake an operator with foreign options).
struct RawOptions {
  int type = tfl_options::kNone;
  int padding = 0;  // Padding: 0 SAME, 1 VALID
  int32_t stride_w = 0, stride_h = 0;
  int32_t dilation_w = 1, dilation_h = 1;
  int32_t depth_multiplier = 0;
  int32_t filter_w = 0, filter_h = 0;
  int activation = 0;           // ActivationFunctionType
  int quantized_bias_type = 0;  // TensorType; 0 = not set
  int weights_format = 0;       // FullyConnectedOptionsWeightsFormat
  bool keep_num_dims = false;
  bool asymmetric_quantize_inputs = false;
  float beta = 0.0f;
  bool pot_scale_int16 = true;
  std::vector<int32_t> new_shape;
  bool keep_dims = false;
  int32_t axis = 0;          // ConcatenationOptions, PackOptions
  int32_t values_count = 0;  // PackOptions
  int32_t num_splits = 0;    // SplitOptions
  int32_t begin_mask = 0, end_mask = 0, ellipsis_mask = 0, new_axis_mask = 0, shrink_axis_mask = 0;
  bool offset = false;                // StridedSliceOptions
  std::vector<int32_t> squeeze_dims;  // SqueezeOptions
  int out_type = 0;                   // ShapeOptions: TensorType (0 = not set, read as int32)
  float alpha = 0.0f;  // LeakyReluOptions
  int output_type = 0;  // ArgMaxOptions/ArgMinOptions: TensorType of the indices (0 = FLOAT32, the default)
  bool align_corners = false;       // ResizeBilinearOptions, ResizeNearestNeighborOptions
  bool half_pixel_centers = false;  // ResizeBilinearOptions, ResizeNearestNeighborOptions
};

struct RawOperator {
  uint32_t opcode_index = 0;
  std::vector<int32_t> inputs;
  std::vector<int32_t> outputs;
  RawOptions options;
  std::vector<uint8_t> custom_options;
  std::vector<int32_t> intermediates;
  uint64_t large_custom_options_offset = 0;
  uint64_t large_custom_options_size = 0;
};

struct RawSubGraph {
  std::vector<RawTensor> tensors;
  std::vector<int32_t> inputs;
  std::vector<int32_t> outputs;
  std::vector<RawOperator> operators;
  std::string name;
};

struct RawModel {
  uint32_t version = 3;
  std::vector<RawOperatorCode> operator_codes;
  std::vector<RawSubGraph> subgraphs;
  std::string description;
  std::vector<RawBuffer> buffers;
};

// Throws Error naming the problem: too small, wrong identifier, or failed flatbuffers verification.
RawModel ReadRawModel(const uint8_t* data, size_t size);

// Throws Error only for values the format cannot hold (e.g. an options type above 255).
std::vector<uint8_t> WriteRawModel(const RawModel& model);

}  // namespace tinyfuse
