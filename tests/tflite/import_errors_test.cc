// One test per importer error. Broken files are made with the writer: a valid graph, then an edit of its
// RawModel (raw_model.h) or of the serialised bytes. Each test checks that the message is one line and
// names what is wrong (and where).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "common/error.h"
#include "graph/verifier.h"
#include "test_graphs.h"
#include "tflite/importer.h"
#include "tflite/raw_model.h"
#include "tflite/writer.h"

namespace tinyfuse {
namespace {

using ::testing::HasSubstr;
using namespace ::tinyfuse::testing;

void ExpectImportError(const std::vector<uint8_t>& bytes, std::initializer_list<const char*> fragments) {
  try {
    ImportTflite(bytes.data(), bytes.size());
    ADD_FAILURE() << "ImportTflite accepted the file; expected: " << *fragments.begin();
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    for (const char* f : fragments) EXPECT_THAT(msg, HasSubstr(f));
  }
}

void ExpectImportError(const RawModel& m, std::initializer_list<const char*> fragments) {
  ExpectImportError(WriteRawModel(m), fragments);
}

// Conv2DGraph: tensors w=0, b=1, x=2, y=3; one CONV_2D op.
RawModel ConvModel() { return RawModelFromGraph(Conv2DGraph()); }

// ------------------------------------------------------------------------------------------ the file

TEST(ImportErrors, FileTooSmall) {
  ExpectImportError(std::vector<uint8_t>{'T', 'F', 'L', '3'}, {"not a TFLite model", "4 bytes, too small"});
}

TEST(ImportErrors, TruncatedFile) {
  std::vector<uint8_t> bytes = WriteRawModel(ConvModel());
  bytes.resize(bytes.size() / 2);
  ExpectImportError(bytes, {"failed flatbuffer verification"});
}

TEST(ImportErrors, WrongIdentifier) {
  std::vector<uint8_t> bytes = WriteRawModel(ConvModel());
  std::memcpy(bytes.data() + 4, "TFL2", 4);
  ExpectImportError(bytes, {"not a TFLite model: file identifier is 'TFL2', expected 'TFL3'"});
  bytes[5] = 0;
  ExpectImportError(bytes, {"file identifier is 'T\\x00L2'"});
}

TEST(ImportErrors, CorruptRootOffset) {
  std::vector<uint8_t> bytes = WriteRawModel(ConvModel());
  bytes[2] = 0x7f;  // the root table offset now points far past the end
  ExpectImportError(bytes, {"failed flatbuffer verification"});
}

TEST(ImportErrors, CorruptVectorLength) {
  // The weights' buffer: find its bytes and overwrite the length word in front of them.
  const Graph g = Conv2DGraph();
  std::vector<uint8_t> bytes = WriteTflite(g);
  const std::vector<uint8_t>& w = g.tensors[0].data;
  auto it = std::search(bytes.begin(), bytes.end(), w.begin(), w.end());
  ASSERT_NE(it, bytes.end());
  const size_t at = static_cast<size_t>(it - bytes.begin()) - 4;
  uint32_t len;
  std::memcpy(&len, &bytes[at], 4);
  ASSERT_EQ(len, w.size());
  len = 0x10000000;
  std::memcpy(&bytes[at], &len, 4);
  ExpectImportError(bytes, {"failed flatbuffer verification"});
}

TEST(ImportErrors, SchemaVersion) {
  RawModel m = ConvModel();
  m.version = 2;
  ExpectImportError(m, {"model schema version 2 is unsupported (expected 3)"});
}

TEST(ImportErrors, SeveralSubgraphs) {
  RawModel m = ConvModel();
  m.subgraphs.push_back(m.subgraphs[0]);
  ExpectImportError(m, {"model has 2 subgraphs; only single-subgraph models are supported"});
}

TEST(ImportErrors, NoSubgraph) {
  RawModel m = ConvModel();
  m.subgraphs.clear();
  ExpectImportError(m, {"model has no subgraphs"});
}

TEST(ImportErrors, ExternalBuffer) {
  RawModel m = ConvModel();
  m.buffers[1].data.clear();
  m.buffers[1].offset = 4096;
  m.buffers[1].size = 216;
  ExpectImportError(m, {"buffer 1 stores its data outside the flatbuffer (offset 4096, size 216)",
                        "external buffers are unsupported"});
}

TEST(ImportErrors, ExternalTensorBuffer) {
  RawModel m = ConvModel();
  m.subgraphs[0].tensors[0].external_buffer = 2;
  ExpectImportError(m, {"tensor 0 'w' refers to external buffer 2"});
}

// ------------------------------------------------------------------------------------------ tensors

TEST(ImportErrors, BufferIndexOutOfRange) {
  RawModel m = ConvModel();
  m.subgraphs[0].tensors[0].buffer = 99;
  ExpectImportError(m, {"tensor 0 'w': buffer 99 out of range (model has 3 buffers)"});
}

TEST(ImportErrors, BufferSizeMismatch) {
  RawModel m = ConvModel();
  m.buffers[2].data.resize(10);  // the bias: int32[6] needs 24 bytes
  ExpectImportError(m, {"tensor 1 'b': buffer 2 holds 10 bytes but int32[6] needs 24"});
}

// float32 imports (a model's edges may be float), but an op computing in float is refused by name.
TEST(ImportErrors, Float32ActivationOfAComputeOp) {
  RawModel m = ConvModel();
  m.subgraphs[0].tensors[2].type = tfl_type::kFloat32;
  const std::vector<uint8_t> bytes = WriteRawModel(m);
  const Graph g = ImportTflite(bytes.data(), bytes.size());
  try {
    VerifyGraph(g);
    FAIL() << "VerifyGraph accepted a float32 CONV_2D input";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("op 0 (CONV_2D): input 0 (tensor 2 'x') is float32; float compute is unsupported"),
              std::string::npos)
        << e.what();
  }
}

TEST(ImportErrors, OtherUnsupportedTypes) {
  RawModel m = ConvModel();
  m.subgraphs[0].tensors[2].type = tfl_type::kComplex64;
  ExpectImportError(m, {"tensor 2 'x': type COMPLEX64 is unsupported"});
  m.subgraphs[0].tensors[2].type = 77;
  ExpectImportError(m, {"tensor 2 'x': type unknown type 77 is unsupported"});
}

TEST(ImportErrors, Int16ActivationImportsButDoesNotVerify) {
  RawModel m = ConvModel();
  m.subgraphs[0].tensors[2].type = tfl_type::kInt16;
  const std::vector<uint8_t> bytes = WriteRawModel(m);
  const Graph g = ImportTflite(bytes.data(), bytes.size());
  try {
    VerifyGraph(g);
    ADD_FAILURE() << "int16 activation verified";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("tensor 2 'x': int16 activations are unsupported"));
  }
}

TEST(ImportErrors, SparseTensor) {
  RawModel m = ConvModel();
  m.subgraphs[0].tensors[0].sparse = true;
  ExpectImportError(m, {"tensor 0 'w' is sparse; sparse tensors are unsupported"});
}

TEST(ImportErrors, VariableTensor) {
  RawModel m = ConvModel();
  m.subgraphs[0].tensors[3].is_variable = true;
  ExpectImportError(m, {"tensor 3 'y' is a variable tensor"});
}

TEST(ImportErrors, NegativeDimension) {
  RawModel m = ConvModel();
  m.subgraphs[0].tensors[2].shape = {1, -9, 9, 4};
  ExpectImportError(m, {"tensor 2 'x': negative dimension in shape [1,-9,9,4]"});
}

TEST(ImportErrors, HugeShapeOverflow) {
  RawModel m = ConvModel();
  m.subgraphs[0].tensors[2].shape = {2147483647, 2147483647, 2147483647, 2147483647};
  ExpectImportError(m, {"tensor 2 'x': shape [2147483647,2147483647,2147483647,2147483647] of int8 is too large"});
  m.subgraphs[0].tensors[2].shape = {1 << 16, 1 << 15};  // exactly 2^31 bytes: one too many
  ExpectImportError(m, {"tensor 2 'x'", "too large"});
}

TEST(ImportErrors, RankTooHigh) {
  RawModel m = ConvModel();
  m.subgraphs[0].tensors[2].shape = std::vector<int32_t>(9, 1);
  ExpectImportError(m, {"tensor 2 'x': rank 9 exceeds the maximum of 8"});
}

TEST(ImportErrors, PerChannelCountMismatch) {
  RawModel m = ConvModel();
  RawQuantization& q = *m.subgraphs[0].tensors[0].quantization;  // weights [6,3,3,4], axis 0
  q.scale.resize(4);
  q.zero_point.resize(4);
  ExpectImportError(m, {"tensor 0 'w': inconsistent quantization, 4 per-channel scales for dimension 0 of size 6"});
}

TEST(ImportErrors, ZeroPointCountMismatch) {
  RawModel m = ConvModel();
  m.subgraphs[0].tensors[0].quantization->zero_point.resize(2);
  ExpectImportError(m, {"tensor 0 'w': inconsistent quantization, 6 scales but 2 zero points"});
}

TEST(ImportErrors, QuantizedDimensionOutOfRange) {
  RawModel m = ConvModel();
  m.subgraphs[0].tensors[0].quantization->quantized_dimension = 4;
  ExpectImportError(m, {"tensor 0 'w': quantized_dimension 4 is out of range for rank 4"});
}

TEST(ImportErrors, CustomQuantizationDetails) {
  RawModel m = ConvModel();
  m.subgraphs[0].tensors[0].quantization->details_type = 1;
  ExpectImportError(m, {"tensor 0 'w': custom quantization details (type 1) are unsupported"});
}

// ---------------------------------------------------------------------------------------- operators

TEST(ImportErrors, UnsupportedOperator) {
  RawModel m = ConvModel();
  m.operator_codes[0].deprecated_builtin_code = 24;
  m.operator_codes[0].builtin_code = 24;
  ExpectImportError(m, {"op 0: unsupported operator RNN (code 24)"});
}

TEST(ImportErrors, UnsupportedExtendedOperator) {
  RawModel m = ConvModel();
  m.operator_codes[0].deprecated_builtin_code = tfl_op::kPlaceholderForGreaterOpCodes;
  m.operator_codes[0].builtin_code = 150;
  ExpectImportError(m, {"op 0: unsupported operator GELU (code 150)"});
  m.operator_codes[0].builtin_code = 999;
  ExpectImportError(m, {"op 0: unsupported operator unknown operator (code 999)"});
}

TEST(ImportErrors, CustomOperator) {
  RawModel m = ConvModel();
  m.operator_codes[0].deprecated_builtin_code = tfl_op::kCustom;
  m.operator_codes[0].builtin_code = tfl_op::kCustom;
  m.operator_codes[0].custom_code = "TFLite_Detection_PostProcess";
  ExpectImportError(m, {"op 0: custom operator 'TFLite_Detection_PostProcess' is unsupported"});
}

TEST(ImportErrors, UnsupportedVersion) {
  RawModel m = ConvModel();
  m.operator_codes[0].version = 99;
  ExpectImportError(m, {"op 0 (CONV_2D): version 99 is unsupported (tinyfuse handles up to version 8)"});
  m.operator_codes[0].version = 0;
  ExpectImportError(m, {"op 0 (CONV_2D): invalid version 0"});
}

TEST(ImportErrors, OperatorCodeIndexOutOfRange) {
  RawModel m = ConvModel();
  m.subgraphs[0].operators[0].opcode_index = 5;
  ExpectImportError(m, {"op 0: operator code index 5 out of range (model has 1 operator codes)"});
}

TEST(ImportErrors, TensorIndexOutOfRange) {
  RawModel m = ConvModel();
  m.subgraphs[0].operators[0].inputs[1] = 42;
  ExpectImportError(m, {"op 0 (CONV_2D): input 1 refers to tensor 42, out of range (subgraph has 4 tensors)"});
  m = ConvModel();
  m.subgraphs[0].operators[0].outputs[0] = -1;
  ExpectImportError(m, {"op 0 (CONV_2D): output 0 refers to tensor -1, out of range"});
  m = ConvModel();
  m.subgraphs[0].operators[0].inputs[2] = -2;
  ExpectImportError(m, {"op 0 (CONV_2D): input 2 refers to tensor -2, out of range"});
  m = ConvModel();
  m.subgraphs[0].outputs = {4};
  ExpectImportError(m, {"subgraph: output 0 refers to tensor 4, out of range"});
}

TEST(ImportErrors, UnsupportedActivation) {
  RawModel m = ConvModel();
  m.subgraphs[0].operators[0].options.activation = 4;
  ExpectImportError(m, {"op 0 (CONV_2D): fused activation TANH is unsupported"});
  m.subgraphs[0].operators[0].options.activation = 5;
  ExpectImportError(m, {"op 0 (CONV_2D): fused activation SIGN_BIT is unsupported"});
  m.subgraphs[0].operators[0].options.activation = 9;
  ExpectImportError(m, {"op 0 (CONV_2D): unknown fused activation 9"});
}

TEST(ImportErrors, UnknownPadding) {
  RawModel m = ConvModel();
  m.subgraphs[0].operators[0].options.padding = 2;
  ExpectImportError(m, {"op 0 (CONV_2D): unknown padding 2"});
}

TEST(ImportErrors, WrongOptionsTable) {
  RawModel m = ConvModel();
  m.subgraphs[0].operators[0].options.type = tfl_options::kPool2D;
  ExpectImportError(m, {"op 0 (CONV_2D): builtin options are Pool2DOptions (type 5), expected Conv2DOptions (type 1)"});
  m.subgraphs[0].operators[0].options.type = 16;  // CallOptions, not declared in our schema
  ExpectImportError(m, {"op 0 (CONV_2D): builtin options are options (type 16), expected Conv2DOptions (type 1)"});
}

TEST(ImportErrors, UnsupportedFullyConnectedOptions) {
  RawModel m = RawModelFromGraph(FullyConnectedGraph());
  m.subgraphs[0].operators[0].options.weights_format = 1;
  ExpectImportError(m, {"op 0 (FULLY_CONNECTED): weights_format 1 is unsupported (only DEFAULT)"});
  m = RawModelFromGraph(FullyConnectedGraph());
  m.subgraphs[0].operators[0].options.asymmetric_quantize_inputs = true;
  ExpectImportError(m, {"op 0 (FULLY_CONNECTED): asymmetric_quantize_inputs is unsupported"});
}

TEST(ImportErrors, UnsupportedBiasType) {
  RawModel m = ConvModel();
  m.subgraphs[0].operators[0].options.quantized_bias_type = tfl_type::kInt64;
  ExpectImportError(m, {"op 0 (CONV_2D): quantized_bias_type INT64 is unsupported"});
}

TEST(ImportErrors, MissingFile) {
  try {
    ImportTfliteFile("/nonexistent/dir/model.tflite");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot open model file '/nonexistent/dir/model.tflite'"));
  }
}

// ------------------------------------------------------------------------------------- robustness

// Every single-byte corruption of a small model either imports (and then verifies or not) or throws
// Error: never a crash, never another exception type. Run under TINYFUSE_SANITIZE to catch memory errors.
TEST(ImportErrors, EveryByteFlipIsHandled) {
  const std::vector<uint8_t> good = WriteTflite(ChainGraph());
  int imported = 0, rejected = 0;
  for (size_t i = 0; i < good.size(); ++i) {
    for (uint8_t mask : {0x01, 0x80, 0xff}) {
      std::vector<uint8_t> bytes = good;
      bytes[i] ^= mask;
      try {
        const Graph g = ImportTflite(bytes.data(), bytes.size());
        ++imported;
        try {
          VerifyGraph(g);
        } catch (const Error&) {
        }
      } catch (const Error&) {
        ++rejected;
      }
    }
  }
  EXPECT_GT(imported, 0);
  EXPECT_GT(rejected, 0);
}

}  // namespace
}  // namespace tinyfuse
