// `tinyfuse demo`: the main job on the built-in model, no download needed. It writes the model as a
// .tflite, reads it back through the importer like any user model, and runs it.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "driver/demo_model.h"
#include "driver/io.h"
#include "driver/pipeline.h"
#include "graph/stats.h"
#include "tflite/writer.h"
#include "tools/commands.h"

namespace tinyfuse::cli {

namespace {

std::vector<uint8_t> DemoInput(int64_t size) {
  // A deterministic input: a smooth gradient with a little texture, in the uint8 activation range.
  std::vector<uint8_t> in(static_cast<size_t>(size));
  for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<uint8_t>((i * 7 + (i >> 7) * 3) % 251);
  return in;
}

void Demo(const std::string& dir) {
  std::filesystem::create_directories(dir);
  const std::string model_path = dir + "/demo.tflite";
  WriteTfliteFile(BuildDemoModel(), model_path);
  const Graph g = LoadModel(model_path);
  const GraphStats stats = ComputeStats(g);
  std::printf("tinyfuse demo: built-in MobileNet-v1-style model, first layer = the seed layer of TVM issue 8717\n");
  std::printf("  model: %s (%zu ops, %lld MACs, %lld weight bytes)\n", model_path.c_str(), g.ops.size(),
              static_cast<long long>(stats.total_macs), static_cast<long long>(stats.weight_bytes));
  const Arith arith = ChooseArith(g);
  std::printf("  arithmetic: %s (uint8 weights)\n", ArithName(arith));

  const std::vector<uint8_t> input = DemoInput(g.tensor(g.inputs[0]).byte_size());
  WriteFileAtomic(dir + "/input.bin", input);
  const auto out = RunInterpreter(g, arith, {input});
  WriteFileAtomic(dir + "/output.bin", out[0]);
  int best = 0;
  for (size_t i = 1; i < out[0].size(); ++i) {
    if (out[0][i] > out[0][static_cast<size_t>(best)]) best = static_cast<int>(i);
  }
  std::printf("  interpreter: class %d (probability %d/256) -> %s/output.bin\n", best,
              out[0][static_cast<size_t>(best)], dir.c_str());
}

}  // namespace

void RegisterDemo(CLI::App& app) {
  auto* cmd = app.add_subcommand("demo", "Compile and run the built-in model (the seed layer of TVM issue 8717)");
  static std::string dir = "demo-out";
  cmd->add_option("-o,--output-dir", dir, "where to write the model, its C code and its outputs");
  cmd->callback([] { Demo(dir); });
}

}  // namespace tinyfuse::cli
