// `tinyfuse profile`: one inference of a compiled model on an emulated Cortex-M, with the instruction
// count split exactly by fused kernel.
//
// The ELF is the one `run --engine cortex-m4` builds and runs, unchanged: nothing is added to the generated
// C. The counting plugin's profile mode attributes every instruction executed between the harness's
// markers by address: code inside a kernel function (PREFIX_<kernel> and any .constprop/.isra/.part
// clone gcc made of it) to that kernel; code inside PREFIX_invoke to "glue"; code in neither (memcpy,
// libgcc) to whichever of those ran last, i.e. to its caller. So the kernels plus glue sum exactly to
// the region a normal run counts. Code bytes are the ELF symbol sizes of the same functions. Cycles are an
// ESTIMATE from the Cortex-M4 TRM instruction timing table, applied per instruction class by the plugin
// (tools/qemu-icount/thumb_class.h); instruction counts stay the measure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "driver/compile.h"
#include "driver/cortex_m.h"
#include "graph/graph.h"

namespace tinyfuse {

struct KernelProfile {
  std::string name;    // the kernel function's name in the generated C, without the prefix
  std::string chain;   // the fused steps, e.g. "CONV_2D(acc, bias, rq, clamp, cast)"
  std::string shapes;  // output shape(s) of the kernel's ops, e.g. "1x48x48x8"
  int64_t macs = 0;    // graph/stats.h MACs of the kernel's ops
  int64_t code_bytes = 0;
  CortexMOwnerCounts counts;
};

struct ModelProfile {
  std::string cpu;
  std::vector<KernelProfile> kernels;  // in execution order
  CortexMOwnerCounts glue;             // PREFIX_invoke, the harness's call and the markers
  int64_t glue_code_bytes = 0;         // PREFIX_invoke
  uint64_t instructions = 0;           // the whole region: kernels + glue, exactly
  uint64_t cycles_estimate = 0;
  int64_t macs = 0;
};

// Builds `m` (generated C of `g`) for options.cpu, runs it once on `inputs` and attributes the count.
// Throws Error (one line) when the toolchain is missing, the program does not fit, or a kernel function
// cannot be found in the ELF.
ModelProfile ProfileOnCortexM(const Graph& g, const CompiledModel& m, const std::vector<std::vector<uint8_t>>& inputs,
                              const CortexMOptions& options);

// The same on a model already built (CortexMModel::Build of m's generated C, prefix m.c.prefix).
ModelProfile ProfileBuiltModel(const Graph& g, const CompiledModel& m, const CortexMModel& model,
                               const std::vector<std::vector<uint8_t>>& inputs);

// A text table: one row per kernel, then glue and totals; cycles labelled as an estimate.
std::string ProfileTable(const ModelProfile& p);

// The same as one JSON object (no trailing newline).
std::string ProfileJson(const ModelProfile& p);

}  // namespace tinyfuse
