#include "driver/pipeline.h"

#include "common/error.h"
#include "common/text.h"
#include "driver/io.h"
#include "graph/verifier.h"
#include "interp/fold_constants.h"
#include "interp/interpreter.h"
#include "tflite/importer.h"

namespace tinyfuse {

Graph LoadModel(const std::string& path, const ImportLimits& limits) {
  const std::vector<uint8_t> bytes = ReadFileBytes(path);
  Graph g = ImportTflite(bytes.data(), bytes.size(), limits);
  VerifyGraph(g);
  FoldConstants(g);
  return g;
}

std::optional<Arith> ParseArith(const std::string& name) {
  if (name == "tflm") return Arith::kTflm;
  if (name == "tflite") return Arith::kTflite;
  if (name == "auto") return std::nullopt;
  throw Error("--arith must be tflm, tflite or auto, not '" + name + "'");
}

Arith ResolveArith(const Graph& g, std::optional<Arith> forced) { return forced ? *forced : ChooseArith(g); }

void CheckInputs(const Graph& g, const std::vector<std::vector<uint8_t>>& inputs) {
  Check(inputs.size() == g.inputs.size(), "the model has " + std::to_string(g.inputs.size()) + " input(s), " +
                                              std::to_string(inputs.size()) + " given");
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& t = g.tensor(g.inputs[i]);
    Check(static_cast<int64_t>(inputs[i].size()) == t.byte_size(),
          "input " + std::to_string(i) + " (" + QuoteName(t.name) + ", " + DTypeName(t.dtype) + ") needs " +
              std::to_string(t.byte_size()) + " bytes, the file has " + std::to_string(inputs[i].size()));
  }
}

std::vector<std::vector<uint8_t>> RunInterpreter(const Graph& g, Arith arith,
                                                 const std::vector<std::vector<uint8_t>>& inputs) {
  CheckInputs(g, inputs);
  Interpreter interp(g, arith);
  for (size_t i = 0; i < inputs.size(); ++i) interp.SetInput(static_cast<int>(i), inputs[i]);
  interp.Invoke();
  std::vector<std::vector<uint8_t>> out;
  for (size_t i = 0; i < g.outputs.size(); ++i) out.push_back(interp.Output(static_cast<int>(i)));
  return out;
}

}  // namespace tinyfuse
