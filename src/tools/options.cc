#include "tools/options.h"

#include "common/error.h"
#include "driver/cortex_m.h"
#include "driver/pipeline.h"

namespace tinyfuse::cli {

void CompileFlags::AddTo(CLI::App* cmd, bool with_name) {
  cmd->add_option("--arith", arith, "tflm | tflite | auto (int8 weights: tflm; uint8 weights: tflite)");
  if (with_name) cmd->add_option("--name", name, "prefix of every generated C symbol and file name");
  cmd->add_option("--planner", planner,
                  "arena planner: auto, linear, greedy-size, greedy-conflicts, greedy-breadth, hill-climb, exact");
  cmd->add_option("--alignment", alignment, "alignment of every arena buffer, in bytes (power of two; default 8)");
  cmd->add_option("--in-place", in_place,
                  "none | auto | all: outputs written over their dying input where the loop IR proves it safe, and "
                  "depthwise kernels switched to their in-place variant where that lowers the arena (all: every one; default auto)");
  cmd->add_option("--dsp", dsp, "on | off | auto: packed 16-bit multiply-accumulate (Arm DSP instructions, portable C "
                                "elsewhere); auto: on for Cortex-M4/M7/M55 targets")
      ->check(CLI::IsMember({"on", "off", "auto"}));
}

CompileOptions CompileFlags::ToOptions(const std::string& target) const {
  CompileOptions o;
  o.dsp = dsp == "on" || (dsp == "auto" && DspOfTarget(target));
  o.arith = ParseArith(arith);
  o.prefix = name;
  o.planner = memory::ParsePlannerKind(planner);
  Check(alignment >= 1 && alignment <= 4096 && (alignment & (alignment - 1)) == 0,
        "--alignment must be a power of two from 1 to 4096, not " + std::to_string(alignment));
  o.alignment = alignment;
  o.in_place = ParseInPlaceMode(in_place);
  return o;
}

void LimitFlags::AddTo(CLI::App* cmd, bool with_arena) {
  const ImportLimits defaults;
  cmd->add_option("--max-tensor-bytes", max_tensor_bytes,
                  "refuse a model with a tensor larger than this, e.g. 16MiB (default " +
                      std::to_string(defaults.max_tensor_bytes >> 20) + "MiB)");
  cmd->add_option("--max-total-bytes", max_total_bytes,
                  "refuse a model whose tensors (constants and activations) together exceed this (default " +
                      std::to_string(defaults.max_total_bytes >> 20) + "MiB)");
  if (with_arena) {
    cmd->add_option("--max-arena-bytes", max_arena_bytes,
                    "refuse a model whose planned arena exceeds this, e.g. 256KiB (default: no limit)");
  }
}

ImportLimits LimitFlags::ToImportLimits() const {
  ImportLimits limits;
  if (!max_tensor_bytes.empty()) limits.max_tensor_bytes = ParseMemorySize(max_tensor_bytes);
  if (!max_total_bytes.empty()) limits.max_total_bytes = ParseMemorySize(max_total_bytes);
  return limits;
}

void LimitFlags::CheckArena(const CompiledModel& m) const {
  if (max_arena_bytes.empty()) return;
  const int64_t limit = ParseMemorySize(max_arena_bytes);
  Check(m.plan.total <= limit, "the planned arena is " + std::to_string(m.plan.total) +
                                   " bytes, over the limit of " + std::to_string(limit) + " (--max-arena-bytes)");
}

void BoardFlags::AddTo(CLI::App* cmd, const std::string& what) {
  cmd->add_option("--flash-size", flash, what + ": flash limit, e.g. 1MiB (the link fails when the model does not fit)");
  cmd->add_option("--ram-size", ram, what + ": RAM limit, e.g. 320KiB (arena, data, stack)");
}

std::optional<CortexMOptions> BoardFlags::Check(const std::string& cpu, const std::string& flag) const {
  if (cpu == "host" || cpu == "interp" || cpu == "c") {
    tinyfuse::Check(flash.empty() && ram.empty(), "--flash-size and --ram-size need a Cortex-M " + flag);
    return std::nullopt;
  }
  CortexMOptions o;
  o.cpu = cpu;
  if (!flash.empty()) o.flash_size = ParseMemorySize(flash);
  if (!ram.empty()) o.ram_size = ParseMemorySize(ram);
  CheckCortexMOptions(o);
  std::string why;
  tinyfuse::Check(CortexMToolchainAvailable(&why), flag + " " + cpu + " needs the Arm toolchain and QEMU: " + why);
  return o;
}

Graph LimitFlags::Load(const std::string& path) const { return LoadModel(path, ToImportLimits()); }

}  // namespace tinyfuse::cli
