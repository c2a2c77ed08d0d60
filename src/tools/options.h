// Options shared by several commands (compile, lower, plan, run, bench), parsed into driver options.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "driver/compile.h"
#include "graph/graph.h"

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

}  // namespace tinyfuse::cli
