// Options shared by several commands (compile, lower, plan, run, bench), parsed into driver options.
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "driver/compile.h"
#include "driver/cortex_m.h"
#include "graph/graph.h"
#include "tflite/importer.h"

namespace tinyfuse::cli {

struct CompileFlags {
  std::string arith = "auto";
  std::string name = "model";
  std::string planner = "auto";
  int64_t alignment = memory::kDefaultAlignment;
  std::string in_place = "auto";
  std::string dsp = "auto";

  void AddTo(CLI::App* cmd, bool with_name);
  // `target`: "host" or the Cortex-M core the code is compiled for (decides --dsp auto).
  CompileOptions ToOptions(const std::string& target = "host") const;
};

// Resource limits of every command that reads a model file (sizes like 64MiB, 512KiB or plain bytes):
// the importer's (tflite/importer.h, checked on the shapes before any tensor memory exists) and, for
// commands that compile, the planned arena (checked before any C is written, compiled or run).
struct LimitFlags {
  std::string max_tensor_bytes, max_total_bytes, max_arena_bytes;  // empty: the default

  void AddTo(CLI::App* cmd, bool with_arena);
  ImportLimits ToImportLimits() const;
  // Throws Error when --max-arena-bytes is set and the plan's arena exceeds it.
  void CheckArena(const CompiledModel& m) const;
  // LoadModel with these limits.
  Graph Load(const std::string& path) const;
};

// --flash-size and --ram-size of a Cortex-M target (compile) or engine (run).
struct BoardFlags {
  std::string flash, ram;  // empty: all the board has

  void AddTo(CLI::App* cmd, const std::string& what);
  // The Cortex-M options for `cpu`, checked before the command does anything: the sizes parse and the
  // board has them, and the Arm toolchain and QEMU are present. `cpu` "host", "interp" or "c" (named by
  // `flag`, e.g. "--target") refuses the sizes and returns nullopt.
  std::optional<CortexMOptions> Check(const std::string& cpu, const std::string& flag) const;
};

}  // namespace tinyfuse::cli
