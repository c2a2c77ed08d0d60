#include <string>
#include <vector>

#include "common/error.h"
#include "driver/io.h"
#include "driver/pipeline.h"
#include "tools/commands.h"

namespace tinyfuse::cli {

void RegisterRun(CLI::App& app) {
  auto* cmd = app.add_subcommand("run", "Run a model on raw input bytes and write raw output bytes");
  static std::string model, engine = "interp", arith = "auto";
  static std::vector<std::string> inputs, outputs;
  cmd->add_option("model", model, "the .tflite file")->required();
  cmd->add_option("--input,-i", inputs, "raw bytes of input tensor k, one flag per input, in order")->required();
  cmd->add_option("--output,-o", outputs, "where to write output tensor k, one flag per output, in order")
      ->required();
  cmd->add_option("--engine", engine, "interp (reference interpreter)")->check(CLI::IsMember({"interp"}));
  cmd->add_option("--arith", arith, "tflm | tflite | auto (int8 weights: tflm; uint8 weights: tflite)");
  cmd->callback([] {
    const Graph g = LoadModel(model);
    const Arith a = ResolveArith(g, ParseArith(arith));
    Check(outputs.size() == g.outputs.size(), "the model has " + std::to_string(g.outputs.size()) +
                                                  " output(s), " + std::to_string(outputs.size()) + " --output given");
    std::vector<std::vector<uint8_t>> in;
    for (const auto& path : inputs) in.push_back(ReadFileBytes(path));
    const auto out = RunInterpreter(g, a, in);
    for (size_t i = 0; i < out.size(); ++i) WriteFileAtomic(outputs[i], out[i]);
  });
}

}  // namespace tinyfuse::cli
