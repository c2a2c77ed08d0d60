#include <cstdio>
#include <string>

#include "common/error.h"
#include "driver/pipeline.h"
#include "driver/compile.h"
#include "loop/lower.h"
#include "memory/plan_report.h"
#include "tools/commands.h"
#include "tools/options.h"

namespace tinyfuse::cli {

void RegisterLower(CLI::App& app) {
  auto* cmd = app.add_subcommand("lower", "Print the fused kernels' loop IR, as `compile` emits it, with their workspace bytes");
  static std::string model, target = "host";
  static int op = -1;
  static bool json = false;
  static CompileFlags flags;
  static LimitFlags limits;
  cmd->add_option("model", model, "the .tflite file")->required();
  cmd->add_option("--op", op, "only the kernel that contains op N (its index in the model)");
  cmd->add_flag("--json", json, "per kernel: name, fused ops, workspace bytes and arena offset (no IR)");
  flags.AddTo(cmd, false);
  cmd->add_option("--target", target, "host | cortex-m4 | cortex-m7 | cortex-m55 (decides --dsp auto)")
      ->check(CLI::IsMember({"host", "cortex-m4", "cortex-m7", "cortex-m55"}));
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
