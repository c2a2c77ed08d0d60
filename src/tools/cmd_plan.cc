#include <cstdio>
#include <filesystem>
#include <string>

#include "driver/compile.h"
#include "driver/io.h"
#include "driver/pipeline.h"
#include "memory/plan_report.h"
#include "memory/plan_svg.h"
#include "tools/commands.h"
#include "tools/options.h"
#include "tools/output_files.h"

namespace tinyfuse::cli {

void RegisterPlan(CLI::App& app) {
  auto* cmd = app.add_subcommand("plan", "Print the arena plan: per tensor size, first/last use, offset; the "
                                         "floor; every planner's total");
  static std::string model, svg;
  static bool json = false;
  static CompileFlags flags;
  static LimitFlags limits;
  cmd->add_option("model", model, "the .tflite file")->required();
  cmd->add_option("--svg", svg, "also draw the plan as SVG into this file");
  cmd->add_flag("--json", json, "machine-readable: floor_bytes, arena_bytes, planners, buffers");
  flags.AddTo(cmd, false);
  limits.AddTo(cmd, false);
  cmd->callback([] {
    const CompileOptions options = flags.ToOptions();
    const Graph g = limits.Load(model);
    const CompiledModel m = Compile(g, options);
    if (!svg.empty()) {
      OutputFiles out;
      memory::SvgOptions o;
      o.title = std::filesystem::path(model).filename().string();
      WriteFileAtomic(out.Stage(svg), memory::PlanSvg(m.schedule, m.plan, o));
      out.Commit();
    }
    std::fputs((json ? memory::PlanJson(m.schedule, m.plan) + "\n" : memory::PlanText(m.schedule, m.plan)).c_str(),
               stdout);
  });
}

}  // namespace tinyfuse::cli
