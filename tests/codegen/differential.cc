#include "differential.h"

#include <cstdio>
#include <cstdlib>

#include "codegen/c_emitter.h"
#include "codegen/host_runner.h"
#include "interp/interpreter.h"
#include "loop/lower.h"

namespace tinyfuse::codegen {

std::string DiffAgainstInterpreter(const Graph& g, Arith arith, const std::vector<InputSet>& sets,
                                   const DiffOptions& options) {
  std::vector<std::vector<std::vector<uint8_t>>> want;
  for (const InputSet& set : sets) {
    Interpreter interp(g, arith);
    for (size_t i = 0; i < set.size(); ++i) interp.SetInput(static_cast<int>(i), set[i]);
    interp.Invoke();
    std::vector<std::vector<uint8_t>> outs;
    for (size_t o = 0; o < g.outputs.size(); ++o) outs.push_back(interp.Output(static_cast<int>(o)));
    want.push_back(std::move(outs));
  }
  // The generated C never allocates; LeakSanitizer would only check the host harness's main, and under heavy
  // load it has reported every buffer of a finished run as leaked. Keep ASan and UBSan, drop the leak check.
  setenv("ASAN_OPTIONS", "detect_leaks=0", 0);
  GeneratedC c;
  if (options.emit) {
    c = options.emit(g, arith);
  } else {
    const loop::LoweredModel m = loop::LowerGraph(g, arith);
    c = EmitC(m, SequentialLayout(m), "tf");
  }
  for (const std::string& compiler : options.compilers) {
    HostCompileOptions opts;
    opts.compiler = compiler;
    if (!options.extra_flags.empty()) opts.flags += " " + options.extra_flags;
    opts.keep_dir = std::getenv("TINYFUSE_KEEP_C") != nullptr;  // debugging: keep the generated program
    if (compiler == "clang" && options.sanitize_clang) {
      if (!options.sanitized_flags.empty()) opts.flags += " " + options.sanitized_flags;
      opts.flags += " -fsanitize=undefined,address -fno-sanitize-recover=all -fno-omit-frame-pointer";
    }
    const HostProgram prog = HostProgram::Build(c, opts);
    if (opts.keep_dir) std::fprintf(stderr, "generated C kept in %s\n", prog.dir().c_str());
    // Every set runs on an arena of zeros; the first also on an arena of 0xff, so that a kernel reading
    // bytes nothing wrote shows as a mismatch.
    for (size_t run = 0; run <= sets.size(); ++run) {
      const size_t s = run < sets.size() ? run : 0;
      const uint8_t fill = run < sets.size() ? 0x00 : 0xff;
      if (sets.empty()) break;
      const auto got = prog.Run(sets[s], fill);
      for (size_t o = 0; o < g.outputs.size(); ++o) {
        const std::vector<uint8_t>& w = want[s][o];
        if (got[o] == w) continue;
        if (got[o].size() != w.size()) return compiler + ": output " + std::to_string(o) + " has the wrong size";
        for (size_t i = 0; i < w.size(); ++i) {
          if (got[o][i] != w[i]) {
            return compiler + ", input set " + std::to_string(s) + ", arena filled with " + std::to_string(fill) +
                   ": output " + std::to_string(o) + " byte " + std::to_string(i) + " is " +
                   std::to_string(got[o][i]) + ", interpreter " + std::to_string(w[i]);
          }
        }
      }
    }
  }
  return "";
}

}  // namespace tinyfuse::codegen
