// Writes the bad-model corpus: small .tflite files that tinyfuse must refuse with exit status 2 and one
// line on stderr, never a crash. Each is a valid test graph (tests/graph/test_graphs.h) broken in one
// way, through the writer's RawModel or the serialised bytes. Also writes expected.txt: one line per file,
// "NAME|TEXT" where TEXT must appear in the error message (empty: any one-line error will do).
//
//   make_bad_models DIR
//
// The files in tests/bad_models/files were made by this program; the build regenerates them too, and
// the tests run the CLI on both sets (see CMakeLists.txt).
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"
#include "graph/graph.h"
#include "graph/verifier.h"
#include "test_graphs.h"
#include "tflite/importer.h"
#include "tflite/raw_model.h"
#include "tflite/writer.h"

namespace tinyfuse {
namespace {

using namespace ::tinyfuse::testing;

constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();

struct BadModel {
  std::string name;
  std::vector<uint8_t> bytes;
  std::string expected;  // a fragment of the error message
};

// Conv2DGraph: tensors w=0, b=1, x=2, y=3; one CONV_2D op.
RawModel Conv() { return RawModelFromGraph(Conv2DGraph()); }
// AddGraph: tensors a=0, b=1, y=2; one ADD op.
RawModel Add() { return RawModelFromGraph(AddGraph()); }

std::vector<uint8_t> Bytes(const RawModel& m) { return WriteRawModel(m); }

// x [shape] -> ADD(x, x) -> y1 -> ADD(y1, y1) -> y2 ... : `n` activations of `shape`, int8.
Graph AddChain(const std::vector<int32_t>& shape, int n) {
  Graph g;
  int prev = g.AddActivation(DType::kInt8, shape, ActQuant(DType::kInt8), "x");
  g.inputs = {prev};
  for (int i = 1; i < n; ++i) {
    const int y = g.AddActivation(DType::kInt8, shape, ActQuant(DType::kInt8), "y" + std::to_string(i));
    Op op;
    op.kind = OpKind::kAdd;
    op.inputs = {prev, prev};
    op.outputs = {y};
    op.attrs = AddAttrs{};
    g.AddOp(std::move(op));
    prev = y;
  }
  g.outputs = {prev};
  return g;
}

// The check the CLI makes (LoadModel without the file system). Returns the error, or "" when accepted.
std::string Refusal(const std::vector<uint8_t>& bytes) {
  try {
    const Graph g = ImportTflite(bytes.data(), bytes.size());
    VerifyGraph(g);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::vector<BadModel> Build() {
  std::vector<BadModel> out;
  auto add = [&out](std::string name, std::vector<uint8_t> bytes, std::string expected) {
    out.push_back({std::move(name), std::move(bytes), std::move(expected)});
  };
  const std::vector<uint8_t> conv = Bytes(Conv());

  // ---------------------------------------------------------------------------------------- the file
  add("empty", {}, "too small");
  add("truncated_header", std::vector<uint8_t>(conv.begin(), conv.begin() + 6), "too small");
  add("truncated_half", std::vector<uint8_t>(conv.begin(), conv.begin() + static_cast<long>(conv.size() / 2)),
      "flatbuffer verification");
  add("truncated_tail", std::vector<uint8_t>(conv.begin(), conv.end() - 40), "flatbuffer verification");
  {
    std::vector<uint8_t> b = conv;
    std::memcpy(b.data() + 4, "TFL2", 4);
    add("wrong_identifier", b, "file identifier is 'TFL2'");
    const char text[] = "this is a text file, not a TFLite model\n";
    add("text_file", std::vector<uint8_t>(text, text + sizeof text - 1), "not a TFLite model");
  }
  {
    std::vector<uint8_t> b = conv;
    b[2] = 0x7f;  // the root table offset points far past the end
    add("corrupt_root_offset", b, "flatbuffer verification");
  }
  // Single bit flips (0x40) past the identifier, where vtables, vector lengths and the tables are:
  // bitflip_K is the first refused flip in the K-th 32-byte stretch of the first 256 bytes (many flips land
  // in padding or in values a valid model could hold, and those are skipped). Named by stretch, not by
  // position, so that the names stay when the writer's layout or the checks move a little.
  for (size_t start = 8, k = 0; start < std::min<size_t>(conv.size(), 256); start += 32, ++k) {
    for (size_t at = start; at < start + 32 && at < conv.size(); ++at) {
      std::vector<uint8_t> b = conv;
      b[at] ^= 0x40;
      if (Refusal(b).empty()) continue;
      add("bitflip_" + std::to_string(k), b, "");
      break;
    }
  }
  {
    RawModel m = Conv();
    m.version = 2;
    add("schema_version_2", Bytes(m), "schema version 2");
  }
  {
    RawModel m = Conv();
    m.subgraphs.push_back(m.subgraphs[0]);
    add("two_subgraphs", Bytes(m), "2 subgraphs");
    m.subgraphs.clear();
    add("no_subgraphs", Bytes(m), "no subgraphs");
  }
  {
    RawModel m = Conv();
    m.buffers[1].data.clear();
    m.buffers[1].offset = 4096;
    m.buffers[1].size = 216;
    add("external_buffer", Bytes(m), "external buffers are unsupported");
  }

  // ------------------------------------------------------------------------------------------ tensors
  {
    RawModel m = Conv();
    m.subgraphs[0].tensors[2].shape = {kInt32Max, kInt32Max, kInt32Max, kInt32Max};
    add("huge_dims", Bytes(m), "too large");
    m.subgraphs[0].tensors[2].shape = {65536, 65536, 65536, 65536};  // 2^64 elements: overflows int64 too
    add("overflow_dims", Bytes(m), "too large");
    m.subgraphs[0].tensors[2].shape = {1, -9, 9, 4};
    add("negative_dim", Bytes(m), "negative dimension");
    m.subgraphs[0].tensors[2].shape = {kInt32Max, -1, kInt32Max, -1};  // negative product would be "small"
    add("negative_dims_pair", Bytes(m), "tensor 2 'x'");               // refused as too large or as negative
    m.subgraphs[0].tensors[2].shape = std::vector<int32_t>(9, 1);
    add("rank_9", Bytes(m), "rank 9");
    // Names are the file's, and error messages quote them: a newline or a terminal escape in a name must
    // not break the one-line message (or the user's terminal).
    m = Conv();
    m.subgraphs[0].tensors[2].shape = {1, -9, 9, 4};
    m.subgraphs[0].tensors[2].name = "x\ntinyfuse: error: a second line";
    add("name_with_newline", Bytes(m), "negative dimension");
    m.subgraphs[0].tensors[2].name = "x\x1b[2J\x1b[31m\r";
    add("name_with_escapes", Bytes(m), "negative dimension");
    // UTF-8 for U+009B (a C1 control: CSI on some terminals) and U+202E (right-to-left override).
    m.subgraphs[0].tensors[2].name = "x\xc2\x9b" "2J\xe2\x80\xae";
    add("name_with_utf8_controls", Bytes(m), "'x\\xc2\\x9b2J\\xe2\\x80\\xae'");
    m.subgraphs[0].tensors[2].name = std::string(5000, 'n');  // quoted cut to its first 64 bytes
    add("name_very_long", Bytes(m), "'...(5000 bytes): negative dimension");
  }
  // Shapes that fit int32 but not a microcontroller, or this machine: refused by the resource limits
  // (importer.h) before anything is allocated. A valid graph otherwise.
  add("big_activation", WriteTflite(AddChain({1, 8192, 8192, 4}, 2)), "limit");
  add("big_total", WriteTflite(AddChain({1, 4096, 4096, 3}, 8)), "limit");  // 8 x 48 MiB
  {
    RawModel m = Conv();
    m.subgraphs[0].tensors[0].buffer = 99;
    add("buffer_out_of_range", Bytes(m), "buffer 99 out of range");
    m = Conv();
    m.buffers[2].data.resize(10);  // the bias: int32[6] needs 24 bytes
    add("buffer_size_mismatch", Bytes(m), "holds 10 bytes");
  }
  {
    RawModel m = Conv();
    for (RawTensor& t : m.subgraphs[0].tensors) t.type = tfl_type::kFloat32;
    add("float_model", Bytes(m), "but float32[6,3,3,4] needs 864");  // int8-sized buffers
    m = Conv();
    m.subgraphs[0].tensors[2].type = tfl_type::kFloat16;
    add("float16_input", Bytes(m), "FLOAT16 is unsupported");
  }
  {
    // float32 only at the edges (QUANTIZE in, DEQUANTIZE out): float weights and unquantized edges are refused.
    Graph g = Conv2DGraph();
    g.tensor(0).dtype = DType::kFloat32;
    g.tensor(0).data.resize(g.tensor(0).data.size() * 4);
    add("float_weights", WriteTflite(g), "float weights are unsupported");
    for (OpKind kind : {OpKind::kQuantize, OpKind::kDequantize}) {
      const bool quantize = kind == OpKind::kQuantize;
      Graph e;
      const int x = e.AddActivation(quantize ? DType::kFloat32 : DType::kInt8, {1, 8}, {}, "x");
      const int y = e.AddActivation(quantize ? DType::kInt8 : DType::kFloat32, {1, 8}, {}, "y");
      Op op;
      op.kind = kind;
      op.inputs = {x};
      op.outputs = {y};
      e.AddOp(op);
      e.inputs = {x};
      e.outputs = {y};
      add(quantize ? "quantize_float_unquantized" : "dequantize_unquantized", WriteTflite(e),
          "needs per-tensor quantization");
    }
  }
  {
    RawModel m = Add();
    for (RawTensor& t : m.subgraphs[0].tensors) t.type = tfl_type::kInt16;
    add("int16_activations", Bytes(m), "int16 activations are unsupported");
  }
  {
    RawModel m = Conv();
    m.subgraphs[0].tensors[0].sparse = true;
    add("sparse_tensor", Bytes(m), "sparse tensors are unsupported");
    m = Conv();
    m.subgraphs[0].tensors[3].is_variable = true;
    add("variable_tensor", Bytes(m), "variable tensors are unsupported");
  }
  {
    // A zero-size input: ADD of two [1,0,4] tensors has nothing to compute and no C array to hold it.
    add("zero_size_input", WriteTflite(AddGraph(DType::kInt8, {1, 0, 4}, {1, 0, 4})), "zero");
  }

  // ------------------------------------------------------------------------------------- quantization
  {
    RawModel m = Conv();
    m.subgraphs[0].tensors[2].quantization->scale = {0.0f};
    add("quant_zero_scale", Bytes(m), "not positive and finite");
    m.subgraphs[0].tensors[2].quantization->scale = {std::numeric_limits<float>::quiet_NaN()};
    add("quant_nan_scale", Bytes(m), "not positive and finite");
    m.subgraphs[0].tensors[2].quantization->scale = {-0.5f};
    add("quant_negative_scale", Bytes(m), "not positive and finite");
    m.subgraphs[0].tensors[2].quantization->scale = {std::numeric_limits<float>::infinity()};
    add("quant_inf_scale", Bytes(m), "not positive and finite");
    m = Conv();
    m.subgraphs[0].tensors[2].quantization->zero_point = {300};
    add("quant_zero_point_range", Bytes(m), "zero point 300 is outside the int8 range");
    m = Conv();
    m.subgraphs[0].tensors[0].quantization->zero_point.resize(2);
    add("quant_count_mismatch", Bytes(m), "inconsistent quantization");
    m = Conv();
    m.subgraphs[0].tensors[0].quantization->quantized_dimension = 7;
    add("quant_axis_out_of_range", Bytes(m), "quantized_dimension 7 is out of range");
    m = Conv();
    m.subgraphs[0].tensors[0].quantization->details_type = 1;
    add("quant_custom_details", Bytes(m), "custom quantization details");
    m = Conv();
    m.subgraphs[0].tensors[2].quantization.reset();
    add("quant_missing_on_activation", Bytes(m), "needs per-tensor quantization");
    m = Conv();
    m.subgraphs[0].tensors[2].quantization->scale = {0.5f, 0.5f, 0.5f, 0.5f};
    m.subgraphs[0].tensors[2].quantization->zero_point = {0, 0, 0, 0};
    m.subgraphs[0].tensors[2].quantization->quantized_dimension = 3;
    add("quant_per_channel_activation", Bytes(m), "needs per-tensor quantization");
    m = Conv();
    m.subgraphs[0].tensors[0].quantization->zero_point.assign(6, 3);
    add("quant_int8_weights_zero_point", Bytes(m), "int8 weights need zero point 0");
  }

  // ---------------------------------------------------------------------------------------- operators
  {
    RawModel m = Conv();
    m.operator_codes[0].deprecated_builtin_code = m.operator_codes[0].builtin_code = 15;  // LSH_PROJECTION
    add("unsupported_op", Bytes(m), "unsupported operator LSH_PROJECTION");
    m.operator_codes[0].deprecated_builtin_code = tfl_op::kPlaceholderForGreaterOpCodes;
    m.operator_codes[0].builtin_code = 999;
    add("unknown_op_code", Bytes(m), "unknown operator (code 999)");
    m.operator_codes[0].deprecated_builtin_code = m.operator_codes[0].builtin_code = tfl_op::kCustom;
    m.operator_codes[0].custom_code = "TFLite_Detection_PostProcess";
    add("custom_op", Bytes(m), "custom operator 'TFLite_Detection_PostProcess' is unsupported");
    m = Conv();
    m.operator_codes[0].version = 99;
    add("op_version_99", Bytes(m), "version 99 is unsupported");
    m = Conv();
    m.subgraphs[0].operators[0].opcode_index = 5;
    add("opcode_index_out_of_range", Bytes(m), "operator code index 5 out of range");
    m = Conv();
    m.subgraphs[0].operators[0].inputs[1] = 42;
    add("op_input_out_of_range", Bytes(m), "refers to tensor 42, out of range");
    m = Conv();
    m.subgraphs[0].outputs = {-7};
    add("graph_output_out_of_range", Bytes(m), "refers to tensor -7");
    m = Conv();
    m.subgraphs[0].operators[0].options.activation = 4;
    add("tanh_activation", Bytes(m), "fused activation TANH is unsupported");
    m = Conv();
    m.subgraphs[0].operators[0].options.stride_w = 0;
    add("conv_stride_0", Bytes(m), "stride, dilation and filter size must be at least 1");
    m = Conv();
    m.subgraphs[0].operators[0].options.dilation_h = 1 << 30;
    add("conv_dilation_huge", Bytes(m), "overflows int32");
    m = Conv();
    m.subgraphs[0].tensors[3].shape = {1, 9, 9, 5};
    add("conv_wrong_output_shape", Bytes(m), "differs from the expected");
    m = Conv();
    m.subgraphs[0].operators[0].inputs = {2};
    add("conv_missing_weights", Bytes(m), "1 inputs, expected 2 to 3");
    m = Conv();
    m.subgraphs[0].operators[0].inputs[0] = 3;  // reads its own output
    add("op_reads_its_output", Bytes(m), "is read before any op writes it");
    m = Conv();
    m.subgraphs[0].inputs = {0};  // the weights
    add("graph_input_is_constant", Bytes(m), "is a constant");
    m = Conv();
    m.subgraphs[0].outputs = {3, 1};  // the output and the bias
    add("graph_output_is_constant", Bytes(m), "graph output 1 tensor 1");
    m = Conv();
    m.subgraphs[0].outputs.clear();
    add("no_outputs", Bytes(m), "the graph has no outputs");
    m = Conv();
    m.subgraphs[0].inputs.clear();
    add("no_inputs", Bytes(m), "the graph has no inputs");
  }
  {
    Graph g = Pool2DGraph();
    auto& a = std::get<Pool2DAttrs>(g.ops[0].attrs);
    a.filter_h = a.filter_w = 65536;
    add("pool_window_huge", WriteTflite(g), "exceeds 2^23");
  }
  {
    Graph g = PadGraph();
    g.tensors[0].data = BytesOf(std::vector<int32_t>{0, 0, -1, 2, 0, 1, 0, 0});
    add("pad_negative", WriteTflite(g), "are negative");
    g = TransposeGraph();
    g.tensors[0].data = BytesOf(std::vector<int32_t>{0, 3, 3, 2});
    add("transpose_not_a_permutation", WriteTflite(g), "is not a permutation");
    g = ConcatenationGraph();
    std::get<ConcatenationAttrs>(g.ops[0].attrs).axis = 3;
    add("concatenation_axis_out_of_range", WriteTflite(g), "axis 3 is out of range for rank 3");
    g = StridedSliceGraph();
    std::get<StridedSliceAttrs>(g.ops[0].attrs).ellipsis_mask = 2;
    add("strided_slice_ellipsis", WriteTflite(g), "ellipsis_mask is unsupported");
    g = StridedSliceGraph();
    g.tensors[2].data = BytesOf(std::vector<int32_t>{1, 0, 0});  // strides
    add("strided_slice_zero_stride", WriteTflite(g), "stride on axis 1 is 0");
    g = StridedSliceGraph();
    g.tensors[4].shape = {3, 5};
    add("strided_slice_output_shape", WriteTflite(g), "output 0 has shape [3,5], expected [3,4]");
    g = MeanGraph();
    g.tensors[0].data = BytesOf(std::vector<int32_t>{1, 9});
    add("mean_axis_out_of_range", WriteTflite(g), "axis 9 is out of range");
    g = SoftmaxGraph();
    g.tensors[1].quant = ActQuant(DType::kInt8);
    add("softmax_output_quantization", WriteTflite(g), "output quantization must be scale 1/256");
    g = FullyConnectedGraph();
    g.tensors[2].shape = {2, 3, 5};  // 30 input elements, weights depth 12
    add("fc_depth_mismatch", WriteTflite(g), "not a multiple of the weights' depth");
  }
  return out;
}

}  // namespace
}  // namespace tinyfuse

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_bad_models DIR\n");
    return 2;
  }
  const std::filesystem::path dir(argv[1]);
  std::filesystem::create_directories(dir);
  std::ofstream manifest(dir / "expected.txt");
  for (const tinyfuse::BadModel& m : tinyfuse::Build()) {
    std::ofstream f(dir / (m.name + ".tflite"), std::ios::binary);
    f.write(reinterpret_cast<const char*>(m.bytes.data()), static_cast<std::streamsize>(m.bytes.size()));
    manifest << m.name << "|" << m.expected << "\n";
    const std::string why = tinyfuse::Refusal(m.bytes);
    if (why.empty()) {
      // Not fatal: the CLI tests report it by name; a generator that refused to write it would hide it.
      std::fprintf(stderr, "make_bad_models: note: %s is accepted by ImportTflite + VerifyGraph\n", m.name.c_str());
    } else if (why.find(m.expected) == std::string::npos) {
      std::fprintf(stderr, "make_bad_models: note: %s: message '%s' lacks '%s'\n", m.name.c_str(), why.c_str(),
                   m.expected.c_str());
    }
  }
  return 0;
}
