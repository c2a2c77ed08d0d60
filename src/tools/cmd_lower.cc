#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "common/error.h"
#include "driver/pipeline.h"
#include "driver/compile.h"
#include "graph/passes/canonical.h"
#include "graph/passes/fuse.h"
#include "loop/lower.h"
#include "loop/printer.h"
#include "loop/schedule.h"
#include "memory/plan_report.h"
#include "tools/commands.h"
#include "tools/options.h"

namespace tinyfuse::cli {

namespace {

// Lowers the kernels again (kernel `only`, or all when it is -1) as Compile did, in-place variants included,
// and prints each one's IR after `pass` ("all": after every pass).
void PrintAfterPasses(const Graph& g, const CompiledModel& compiled, const CompileOptions& options, int only,
                      const std::string& pass) {
  const passes::FusedGraph fused = passes::Fuse(passes::Canonicalize(g, compiled.arith));
  loop::LowerOptions lower;
  lower.dsp = options.dsp;
  for (size_t k = 0; k < compiled.lowered.kernels.size(); ++k) {
    if (only >= 0 && static_cast<int>(k) != only) continue;
    const std::string& name = compiled.lowered.kernels[k].func.name;
    lower.after_pass = [&](const std::string& done, const loop::PrimFunc& f) {
      if (pass != "all" && pass != done) return;
      std::printf("// kernel %zu (%s) after %s\n%s", k, name.c_str(), done.c_str(), loop::PrintPrimFunc(f).c_str());
    };
    const std::vector<int>& variants = compiled.in_place_variants;
    const bool in_place = std::find(variants.begin(), variants.end(), static_cast<int>(k)) != variants.end();
    loop::LowerKernel(fused, static_cast<int>(k), lower, in_place);
  }
}

}  // namespace

void RegisterLower(CLI::App& app) {
  auto* cmd = app.add_subcommand("lower", "Print the fused kernels' loop IR, as `compile` emits it, with their workspace bytes");
  static std::string model, target = "host";
  static int op = -1;
  static bool json = false;
  static std::string print_after;
  static CompileFlags flags;
  static LimitFlags limits;
  cmd->add_option("model", model, "the .tflite file")->required();
  cmd->add_option("--op", op, "only the kernel that contains op N (its index in the model)");
  cmd->add_flag("--json", json, "per kernel: name, fused ops, workspace bytes and arena offset (no IR)");
  flags.AddTo(cmd, false);
  cmd->add_option("--target", target, "host | cortex-m4 | cortex-m7 | cortex-m55 (decides --dsp auto)")
      ->check(CLI::IsMember({"host", "cortex-m4", "cortex-m7", "cortex-m55"}));
  std::vector<std::string> passes = loop::SchedulePassNames();
  passes.insert(passes.begin(), "lower");
  passes.push_back("all");
  cmd->add_option("--print-after", print_after,
                  "print each kernel's IR after one pass: lower (as lowered), partition-loops, register-block, "
                  "or all of them in order")
      ->check(CLI::IsMember(passes));
  limits.AddTo(cmd, false);
  cmd->callback([] {
    const CompileOptions options = flags.ToOptions(target);
    const Graph g = limits.Load(model);
    Check(op < static_cast<int>(g.ops.size()),
          "--op " + std::to_string(op) + ": the model has " + std::to_string(g.ops.size()) + " ops");
    // The kernels exactly as `compile` emits them: in-place variants and DSP intrinsics included.
    const CompiledModel compiled = Compile(g, options);
    const loop::LoweredModel& m = compiled.lowered;
    const int only = op >= 0 ? loop::KernelOfOp(m, op) : -1;
    if (!print_after.empty()) {
      PrintAfterPasses(g, compiled, options, only, print_after);
      return;
    }
    if (json) {
      std::string out = "{\"arith\":\"" + std::string(ArithName(m.arith)) + "\",\"kernels\":[";
      bool first = true;
      for (size_t i = 0; i < m.kernels.size(); ++i) {
        if (only >= 0 && static_cast<int>(i) != only) continue;
        const loop::Kernel& k = m.kernels[i];
        out += first ? "" : ",";
        first = false;
        out += "{\"index\":" + std::to_string(i) + ",\"name\":" + memory::JsonQuote(k.func.name) +
               ",\"group\":" + memory::JsonQuote(k.group) + ",\"ops\":[";
        for (size_t j = 0; j < k.ops.size(); ++j) {
          out += (j ? "," : "") + std::to_string(k.ops[j]);
        }
        out += "],\"op_kinds\":[";
        for (size_t j = 0; j < k.ops.size(); ++j) {
          out += (j ? ",\"" : "\"") + std::string(OpName(g.ops[static_cast<size_t>(k.ops[j])].kind)) + "\"";
        }
        out += "],\"workspace_bytes\":" + std::to_string(k.workspace_bytes);
        auto ws = compiled.layout.workspace_offsets.find(static_cast<int>(i));
        if (ws != compiled.layout.workspace_offsets.end()) out += ",\"workspace_offset\":" + std::to_string(ws->second);
        out += "}";
      }
      out += "]}\n";
      std::fputs(out.c_str(), stdout);
      return;
    }
    if (only >= 0) {
      std::fputs(loop::PrintKernel(m.kernels[static_cast<size_t>(only)]).c_str(), stdout);
    } else {
      std::fputs(loop::PrintLoweredModel(m).c_str(), stdout);
    }
  });
}

}  // namespace tinyfuse::cli
