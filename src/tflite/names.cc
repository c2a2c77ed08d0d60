#include "tflite/names.h"

#include <iterator>

#include "tflite/raw_model.h"

namespace tinyfuse {

namespace {

// BuiltinOperator names indexed by code, 0 .. 161 (the operators before the StableHLO block).
// clang-format off
constexpr const char* kBuiltinNames[] = {
    "ADD", "AVERAGE_POOL_2D", "CONCATENATION", "CONV_2D", "DEPTHWISE_CONV_2D", "DEPTH_TO_SPACE", "DEQUANTIZE",
    "EMBEDDING_LOOKUP", "FLOOR", "FULLY_CONNECTED", "HASHTABLE_LOOKUP", "L2_NORMALIZATION", "L2_POOL_2D",
    "LOCAL_RESPONSE_NORMALIZATION", "LOGISTIC", "LSH_PROJECTION", "LSTM", "MAX_POOL_2D", "MUL", "RELU",
    "RELU_N1_TO_1", "RELU6", "RESHAPE", "RESIZE_BILINEAR", "RNN", "SOFTMAX", "SPACE_TO_DEPTH", "SVDF", "TANH",
    "CONCAT_EMBEDDINGS", "SKIP_GRAM", "CALL", "CUSTOM", "EMBEDDING_LOOKUP_SPARSE", "PAD",
    "UNIDIRECTIONAL_SEQUENCE_RNN", "GATHER", "BATCH_TO_SPACE_ND", "SPACE_TO_BATCH_ND", "TRANSPOSE", "MEAN",
    "SUB", "DIV", "SQUEEZE", "UNIDIRECTIONAL_SEQUENCE_LSTM", "STRIDED_SLICE", "BIDIRECTIONAL_SEQUENCE_RNN",
    "EXP", "TOPK_V2", "SPLIT", "LOG_SOFTMAX", "DELEGATE", "BIDIRECTIONAL_SEQUENCE_LSTM", "CAST", "PRELU",
    "MAXIMUM", "ARG_MAX", "MINIMUM", "LESS", "NEG", "PADV2", "GREATER", "GREATER_EQUAL", "LESS_EQUAL", "SELECT",
    "SLICE", "SIN", "TRANSPOSE_CONV", "SPARSE_TO_DENSE", "TILE", "EXPAND_DIMS", "EQUAL", "NOT_EQUAL", "LOG",
    "SUM", "SQRT", "RSQRT", "SHAPE", "POW", "ARG_MIN", "FAKE_QUANT", "REDUCE_PROD", "REDUCE_MAX", "PACK",
    "LOGICAL_OR", "ONE_HOT", "LOGICAL_AND", "LOGICAL_NOT", "UNPACK", "REDUCE_MIN", "FLOOR_DIV", "REDUCE_ANY",
    "SQUARE", "ZEROS_LIKE", "FILL", "FLOOR_MOD", "RANGE", "RESIZE_NEAREST_NEIGHBOR", "LEAKY_RELU",
    "SQUARED_DIFFERENCE", "MIRROR_PAD", "ABS", "SPLIT_V", "UNIQUE", "CEIL", "REVERSE_V2", "ADD_N", "GATHER_ND",
    "COS", "WHERE", "RANK", "ELU", "REVERSE_SEQUENCE", "MATRIX_DIAG", "QUANTIZE", "MATRIX_SET_DIAG", "ROUND",
    "HARD_SWISH", "IF", "WHILE", "NON_MAX_SUPPRESSION_V4", "NON_MAX_SUPPRESSION_V5", "SCATTER_ND", "SELECT_V2",
    "DENSIFY", "SEGMENT_SUM", "BATCH_MATMUL", "PLACEHOLDER_FOR_GREATER_OP_CODES", "CUMSUM", "CALL_ONCE",
    "BROADCAST_TO", "RFFT2D", "CONV_3D", "IMAG", "REAL", "COMPLEX_ABS", "HASHTABLE", "HASHTABLE_FIND",
    "HASHTABLE_IMPORT", "HASHTABLE_SIZE", "REDUCE_ALL", "CONV_3D_TRANSPOSE", "VAR_HANDLE", "READ_VARIABLE",
    "ASSIGN_VARIABLE", "BROADCAST_ARGS", "RANDOM_STANDARD_NORMAL", "BUCKETIZE", "RANDOM_UNIFORM", "MULTINOMIAL",
    "GELU", "DYNAMIC_UPDATE_SLICE", "RELU_0_TO_1", "UNSORTED_SEGMENT_PROD", "UNSORTED_SEGMENT_MAX",
    "UNSORTED_SEGMENT_SUM", "ATAN2", "UNSORTED_SEGMENT_MIN", "SIGN", "BITCAST", "BITWISE_XOR", "RIGHT_SHIFT",
};
// clang-format on
static_assert(std::size(kBuiltinNames) == 162, "one name per code 0..161");

}  // namespace

const char* BuiltinOperatorName(int code) {
  if (code < 0 || code >= static_cast<int>(std::size(kBuiltinNames))) return nullptr;
  return kBuiltinNames[code];
}

std::string DescribeBuiltinOperator(int code) {
  const char* name = BuiltinOperatorName(code);
  const std::string number = "(code " + std::to_string(code) + ")";
  return name != nullptr ? std::string(name) + " " + number : "unknown operator " + number;
}

const char* TensorTypeName(int type) {
  static constexpr const char* kNames[] = {
      "FLOAT32",   "FLOAT16", "INT32",    "UINT8",      "INT64",  "STRING",        "BOOL",       "INT16",
      "COMPLEX64", "INT8",    "FLOAT64",  "COMPLEX128", "UINT64", "RESOURCE",      "VARIANT",    "UINT32",
      "UINT16",    "INT4",    "BFLOAT16", "INT2",       "UINT4",  "FLOAT8_E4M3FN", "FLOAT8_E5M2"};
  if (type < 0 || type >= static_cast<int>(std::size(kNames))) return nullptr;
  return kNames[type];
}

std::string DescribeTensorType(int type) {
  const char* name = TensorTypeName(type);
  return name != nullptr ? std::string(name) : "unknown type " + std::to_string(type);
}

const char* BuiltinOptionsName(int type) {
  switch (type) {
    case tfl_options::kNone:
      return "no options";
    case tfl_options::kConv2D:
      return "Conv2DOptions";
    case tfl_options::kDepthwiseConv2D:
      return "DepthwiseConv2DOptions";
    case tfl_options::kPool2D:
      return "Pool2DOptions";
    case tfl_options::kFullyConnected:
      return "FullyConnectedOptions";
    case tfl_options::kSoftmax:
      return "SoftmaxOptions";
    case tfl_options::kAdd:
      return "AddOptions";
    case tfl_options::kReshape:
      return "ReshapeOptions";
    case tfl_options::kPad:
      return "PadOptions";
    case tfl_options::kTranspose:
      return "TransposeOptions";
    case tfl_options::kReducer:
      return "ReducerOptions";
    case tfl_options::kArgMax:
      return "ArgMaxOptions";
    case tfl_options::kArgMin:
      return "ArgMinOptions";
    case tfl_options::kResizeNearestNeighbor:
      return "ResizeNearestNeighborOptions";
    case tfl_options::kResizeBilinear:
      return "ResizeBilinearOptions";
    case tfl_options::kQuantize:
      return "QuantizeOptions";
    case tfl_options::kDequantize:
      return "DequantizeOptions";
    case tfl_options::kConcatenation:
      return "ConcatenationOptions";
    case tfl_options::kSqueeze:
      return "SqueezeOptions";
    case tfl_options::kStridedSlice:
      return "StridedSliceOptions";
    case tfl_options::kSplit:
      return "SplitOptions";
    case tfl_options::kSlice:
      return "SliceOptions";
    case tfl_options::kExpandDims:
      return "ExpandDimsOptions";
    case tfl_options::kShape:
      return "ShapeOptions";
    case tfl_options::kPack:
      return "PackOptions";
    case tfl_options::kMul:
      return "MulOptions";
    case tfl_options::kSub:
      return "SubOptions";
    case tfl_options::kMaximumMinimum:
      return "MaximumMinimumOptions";
    case tfl_options::kLeakyRelu:
      return "LeakyReluOptions";
    case tfl_options::kSquaredDifference:
      return "SquaredDifferenceOptions";
    case tfl_options::kHardSwish:
      return "HardSwishOptions";
    default:
      return nullptr;
  }
}

std::string DescribeBuiltinOptions(int type) {
  const char* name = BuiltinOptionsName(type);
  const std::string number = "(type " + std::to_string(type) + ")";
  return name != nullptr ? std::string(name) + " " + number : "options " + number;
}

const char* ActivationFunctionName(int activation) {
  static constexpr const char* kNames[] = {"NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT"};
  if (activation < 0 || activation >= static_cast<int>(std::size(kNames))) return nullptr;
  return kNames[activation];
}

}  // namespace tinyfuse
