#include <cstdio>
#include <string>
#include <vector>

#include "common/error.h"
#include "driver/compile.h"
#include "driver/io.h"
#include "driver/pipeline.h"
#include "driver/profile.h"
#include "tools/commands.h"
#include "tools/options.h"

namespace tinyfuse::cli {

namespace {

// Deterministic stand-in input bytes when no --input is given: a fixed linear congruential sequence, so
// that data-dependent paths (clamps, saturation) see varied values and every profile of a model agrees.
std::vector<std::vector<uint8_t>> PatternInputs(const CompiledModel& m) {
  std::vector<std::vector<uint8_t>> inputs;
  uint32_t state = 1;
  for (const loop::IoTensor& t : m.lowered.inputs) {
    std::vector<uint8_t> bytes(static_cast<size_t>(t.bytes));
    for (uint8_t& b : bytes) {
      state = state * 1103515245u + 12345u;
      b = static_cast<uint8_t>(state >> 16);
    }
    inputs.push_back(std::move(bytes));
  }
  return inputs;
}

}  // namespace

void RegisterProfile(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "profile", "Per-kernel exact instruction profile of one inference on an emulated Cortex-M (cycles estimated)");
  static std::string model, target = "cortex-m4", flash, ram;
  static std::vector<std::string> inputs;
  static bool json = false;
  static CompileFlags flags;
  static LimitFlags limits;
  cmd->add_option("model", model, "the .tflite file")->required();
  cmd->add_option("--target", target, "cortex-m4 | cortex-m7 | cortex-m55 (estimated cycles use the M4 timing)")
      ->check(CLI::IsMember({"cortex-m4", "cortex-m7", "cortex-m55"}));
  cmd->add_option("--input,-i", inputs,
                  "raw bytes of input tensor k, one flag per input; default: a fixed pseudo-random pattern");
  cmd->add_flag("--json", json, "machine-readable output");
  flags.AddTo(cmd, false);
  cmd->add_option("--flash-size", flash, "flash limit, e.g. 1MiB");
  cmd->add_option("--ram-size", ram, "RAM limit, e.g. 320KiB");
  limits.AddTo(cmd, true);
  cmd->callback([] {
    const Graph g = limits.Load(model);
    const CompiledModel m = Compile(g, flags.ToOptions(target));
    limits.CheckArena(m);
    std::vector<std::vector<uint8_t>> in;
    if (inputs.empty()) {
      in = PatternInputs(m);
    } else {
      Check(inputs.size() == g.inputs.size(), "the model has " + std::to_string(g.inputs.size()) +
                                                  " input(s); " + std::to_string(inputs.size()) + " --input given");
      for (const std::string& path : inputs) in.push_back(ReadFileBytes(path));
    }
    CheckInputs(g, in);
    CortexMOptions o;
    o.cpu = target;
    if (!flash.empty()) o.flash_size = ParseMemorySize(flash);
    if (!ram.empty()) o.ram_size = ParseMemorySize(ram);
    const ModelProfile p = ProfileOnCortexM(g, m, in, o);
    const std::string text = json ? ProfileJson(p) + "\n" : ProfileTable(p);
    std::fputs(text.c_str(), stdout);
  });
}

}  // namespace tinyfuse::cli
