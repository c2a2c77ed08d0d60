// One model file through every stage of tinyfuse, as the fuzz targets and the regression tests run it:
//   read + import (tflite/) -> VerifyGraph -> ComputeStats, PrintGraph, StatsJson
//   -> interpreter on a deterministic input (only when the model is small: see kMaxRunWork)
//   -> lower (canonicalize, fuse, loop IR) -> plan the arena (memory/) -> emit C (codegen/).
// Only tinyfuse::Error is caught, and it only ends the run: anything else (another exception, a signal,
// a sanitizer report) is a bug, found by letting it escape. An Error whose message says "internal:" is a
// broken invariant, not a bad model: RunResult::internal marks it, and the fuzz targets crash on it.
// While a known one waits for its fix, $TINYFUSE_FUZZ_IGNORE (fragments separated by '|') lets matching
// messages pass, so that fuzzing can go on past it.
//
// Every run is counted by the stage where it stopped; PipelineStats prints the shares (fuzz.sh shows
// them) and the most common messages of errors raised AFTER VerifyGraph passed, which are either
// legitimate limits of a later stage or holes in the verifier's promise ("after it passes, the
// interpreter, Prepare and the lowering may index every tensor without further checks").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "graph/graph.h"

namespace tinyfuse::fuzz {

// Interpreter work budget (multiply-accumulates, taps and element visits) and activation bytes above
// which a verified model is not run: the point is to reach the kernels, not to spend seconds per input.
constexpr int64_t kMaxRunWork = int64_t{1} << 21;
constexpr int64_t kMaxRunBytes = int64_t{1} << 22;

enum class Outcome : uint8_t {
  kWriterError,         // the writer refused the mutated RawModel (a value the format cannot hold)
  kFlatbufferRejected,  // ReadRawModel: size, identifier or flatbuffers verification
  kImportError,         // ImportRawModel
  kVerifyError,         // VerifyGraph
  kInterpError,         // verified, then the interpreter (or its Prepare) threw
  kLowerError,          // verified, then lowering threw
  kPlanError,           // lowered, then arena planning threw
  kEmitError,           // planned, then the C emitter threw
  kEmitted,             // C code emitted
  kNumOutcomes
};
const char* OutcomeName(Outcome o);

struct RunResult {
  Outcome outcome = Outcome::kImportError;
  bool interpreted = false;  // the interpreter ran to the end (small models only)
  std::string error;         // the Error's message when the run stopped at one
  std::string internal;      // the message of an "internal:" error (not ignored), if one was raised: a bug
};

// For the fuzz targets: reports r's internal error on stderr and crashes, if it has one.
void CrashOnInternal(const RunResult& r);

// Runs `file` (a .tflite image) through the stages. `flip_arith` uses the other arithmetic flavour than
// ChooseArith picks.
RunResult RunModelFile(const std::vector<uint8_t>& file, bool flip_arith);
// Same, from the stage after verification, for a graph already verified.
RunResult RunVerifiedGraph(const Graph& g, bool flip_arith);

// The deterministic bytes every run feeds the model: one vector per graph input.
std::vector<std::vector<uint8_t>> DeterministicInputs(const Graph& g);

// Rough interpreter cost of a verified graph: MACs, pooling taps and element visits, saturating.
int64_t RunWork(const Graph& g);

class PipelineStats {
 public:
  void Add(const RunResult& r);
  void AddWriterError() { Add(RunResult{Outcome::kWriterError, false, {}, {}}); }
  // A table of shares and the top messages after verification.
  std::string Report(const std::string& title) const;
  int64_t total() const { return total_; }
  // Counts as text lines ("outcome I N", "interpreted N", "late N MESSAGE", "early N MESSAGE") and back,
  // so that the processes of a libFuzzer -fork run add up into one report.
  std::string Serialize() const;
  void Merge(const std::string& serialized);

 private:
  int64_t total_ = 0;
  int64_t counts_[static_cast<int>(Outcome::kNumOutcomes)] = {};
  int64_t interpreted_ = 0;
  std::map<std::string, int64_t> late_errors_;   // message with digits folded -> count
  std::map<std::string, int64_t> early_errors_;  // the same for importer and verifier errors
};

}  // namespace tinyfuse::fuzz
