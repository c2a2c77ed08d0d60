// `tinyfuse demo`: the main job on the built-in model, no download needed. It writes the model as a
// .tflite, reads it back through the importer like any user model, and runs it.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "codegen/c_emitter.h"
#include "codegen/host_runner.h"
#include "common/error.h"
#include "driver/compile.h"
#include "driver/demo_model.h"
#include "loop/lower.h"
#include "memory/plan_svg.h"
#include "driver/io.h"
#include "driver/pipeline.h"
#include "graph/stats.h"
#include "tflite/writer.h"
#include "tools/commands.h"
#include "tools/output_files.h"

namespace tinyfuse::cli {

namespace {

std::vector<uint8_t> DemoInput(int64_t size) {
  // A deterministic input: a smooth gradient with a little texture, in the uint8 activation range.
  std::vector<uint8_t> in(static_cast<size_t>(size));
  for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<uint8_t>((i * 7 + (i >> 7) * 3) % 251);
  return in;
}

// Every file goes to a staging directory first and into `dir` at the end (tools/output_files.h).
void Demo(const std::string& dir) {
  OutputFiles files;
  files.MakeDir(dir);
  const std::string model_path = dir + "/demo.tflite";
  const std::string staged_model = files.Stage(model_path);
  WriteTfliteFile(BuildDemoModel(), staged_model);
  const Graph g = LoadModel(staged_model);
  const GraphStats stats = ComputeStats(g);
  std::printf("tinyfuse demo: built-in MobileNet-v1-style model, first layer = the seed layer of TVM issue 8717\n");
  std::printf("  model: %s (%zu ops, %lld MACs, %lld weight bytes)\n", model_path.c_str(), g.ops.size(),
              static_cast<long long>(stats.total_macs), static_cast<long long>(stats.weight_bytes));
  const Arith arith = ChooseArith(g);
  std::printf("  arithmetic: %s (uint8 weights)\n", ArithName(arith));

  // 1. The seed layer alone, as TVM saw it: one loop nest, nothing between input and output.
  const Graph seed = BuildSeedLayer();
  const loop::LoweredModel seed_lowered = loop::LowerGraph(seed, arith);
  const loop::Kernel& k = seed_lowered.kernels.at(0);
  std::printf("\n== the seed layer (uint8 1x56x56x128, 3x3 depthwise, SAME, RELU6) lowered by tinyfuse ==\n%s\n",
              loop::PrintKernel(k).c_str());
  const int64_t io_bytes = seed.tensor(seed.inputs[0]).byte_size() + seed.tensor(seed.outputs[0]).byte_size();
  constexpr int64_t kTvmScratch = 430592 * 2 + 401408 * 4;  // PaddedInput int16 + DepthwiseConv2d int32
  std::printf("seed layer: %zu kernel, workspace %lld bytes beyond its input and output (%lld bytes);\n"
              "            TVM (issue 8717) allocated %lld bytes of scratch for the same layer\n",
              seed_lowered.kernels.size(), static_cast<long long>(k.workspace_bytes),
              static_cast<long long>(io_bytes), static_cast<long long>(kTvmScratch));

  // 2. The whole model: compile, plan, emit C.
  CompileOptions options;
  options.prefix = "demo_model";
  const CompiledModel m = Compile(g, options);
  files.Stage(dir + "/demo_model.h");
  codegen::WriteGeneratedC(m.c, std::filesystem::path(files.Stage(dir + "/demo_model.c")).parent_path().string());
  memory::SvgOptions svg;
  svg.title = "tinyfuse demo model";
  WriteFileAtomic(files.Stage(dir + "/demo_model_plan.svg"), memory::PlanSvg(m.schedule, m.plan, svg));
  std::printf("\n== the whole model ==\n%zu ops -> %zu fused kernels:\n", g.ops.size(), m.lowered.kernels.size());
  for (const loop::Kernel& kern : m.lowered.kernels) {
    std::printf("  %-28s %-60s workspace %lld bytes\n", kern.func.name.c_str(), kern.group.c_str(),
                static_cast<long long>(kern.workspace_bytes));
  }
  std::printf("arena: %lld bytes (planner %s), floor %lld bytes, lower bound %lld bytes\n",
              static_cast<long long>(m.plan.total), memory::PlannerKindName(m.plan.planner),
              static_cast<long long>(m.plan.floor_bytes), static_cast<long long>(m.plan.bound_bytes));
  std::printf("wrote %s/demo_model.c, %s/demo_model.h, %s/demo_model_plan.svg\n", dir.c_str(), dir.c_str(),
              dir.c_str());

  // 3. Run it: the reference interpreter and the generated C must agree byte for byte.
  const std::vector<uint8_t> input = DemoInput(g.tensor(g.inputs[0]).byte_size());
  WriteFileAtomic(files.Stage(dir + "/input.bin"), input);
  const auto out = RunInterpreter(g, arith, {input});
  WriteFileAtomic(files.Stage(dir + "/output.bin"), out[0]);
  const auto c_out = codegen::RunGeneratedC(m.c, {input});
  Check(c_out == out, "demo: the generated C and the interpreter disagree (a bug: please report it)");
  files.Commit();
  std::printf("generated C (host cc -O2) and interpreter outputs: identical (%zu bytes)\n", out[0].size());
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
