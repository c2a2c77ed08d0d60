#include <cstdio>
#include <filesystem>
#include <optional>
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
#include "tools/output_files.h"

namespace tinyfuse::cli {

namespace {

struct Args {
  std::string model, dir, target = "host";
  bool no_svg = false;
  CompileFlags flags;
  LimitFlags limits;
  BoardFlags board;
};

void PrintCompiled(const Args& a, const Graph& g, const CompiledModel& m) {
  int64_t workspace = 0;
  for (const auto& k : m.lowered.kernels) workspace += k.workspace_bytes;
  std::printf("%s: %zu ops -> %zu kernels, arithmetic %s\n", a.model.c_str(), g.ops.size(), m.lowered.kernels.size(),
              ArithName(m.arith));
  std::printf("arena: %lld bytes (planner %s; floor %lld; lower bound %lld), kernel workspace: %lld bytes\n",
              static_cast<long long>(m.plan.total), memory::PlannerKindName(m.plan.planner),
              static_cast<long long>(m.plan.floor_bytes), static_cast<long long>(m.plan.bound_bytes),
              static_cast<long long>(workspace));
  const std::string base = a.dir + "/" + a.flags.name;
  std::printf("wrote %s.c, %s.h%s\n", base.c_str(), base.c_str(), a.no_svg ? "" : (", " + base + "_plan.svg").c_str());
}

void PrintLinked(const std::string& target, const CortexMProgram& p) {
  const CortexMSizes& s = p.sizes;
  std::printf("%s: links for %s: flash %lld bytes (code %lld, constants %lld), RAM %lld bytes static "
              "(arena %lld) + stack\n",
              target.c_str(), CortexMBoardFor(target).machine.c_str(), static_cast<long long>(s.flash_bytes),
              static_cast<long long>(s.text_bytes), static_cast<long long>(s.rodata_bytes),
              static_cast<long long>(s.data_bytes + s.bss_bytes), static_cast<long long>(p.arena_bytes));
}

// Every argument and the model first; then the outputs, staged and moved into place only once all of
// them are written and, for a Cortex-M target, the code links for the board.
void RunCompile(const Args& a) {
  const std::optional<CortexMOptions> board = a.board.Check(a.target, "--target");
  const CompileOptions options = a.flags.ToOptions(a.target);
  const Graph g = a.limits.Load(a.model);
  const CompiledModel m = Compile(g, options);
  a.limits.CheckArena(m);
  OutputFiles out;
  out.MakeDir(a.dir);
  const std::string base = a.dir + "/" + a.flags.name;
  const std::string staged_c = out.Stage(base + ".c");
  out.Stage(base + ".h");
  const std::string staged_dir = std::filesystem::path(staged_c).parent_path().string();
  codegen::WriteGeneratedC(m.c, staged_dir);
  if (!a.no_svg) {
    memory::SvgOptions svg;
    svg.title = std::filesystem::path(a.model).filename().string();
    WriteFileAtomic(out.Stage(base + "_plan.svg"), memory::PlanSvg(m.schedule, m.plan, svg));
  }
  std::optional<CortexMModel> linked;
  if (board) linked.emplace(CortexMModel::Build(staged_dir, a.flags.name, *board));
  out.Commit();
  PrintCompiled(a, g, m);
  if (linked) PrintLinked(a.target, linked->program());
}

}  // namespace

void RegisterCompile(CLI::App& app) {
  auto* cmd = app.add_subcommand("compile", "Compile a model to C: DIR/NAME.c, DIR/NAME.h and DIR/NAME_plan.svg");
  static Args a;
  cmd->add_option("model", a.model, "the .tflite file")->required();
  cmd->add_option("-o,--output-dir", a.dir, "directory for the generated files (created if missing)")->required();
  a.flags.AddTo(cmd, true);
  cmd->add_option("--target", a.target, "host | cortex-m4 | cortex-m7 | cortex-m55: a Cortex-M target also "
                                        "links the code for its board and reports flash and RAM")
      ->check(CLI::IsMember({"host", "cortex-m4", "cortex-m7", "cortex-m55"}));
  a.board.AddTo(cmd, "Cortex-M target");
  cmd->add_flag("--no-svg", a.no_svg, "do not draw the arena plan");
  a.limits.AddTo(cmd, true);
  cmd->callback([] { RunCompile(a); });
}

}  // namespace tinyfuse::cli
