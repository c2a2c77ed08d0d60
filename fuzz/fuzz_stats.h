// Stage counters shared by the two fuzz targets: counted per input, printed when the fuzzer exits (libFuzzer
// calls exit() at the end of -runs / -max_total_time), and also written to $TINYFUSE_FUZZ_STATS when set,
// adding up the counts of earlier processes kept beside it ($TINYFUSE_FUZZ_STATS.counts) for -fork runs.
#pragma once

#include "pipeline_runner.h"

namespace tinyfuse::fuzz {

// The process-wide counters; the first call registers the at-exit report titled `title`.
PipelineStats& GlobalStats(const char* title);

}  // namespace tinyfuse::fuzz
