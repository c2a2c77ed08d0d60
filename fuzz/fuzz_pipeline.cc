// libFuzzer target, structure-aware: the input names a seed model and a list of edits (mutator.h), the
// edited RawModel is written by the project's writer and then run through every stage: import, verify,
// printers and stats, interpreter (small models), lowering, arena planning and C emission
// (pipeline_runner.h). Only tinyfuse::Error may be thrown, and it is caught. At exit it prints the share
// of inputs stopped at each stage. See docs/FUZZING.md.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/error.h"
#include "fuzz_stats.h"
#include "mutator.h"
#include "pipeline_runner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tinyfuse::fuzz;
  PipelineStats& stats = GlobalStats("fuzz_pipeline");
  const MutatedModel m = DecodeMutatedModel(data, size);
  std::vector<uint8_t> file;
  try {
    file = tinyfuse::WriteRawModel(m.model);
  } catch (const tinyfuse::Error&) {
    stats.AddWriterError();
    return 0;
  }
  const RunResult r = RunModelFile(file, m.flip_arith);
  stats.Add(r);
  CrashOnInternal(r);
  return 0;
}
