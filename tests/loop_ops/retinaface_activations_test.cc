// retinaface's LEAKY_RELU (38) and RELU (3) ops, each alone, with their exact quantization and alpha, on the
// golden input tensors of TFLite Micro (shared/breadth/goldens/retinaface/intermediates/in1): the
// interpreter and the generated C (one bundle of one-op models, written with writer.cc and imported back)
// must reproduce every golden output tensor byte for byte. The rest of retinaface (float edges,
// CONCATENATION, RESIZE_NEAREST_NEIGHBOR, ...) is not needed: the model is read as a RawModel.
// Skips loudly without the shared corpus (TINYFUSE_SHARED_DIR, else /work/shared).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "codegen/arena_layout.h"
#include "codegen/c_emitter.h"
#include "codegen/host_runner.h"
#include "interp/interpreter.h"
#include "loop/lower.h"
#include "test_models.h"
#include "tflite/importer.h"
#include "tflite/raw_model.h"
#include "tflite/writer.h"

namespace tinyfuse::loopops {
namespace {

namespace fs = std::filesystem;

fs::path BreadthDir() {
  const char* env = std::getenv("TINYFUSE_SHARED_DIR");
  fs::path shared = env != nullptr && *env != '\0' ? fs::path(env) : fs::path("/work/shared");
  return fs::exists(shared / "breadth" / "goldens") ? shared / "breadth" : fs::path();
}

std::vector<uint8_t> ReadFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

struct OneOp {
  int op_index;
  int input_tensor, output_tensor;  // retinaface tensor ids
  Graph graph;
};

// One-op graphs of every LEAKY_RELU and RELU of the raw model, each through writer.cc and the importer.
std::vector<OneOp> ActivationOps(const RawModel& m) {
  std::vector<OneOp> ops;
  const RawSubGraph& sg = m.subgraphs.at(0);
  for (size_t i = 0; i < sg.operators.size(); ++i) {
    const RawOperator& raw = sg.operators[i];
    const RawOperatorCode& code = m.operator_codes.at(raw.opcode_index);
    const int builtin = std::max(code.deprecated_builtin_code, static_cast<int>(code.builtin_code));
    const OpKind kind = builtin == OpBuiltinCode(OpKind::kLeakyRelu) ? OpKind::kLeakyRelu : OpKind::kRelu;
    if (builtin != OpBuiltinCode(OpKind::kLeakyRelu) && builtin != OpBuiltinCode(OpKind::kRelu)) continue;
    Graph g;
    auto tensor = [&](int32_t id) {
      const RawTensor& t = sg.tensors.at(static_cast<size_t>(id));
      EXPECT_EQ(t.type, tfl_type::kInt8) << "op " << i;
      return g.AddActivation(DType::kInt8, t.shape, Quantization{t.quantization->scale, t.quantization->zero_point, 0},
                             t.name);
    };
    const int in = tensor(raw.inputs.at(0));
    const int out = tensor(raw.outputs.at(0));
    Op op;
    op.kind = kind;
    op.version = code.version;
    op.inputs = {in};
    op.outputs = {out};
    if (kind == OpKind::kLeakyRelu) op.attrs = LeakyReluAttrs{raw.options.alpha};
    g.AddOp(op);
    g.inputs = {in};
    g.outputs = {out};
    const std::vector<uint8_t> file = WriteTflite(g);
    ops.push_back({static_cast<int>(i), raw.inputs[0], raw.outputs[0], ImportTflite(file.data(), file.size())});
  }
  return ops;
}

TEST(RetinafaceActivations, InterpreterAndGeneratedCMatchTheGoldens) {
  const fs::path dir = BreadthDir();
  if (dir.empty()) GTEST_SKIP() << "shared/breadth not found (set TINYFUSE_SHARED_DIR): retinaface NOT checked";
  const fs::path golden = dir / "goldens" / "retinaface" / "intermediates" / "in1";
  const std::vector<uint8_t> bytes = ReadFile(dir / "models" / "retinaface.tflite");
  const std::vector<OneOp> ops = ActivationOps(ReadRawModel(bytes.data(), bytes.size()));
  int leaky = 0, relu = 0;
  std::vector<Graph> parts;
  std::vector<std::vector<uint8_t>> inputs, wants;
  for (const OneOp& o : ops) {
    (o.graph.ops[0].kind == OpKind::kLeakyRelu ? leaky : relu)++;
    const std::vector<uint8_t> in = ReadFile(golden / ("t" + std::to_string(o.input_tensor) + ".bin"));
    const std::vector<uint8_t> want = ReadFile(golden / ("t" + std::to_string(o.output_tensor) + ".bin"));
    Interpreter interp(o.graph, Arith::kTflm);
    interp.SetInput(0, in);
    interp.Invoke();
    EXPECT_TRUE(interp.Output(0) == want) << "interpreter, retinaface op " << o.op_index;
    parts.push_back(o.graph);
    inputs.push_back(in);
    wants.push_back(want);
  }
  EXPECT_EQ(leaky, 38);
  EXPECT_EQ(relu, 3);
  const Graph bundle = testmodels::Bundle(parts);
  const loop::LoweredModel m = loop::LowerGraph(bundle, Arith::kTflm);
  const auto got = codegen::RunGeneratedC(codegen::EmitC(m, codegen::SequentialLayout(m), "rf"), inputs);
  ASSERT_EQ(got.size(), wants.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_TRUE(got[i] == wants[i]) << "generated C, retinaface op " << ops[i].op_index;
}

}  // namespace
}  // namespace tinyfuse::loopops
