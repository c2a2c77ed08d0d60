#include <cstdio>
#include <string>

#include "driver/pipeline.h"
#include "graph/printer.h"
#include "graph/stats.h"
#include "tools/commands.h"
#include "tools/options.h"

namespace tinyfuse::cli {

void RegisterInspect(CLI::App& app) {
  auto* cmd = app.add_subcommand("inspect", "Print a model's ops with shapes, dtypes, quantization and MACs");
  static std::string model;
  static bool json = false;
  static LimitFlags limits;
  cmd->add_option("model", model, "the .tflite file")->required();
  cmd->add_flag("--json", json, "machine-readable output");
  limits.AddTo(cmd, false);
  cmd->callback([] {
    const Graph g = limits.Load(model);
    const GraphStats stats = ComputeStats(g);
    if (json) {
      std::fputs(StatsJson(g, stats).c_str(), stdout);
      std::fputs("\n", stdout);
    } else {
      std::fputs(PrintGraph(g).c_str(), stdout);
      std::printf("arithmetic (auto): %s\n", ArithName(ChooseArith(g)));
      std::printf("MACs: %lld  weight bytes: %lld  activation bytes: %lld\n",
                  static_cast<long long>(stats.total_macs), static_cast<long long>(stats.weight_bytes),
                  static_cast<long long>(stats.activation_bytes));
    }
  });
}

}  // namespace tinyfuse::cli
