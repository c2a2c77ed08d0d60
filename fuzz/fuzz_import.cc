// libFuzzer target: arbitrary bytes as a .tflite file, through the importer, the graph verifier, the
// printers and stats, and (when the bytes happen to be a valid model) the interpreter, lowering, arena
// planning and the C emitter (pipeline_runner.h). Only tinyfuse::Error may be thrown, and it is caught.
// Seed corpus: the writer's models (fuzz_tool seeds). See docs/FUZZING.md.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz_stats.h"
#include "pipeline_runner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using tinyfuse::fuzz::GlobalStats;
  const std::vector<uint8_t> file(data, data + size);
  // The last bit of the size picks the arithmetic flavour, so both are reached from the same corpus.
  const tinyfuse::fuzz::RunResult r = tinyfuse::fuzz::RunModelFile(file, (size & 1) != 0);
  GlobalStats("fuzz_import").Add(r);
  tinyfuse::fuzz::CrashOnInternal(r);
  return 0;
}
