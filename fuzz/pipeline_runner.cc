#include "pipeline_runner.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <utility>
#include <vector>

#include "codegen/arena_layout.h"
#include "codegen/c_emitter.h"
#include "common/error.h"
#include "driver/compile.h"
#include "graph/printer.h"
#include "graph/stats.h"
#include "graph/verifier.h"
#include "interp/interpreter.h"
#include "loop/lower.h"
#include "memory/plan_arena.h"
#include "tflite/importer.h"

namespace tinyfuse::fuzz {

namespace {

constexpr int64_t kSaturate = std::numeric_limits<int64_t>::max() / 4;

int64_t Mul(int64_t a, int64_t b) {
  if (a <= 0 || b <= 0) return 0;
  return a > kSaturate / b ? kSaturate : a * b;
}

int64_t Elements(const Tensor& t) {
  int64_t n = 1;
  for (int32_t d : t.shape) n = Mul(n, d);
  return t.shape.empty() ? 1 : n;
}

std::vector<uint8_t> InputBytes(const Tensor& t, size_t index) {
  std::vector<uint8_t> b(static_cast<size_t>(t.byte_size()));
  for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<uint8_t>(i * 29 + index * 101 + 7);
  return b;
}

void Interpret(const Graph& g, Arith arith) {
  Interpreter interp(g, arith);
  const std::vector<std::vector<uint8_t>> inputs = DeterministicInputs(g);
  for (size_t i = 0; i < inputs.size(); ++i) interp.SetInput(static_cast<int>(i), inputs[i]);
  interp.Invoke();
  for (size_t i = 0; i < g.outputs.size(); ++i) {
    const std::vector<uint8_t>& out = interp.Output(static_cast<int>(i));
    if (static_cast<int64_t>(out.size()) != g.tensor(g.outputs[i]).byte_size()) {
      std::fprintf(stderr, "fuzz: output %zu has %zu bytes, its tensor %lld\n", i, out.size(),
                   static_cast<long long>(g.tensor(g.outputs[i]).byte_size()));
      __builtin_trap();
    }
  }
}

bool IsInternal(const Error& e) {
  const std::string msg = e.what();
  if (msg.find("internal:") == std::string::npos) return false;
  static const std::vector<std::string> ignored = [] {
    std::vector<std::string> v;
    const char* env = std::getenv("TINYFUSE_FUZZ_IGNORE");
    std::string rest = env == nullptr ? "" : env;
    while (!rest.empty()) {
      const size_t bar = rest.find('|');
      v.push_back(rest.substr(0, bar));
      rest = bar == std::string::npos ? "" : rest.substr(bar + 1);
    }
    return v;
  }();
  for (const std::string& fragment : ignored) {
    if (!fragment.empty() && msg.find(fragment) != std::string::npos) return false;
  }
  return true;
}

std::string FoldDigits(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (out.empty() || out.back() != '#') out += '#';
    } else {
      out += c;
    }
  }
  return out.size() > 160 ? out.substr(0, 160) + "..." : out;
}

}  // namespace

std::vector<std::vector<uint8_t>> DeterministicInputs(const Graph& g) {
  std::vector<std::vector<uint8_t>> inputs;
  for (size_t i = 0; i < g.inputs.size(); ++i) inputs.push_back(InputBytes(g.tensor(g.inputs[i]), i));
  return inputs;
}

void CrashOnInternal(const RunResult& r) {
  if (r.internal.empty()) return;
  std::fprintf(stderr, "fuzz: internal error: %s\n", r.internal.c_str());
  __builtin_trap();
}

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kWriterError:
      return "writer refused the mutated model";
    case Outcome::kFlatbufferRejected:
      return "rejected by the flatbuffer reader";
    case Outcome::kImportError:
      return "importer error";
    case Outcome::kVerifyError:
      return "graph verifier error";
    case Outcome::kInterpError:
      return "verified, interpreter error";
    case Outcome::kLowerError:
      return "verified, lowering error";
    case Outcome::kPlanError:
      return "verified, arena planning error";
    case Outcome::kEmitError:
      return "verified, C emitter error";
    case Outcome::kEmitted:
      return "code emitted";
    case Outcome::kNumOutcomes:
      break;
  }
  return "?";
}

int64_t RunWork(const Graph& g) {
  int64_t work = 0;
  for (const Op& op : g.ops) {
    const int64_t out = op.outputs.empty() ? 0 : Elements(g.tensor(op.outputs[0]));
    const int64_t in = op.inputs.empty() || op.inputs[0] < 0 ? 0 : Elements(g.tensor(op.inputs[0]));
    int64_t w = out + in;
    if (op.kind == OpKind::kConv2D || op.kind == OpKind::kDepthwiseConv2D || op.kind == OpKind::kFullyConnected) {
      const Tensor& weights = g.tensor(op.inputs[1]);
      const int64_t per_output =
          Elements(weights) / std::max<int64_t>(1, weights.dim(op.kind == OpKind::kDepthwiseConv2D ? 3 : 0));
      w = Mul(out, per_output);
    } else if (const auto* p = std::get_if<Pool2DAttrs>(&op.attrs)) {
      w = Mul(out, Mul(p->filter_h, p->filter_w));
    } else if (op.kind == OpKind::kSoftmax) {
      w = Mul(in, 4);
    }
    work = std::min(kSaturate, work + std::max<int64_t>(w, out));
  }
  return work;
}

RunResult RunVerifiedGraph(const Graph& g, bool flip_arith) {
  RunResult r;
  r.outcome = Outcome::kEmitted;
  const GraphStats stats = ComputeStats(g);
  (void)StatsJson(g, stats);
  (void)PrintGraph(g);
  Arith arith = ChooseArith(g);
  if (flip_arith) arith = arith == Arith::kTflm ? Arith::kTflite : Arith::kTflm;

  int64_t activation_bytes = 0;
  for (const Tensor& t : g.tensors)
    activation_bytes = std::min(kSaturate, activation_bytes + (t.is_const ? 0 : t.byte_size()));
  if (RunWork(g) <= kMaxRunWork && activation_bytes <= kMaxRunBytes) {
    try {
      Interpret(g, arith);
      r.interpreted = true;
    } catch (const Error& e) {
      if (IsInternal(e)) r.internal = e.what();
      r.outcome = Outcome::kInterpError;
      r.error = e.what();
    }
  }
  Outcome stage = Outcome::kLowerError;
  try {
    // The stages of driver/compile.h's Compile, one at a time to tell where a run stopped.
    const loop::LoweredModel m = loop::LowerGraph(g, arith);
    (void)loop::PrintLoweredModel(m);
    stage = Outcome::kPlanError;
    const memory::Schedule schedule = ScheduleOfLowered(g, m);
    const memory::ArenaPlan plan = memory::PlanArena(schedule);
    stage = Outcome::kEmitError;
    const codegen::ArenaLayout layout = LayoutFromPlan(m, schedule, plan);
    const codegen::GeneratedC c = codegen::EmitC(m, layout, "fz");
    if (c.header.empty() || c.source.empty()) {
      std::fprintf(stderr, "fuzz: the emitter returned an empty file\n");
      __builtin_trap();
    }
  } catch (const Error& e) {
    if (IsInternal(e)) r.internal = e.what();
    if (r.outcome == Outcome::kEmitted) {
      r.outcome = stage;
      r.error = e.what();
    }
  }
  return r;
}

RunResult RunModelFile(const std::vector<uint8_t>& file, bool flip_arith) {
  RawModel raw;
  try {
    raw = ReadRawModel(file.data(), file.size());
  } catch (const Error& e) {
    return RunResult{Outcome::kFlatbufferRejected, false, e.what(), {}};
  }
  Graph g;
  try {
    g = ImportRawModel(std::move(raw));
  } catch (const Error& e) {
    return RunResult{Outcome::kImportError, false, e.what(), {}};
  }
  (void)PrintGraph(g);  // documented to work on unverified graphs
  try {
    VerifyGraph(g);
  } catch (const Error& e) {
    return RunResult{Outcome::kVerifyError, false, e.what(), {}};
  }
  return RunVerifiedGraph(g, flip_arith);
}

void PipelineStats::Add(const RunResult& r) {
  ++total_;
  ++counts_[static_cast<int>(r.outcome)];
  if (r.interpreted) ++interpreted_;
  if (r.outcome >= Outcome::kInterpError && r.outcome < Outcome::kEmitted) ++late_errors_[FoldDigits(r.error)];
  if (r.outcome == Outcome::kImportError || r.outcome == Outcome::kVerifyError) {
    ++early_errors_[FoldDigits(r.error)];
  }
}

std::string PipelineStats::Serialize() const {
  std::string s;
  for (int o = 0; o < static_cast<int>(Outcome::kNumOutcomes); ++o) {
    s += "outcome " + std::to_string(o) + " " + std::to_string(counts_[o]) + "\n";
  }
  s += "interpreted " + std::to_string(interpreted_) + "\n";
  // Messages are one line (FoldDigits keeps them short; a newline in one would only split it).
  for (const auto& [msg, n] : late_errors_) s += "late " + std::to_string(n) + " " + msg + "\n";
  for (const auto& [msg, n] : early_errors_) s += "early " + std::to_string(n) + " " + msg + "\n";
  return s;
}

void PipelineStats::Merge(const std::string& serialized) {
  size_t pos = 0;
  while (pos < serialized.size()) {
    size_t end = serialized.find('\n', pos);
    if (end == std::string::npos) end = serialized.size();
    const std::string line = serialized.substr(pos, end - pos);
    pos = end + 1;
    const size_t a = line.find(' ');
    if (a == std::string::npos) continue;
    const std::string key = line.substr(0, a);
    const size_t b = line.find(' ', a + 1);
    const std::string first = line.substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1);
    const std::string rest = b == std::string::npos ? "" : line.substr(b + 1);
    const long long x = std::strtoll(first.c_str(), nullptr, 10);
    if (key == "outcome" && x >= 0 && x < static_cast<int>(Outcome::kNumOutcomes)) {
      const long long n = std::strtoll(rest.c_str(), nullptr, 10);
      counts_[x] += n;
      total_ += n;
    } else if (key == "interpreted") {
      interpreted_ += x;
    } else if (key == "late") {
      late_errors_[rest] += x;
    } else if (key == "early") {
      early_errors_[rest] += x;
    }
  }
}

std::string PipelineStats::Report(const std::string& title) const {
  std::string s;
  char line[512];
  auto pct = [this](int64_t n) {
    return total_ == 0 ? 0.0 : 100.0 * static_cast<double>(n) / static_cast<double>(total_);
  };
  std::snprintf(line, sizeof line, "%s: %lld inputs\n", title.c_str(), static_cast<long long>(total_));
  s += line;
  int64_t verified = 0;
  for (int o = 0; o < static_cast<int>(Outcome::kNumOutcomes); ++o) {
    if (o >= static_cast<int>(Outcome::kInterpError)) verified += counts_[o];
    std::snprintf(line, sizeof line, "  %-36s %10lld  %6.2f%%\n", OutcomeName(static_cast<Outcome>(o)),
                  static_cast<long long>(counts_[o]), pct(counts_[o]));
    s += line;
  }
  std::snprintf(line, sizeof line, "  %-36s %10lld  %6.2f%%\n  %-36s %10lld  %6.2f%%\n", "passed VerifyGraph",
                static_cast<long long>(verified), pct(verified), "interpreted (small models)",
                static_cast<long long>(interpreted_), pct(interpreted_));
  s += line;
  auto top = [&s, &line](const std::map<std::string, int64_t>& errors, const char* heading, size_t count) {
    std::vector<std::pair<int64_t, std::string>> sorted;
    for (const auto& [msg, n] : errors) sorted.emplace_back(n, msg);
    std::sort(sorted.rbegin(), sorted.rend());
    if (!sorted.empty()) s += heading;
    for (size_t i = 0; i < sorted.size() && i < count; ++i) {
      std::snprintf(line, sizeof line, "    %8lld  %s\n", static_cast<long long>(sorted[i].first),
                    sorted[i].second.c_str());
      s += line;
    }
  };
  top(late_errors_, "  errors after VerifyGraph passed (digits folded to #):\n", 12);
  top(early_errors_, "  most common importer and verifier errors:\n", 6);
  return s;
}

}  // namespace tinyfuse::fuzz
