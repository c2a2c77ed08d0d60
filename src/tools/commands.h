// The `tinyfuse` CLI: one Register* function per command, each in its own cmd_*.cc. A command's callback
// throws tinyfuse::Error on bad input; main() prints it as one line and exits with status 2.
#pragma once

#include <CLI/CLI.hpp>

namespace tinyfuse::cli {

void RegisterInspect(CLI::App& app);
void RegisterRun(CLI::App& app);
void RegisterDemo(CLI::App& app);
void RegisterCompile(CLI::App& app);
void RegisterLower(CLI::App& app);
void RegisterPlan(CLI::App& app);
void RegisterBench(CLI::App& app);
void RegisterProfile(CLI::App& app);

}  // namespace tinyfuse::cli
