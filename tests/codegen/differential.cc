#include "differential.h"

#include "codegen/c_emitter.h"
#include "codegen/host_runner.h"
#include "interp/interpreter.h"
#include "loop/lower.h"
#include "test_models.h"

namespace tinyfuse::codegen {

std::string DiffAgainstInterpreter(const Graph& g, Arith arith, const DiffOptions& options) {
  const loop::LoweredModel m = loop::LowerGraph(g, arith);
  const GeneratedC c = EmitC(m, SequentialLayout(m), "tf");
  for (const std::string& compiler : options.compilers) {
    HostCompileOptions opts;
    opts.compiler = compiler;
    if (compiler == "clang" && options.ubsan_with_clang) {
      // -O0: the sanitizers find the same UB; clang -O1/-O2 with them costs minutes on big bundles.
      opts.flags += " -O0 -fsanitize=undefined,address -fno-sanitize-recover=all -fno-omit-frame-pointer";
    }
    const HostProgram prog = HostProgram::Build(c, opts);
    for (int set = 0; set < options.input_sets; ++set) {
      const auto inputs = testmodels::RandomInputs(g, options.seed + static_cast<uint64_t>(set));
      Interpreter interp(g, arith);
      for (size_t i = 0; i < inputs.size(); ++i) interp.SetInput(static_cast<int>(i), inputs[i]);
      interp.Invoke();
      const auto got = prog.Run(inputs);
      for (size_t o = 0; o < g.outputs.size(); ++o) {
        const std::vector<uint8_t>& want = interp.Output(static_cast<int>(o));
        if (got[o] == want) continue;
        for (size_t i = 0; i < want.size(); ++i) {
          if (got[o][i] != want[i]) {
            return compiler + ", input set " + std::to_string(set) + ": output " + std::to_string(o) + " byte " +
                   std::to_string(i) + " is " + std::to_string(got[o][i]) + ", interpreter " +
                   std::to_string(want[i]);
          }
        }
        return "output " + std::to_string(o) + " has the wrong size";
      }
    }
  }
  return "";
}

}  // namespace tinyfuse::codegen
