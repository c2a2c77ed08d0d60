#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "codegen/host_runner.h"
#include "common/error.h"
#include "driver/compile.h"
#include "driver/cortex_m.h"
#include "driver/io.h"
#include "driver/pipeline.h"
#include "tools/commands.h"
#include "tools/options.h"

namespace tinyfuse::cli {

namespace {

// Compiles the model to C in a fresh temporary directory, runs it on an emulated Cortex-M, and reports
// instructions, flash and RAM on stderr (stdout stays free for the user's pipeline).
std::vector<std::vector<uint8_t>> RunCortexM(const CompiledModel& m, const std::string& cpu,
                                             const std::vector<std::vector<uint8_t>>& in, const std::string& flash,
                                             const std::string& ram) {
  std::string why;
  Check(CortexMToolchainAvailable(&why), "--engine " + cpu + " needs the Arm toolchain and QEMU: " + why);
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("tinyfuse-run-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  struct Cleanup {
    std::filesystem::path p;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(p, ec);
    }
  } cleanup{dir};
  codegen::WriteGeneratedC(m.c, dir.string());
  CortexMOptions o;
  o.cpu = cpu;
  if (!flash.empty()) o.flash_size = ParseMemorySize(flash);
  if (!ram.empty()) o.ram_size = ParseMemorySize(ram);
  const CortexMResult r = RunOnCortexM(dir.string(), m.c.prefix, in, o);
  std::fprintf(stderr, "%s: %llu instructions per inference, flash %lld bytes, RAM %lld bytes (arena %lld, stack %lld)\n",
               cpu.c_str(), static_cast<unsigned long long>(r.instructions), static_cast<long long>(r.flash_bytes),
               static_cast<long long>(r.ram_bytes), static_cast<long long>(r.arena_bytes),
               static_cast<long long>(r.stack_bytes));
  return r.outputs;
}

}  // namespace

void RegisterRun(CLI::App& app) {
  auto* cmd = app.add_subcommand("run", "Run a model on raw input bytes and write raw output bytes");
  static std::string model, engine = "interp", flash, ram;
  static std::vector<std::string> inputs, outputs;
  static CompileFlags flags;
  cmd->add_option("model", model, "the .tflite file")->required();
  cmd->add_option("--input,-i", inputs, "raw bytes of input tensor k, one flag per input, in order")->required();
  cmd->add_option("--output,-o", outputs, "where to write output tensor k, one flag per output, in order")
      ->required();
  cmd->add_option("--engine", engine,
                  "interp (reference interpreter) | c (generated C, host compiler) | cortex-m4 | cortex-m7 | "
                  "cortex-m55 (generated C on an emulated board)")
      ->check(CLI::IsMember({"interp", "c", "cortex-m4", "cortex-m7", "cortex-m55"}));
  flags.AddTo(cmd, false);
  cmd->add_option("--flash-size", flash, "Cortex-M engines: flash limit, e.g. 1MiB");
  cmd->add_option("--ram-size", ram, "Cortex-M engines: RAM limit, e.g. 320KiB");
  cmd->callback([] {
    const Graph g = LoadModel(model);
    Check(outputs.size() == g.outputs.size(), "the model has " + std::to_string(g.outputs.size()) +
                                                  " output(s), " + std::to_string(outputs.size()) + " --output given");
    std::vector<std::vector<uint8_t>> in;
    for (const auto& path : inputs) in.push_back(ReadFileBytes(path));
    CheckInputs(g, in);
    std::vector<std::vector<uint8_t>> out;
    if (engine == "interp") {
      out = RunInterpreter(g, ResolveArith(g, ParseArith(flags.arith)), in);
    } else {
      const CompiledModel m = Compile(g, flags.ToOptions());
      out = engine == "c" ? codegen::RunGeneratedC(m.c, in) : RunCortexM(m, engine, in, flash, ram);
    }
    for (size_t i = 0; i < out.size(); ++i) WriteFileAtomic(outputs[i], out[i]);
  });
}

}  // namespace tinyfuse::cli
