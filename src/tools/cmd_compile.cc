#include <cstdio>
#include <filesystem>
#include <string>

#include "codegen/c_emitter.h"
#include "common/error.h"
#include "driver/compile.h"
#include "driver/cortex_m.h"
#include "driver/io.h"
#include "driver/pipeline.h"
#include "memory/plan_svg.h"
#include "tools/commands.h"
#include "tools/options.h"

namespace tinyfuse::cli {

void RegisterCompile(CLI::App& app) {
  auto* cmd = app.add_subcommand("compile", "Compile a model to C: DIR/NAME.c, DIR/NAME.h and DIR/NAME_plan.svg");
  static std::string model, dir, target = "host", flash, ram;
  static bool no_svg = false;
  static CompileFlags flags;
  static LimitFlags limits;
  cmd->add_option("model", model, "the .tflite file")->required();
  cmd->add_option("-o,--output-dir", dir, "directory for the generated files (created if missing)")->required();
  flags.AddTo(cmd, true);
  cmd->add_option("--target", target, "host | cortex-m4 | cortex-m7 | cortex-m55: a Cortex-M target also "
                                      "links the code for its board and reports flash and RAM")
      ->check(CLI::IsMember({"host", "cortex-m4", "cortex-m7", "cortex-m55"}));
  cmd->add_option("--flash-size", flash, "Cortex-M flash limit, e.g. 1MiB (the link fails when exceeded)");
  cmd->add_option("--ram-size", ram, "Cortex-M RAM limit, e.g. 320KiB (arena, data, stack)");
  cmd->add_flag("--no-svg", no_svg, "do not draw the arena plan");
  limits.AddTo(cmd, true);
  cmd->callback([] {
    Check(target != "host" || (flash.empty() && ram.empty()), "--flash-size and --ram-size need a Cortex-M --target");
    const Graph g = limits.Load(model);
    const CompiledModel m = Compile(g, flags.ToOptions(target));
    limits.CheckArena(m);
    std::filesystem::create_directories(dir);
    codegen::WriteGeneratedC(m.c, dir);
    if (!no_svg) {
      memory::SvgOptions svg;
      svg.title = std::filesystem::path(model).filename().string();
      WriteFileAtomic(dir + "/" + flags.name + "_plan.svg", memory::PlanSvg(m.schedule, m.plan, svg));
    }
    int64_t workspace = 0;
    for (const auto& k : m.lowered.kernels) workspace += k.workspace_bytes;
    std::printf("%s: %zu ops -> %zu kernels, arithmetic %s\n", model.c_str(), g.ops.size(), m.lowered.kernels.size(),
                ArithName(m.arith));
    std::printf("arena: %lld bytes (planner %s; floor %lld; lower bound %lld), kernel workspace: %lld bytes\n",
                static_cast<long long>(m.plan.total), memory::PlannerKindName(m.plan.planner),
                static_cast<long long>(m.plan.floor_bytes), static_cast<long long>(m.plan.bound_bytes),
                static_cast<long long>(workspace));
    std::printf("wrote %s/%s.c, %s/%s.h%s\n", dir.c_str(), flags.name.c_str(), dir.c_str(), flags.name.c_str(),
                no_svg ? "" : (", " + dir + "/" + flags.name + "_plan.svg").c_str());
    if (target != "host") {
      CortexMOptions o;
      o.cpu = target;
      if (!flash.empty()) o.flash_size = ParseMemorySize(flash);
      if (!ram.empty()) o.ram_size = ParseMemorySize(ram);
      const CortexMModel cm = CortexMModel::Build(dir, flags.name, o);
      const CortexMSizes& s = cm.program().sizes;
      std::printf("%s: links for %s: flash %lld bytes (code %lld, constants %lld), RAM %lld bytes static "
                  "(arena %lld) + stack\n",
                  target.c_str(), CortexMBoardFor(target).machine.c_str(), static_cast<long long>(s.flash_bytes),
                  static_cast<long long>(s.text_bytes), static_cast<long long>(s.rodata_bytes),
                  static_cast<long long>(s.data_bytes + s.bss_bytes),
                  static_cast<long long>(cm.program().arena_bytes));
    }
  });
}

}  // namespace tinyfuse::cli
