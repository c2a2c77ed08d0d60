#include "tools/options.h"

#include "common/error.h"
#include "driver/pipeline.h"

namespace tinyfuse::cli {

void CompileFlags::AddTo(CLI::App* cmd, bool with_name) {
  cmd->add_option("--arith", arith, "tflm | tflite | auto (int8 weights: tflm; uint8 weights: tflite)");
  if (with_name) cmd->add_option("--name", name, "prefix of every generated C symbol and file name");
  cmd->add_option("--planner", planner,
                  "arena planner: auto, linear, greedy-size, greedy-conflicts, greedy-breadth, hill-climb, exact");
  cmd->add_option("--alignment", alignment, "alignment of every arena buffer, in bytes (power of two; default 8)");
  cmd->add_option("--in-place", in_place,
                  "none | auto | all: outputs written over their dying input where the loop IR proves it safe, and "
                  "depthwise kernels switched to their in-place variant where that lowers the arena (all: every one; default auto)");
  cmd->add_option("--dsp", dsp, "on | off | auto: packed 16-bit multiply-accumulate (Arm DSP instructions, portable C "
                                "elsewhere); auto: on for Cortex-M4/M7/M55 targets")
      ->check(CLI::IsMember({"on", "off", "auto"}));
}

CompileOptions CompileFlags::ToOptions(const std::string& target) const {
  CompileOptions o;
  o.dsp = dsp == "on" || (dsp == "auto" && DspOfTarget(target));
  o.arith = ParseArith(arith);
  o.prefix = name;
  o.planner = memory::ParsePlannerKind(planner);
  Check(alignment >= 1 && alignment <= 4096 && (alignment & (alignment - 1)) == 0,
        "--alignment must be a power of two from 1 to 4096, not " + std::to_string(alignment));
  o.alignment = alignment;
  o.in_place = ParseInPlaceMode(in_place);
  return o;
}

}  // namespace tinyfuse::cli
