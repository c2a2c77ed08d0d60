#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <optional>
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
#include "tools/output_files.h"

namespace tinyfuse::cli {

namespace {

// Compiles the model to C in a fresh temporary directory, runs it on an emulated Cortex-M once per case,
// and reports instructions, flash and RAM on stderr (stdout stays free for the user's pipeline).
std::vector<std::vector<std::vector<uint8_t>>> RunCortexM(const CompiledModel& m, const CortexMOptions& o,
                                                          const std::vector<std::vector<std::vector<uint8_t>>>& cases) {
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
  const CortexMModel model = CortexMModel::Build(dir.string(), m.c.prefix, o);
  std::vector<std::vector<std::vector<uint8_t>>> out;
  for (const auto& in : cases) {
    const CortexMResult r = model.Run(in);
    std::fprintf(stderr,
                 "%s: %llu instructions per inference, flash %lld bytes, RAM %lld bytes (arena %lld, stack %lld)\n",
                 o.cpu.c_str(), static_cast<unsigned long long>(r.instructions), static_cast<long long>(r.flash_bytes),
                 static_cast<long long>(r.ram_bytes), static_cast<long long>(r.arena_bytes),
                 static_cast<long long>(r.stack_bytes));
    out.push_back(r.outputs);
  }
  return out;
}

}  // namespace

void RegisterRun(CLI::App& app) {
  auto* cmd = app.add_subcommand("run", "Run a model on raw input bytes and write raw output bytes");
  static std::string model, engine = "interp";
  static std::vector<std::string> inputs, outputs;
  static CompileFlags flags;
  static LimitFlags limits;
  static BoardFlags boards;
  cmd->add_option("model", model, "the .tflite file")->required();
  cmd->add_option("--input,-i", inputs, "raw bytes of input tensor k, one flag per input, in order; repeat the whole list to run several cases")->required();
  cmd->add_option("--output,-o", outputs, "where to write output tensor k, one flag per output, in order")
      ->required();
  cmd->add_option("--engine", engine,
                  "interp (reference interpreter) | c (generated C, host compiler) | cortex-m4 | cortex-m7 | "
                  "cortex-m55 (generated C on an emulated board)")
      ->check(CLI::IsMember({"interp", "c", "cortex-m4", "cortex-m7", "cortex-m55"}));
  flags.AddTo(cmd, false);
  boards.AddTo(cmd, "Cortex-M engines");
  limits.AddTo(cmd, true);
  cmd->callback([] {
    // Every argument, the model and the inputs before anything runs; the outputs are reserved before the
    // run and moved into place together after it.
    const std::optional<CortexMOptions> board = boards.Check(engine, "--engine");
    const CompileOptions options = flags.ToOptions(engine == "c" || engine == "interp" ? "host" : engine);
    const Graph g = limits.Load(model);
    // Several inferences in one call: k * (number of model inputs) --input files, in case order.
    const size_t n_in = g.inputs.size(), n_out = g.outputs.size();
    Check(n_in > 0 && inputs.size() % n_in == 0,
          "the model has " + std::to_string(n_in) + " input(s); " + std::to_string(inputs.size()) + " --input given");
    const size_t n_cases = inputs.size() / n_in;
    Check(outputs.size() == n_cases * n_out, "the model has " + std::to_string(n_out) + " output(s); " +
                                                 std::to_string(n_cases) + " case(s) need " +
                                                 std::to_string(n_cases * n_out) + " --output, " +
                                                 std::to_string(outputs.size()) + " given");
    std::vector<std::vector<std::vector<uint8_t>>> cases(n_cases), results;
    for (size_t i = 0; i < inputs.size(); ++i) cases[i / n_in].push_back(ReadFileBytes(inputs[i]));
    for (const auto& c : cases) CheckInputs(g, c);
    OutputFiles out;
    std::vector<std::string> staged;
    for (const std::string& path : outputs) staged.push_back(out.Stage(path));
    if (engine == "interp") {
      const Arith a = ResolveArith(g, ParseArith(flags.arith));
      for (const auto& c : cases) results.push_back(RunInterpreter(g, a, c));
    } else {
      const CompiledModel m = Compile(g, options);
      limits.CheckArena(m);
      if (engine == "c") {
        const codegen::HostProgram prog = codegen::HostProgram::Build(m.c);
        for (const auto& c : cases) results.push_back(prog.Run(c));
      } else {
        results = RunCortexM(m, *board, cases);
      }
    }
    for (size_t k = 0; k < n_cases; ++k) {
      for (size_t i = 0; i < n_out; ++i) WriteFileAtomic(staged[k * n_out + i], results[k][i]);
    }
    out.Commit();
  });
}

}  // namespace tinyfuse::cli
