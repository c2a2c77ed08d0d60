#include "driver/bench.h"

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "codegen/host_runner.h"
#include "common/error.h"
#include "driver/compile.h"
#include "driver/cortex_m.h"
#include "driver/goldens.h"
#include "driver/io.h"
#include "driver/pipeline.h"
#include "memory/floor.h"
#include "memory/graph_schedule.h"

namespace tinyfuse {

namespace {

using Table = std::map<std::string, std::map<std::string, std::string>>;  // row key -> column -> value

// Reads a TSV whose first line names the columns; rows are keyed by the first column (and, when
// `second_key` is set, "first/second").
Table ReadTsv(const std::string& path, bool second_key = false) {
  Table t;
  std::ifstream f(path);
  if (!f) return t;
  std::string line;
  std::vector<std::string> cols;
  auto split = [](const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string cell;
    while (std::getline(ss, cell, '\t')) out.push_back(cell);
    return out;
  };
  if (std::getline(f, line)) cols = split(line);
  while (std::getline(f, line)) {
    const auto cells = split(line);
    if (cells.size() < 2) continue;
    const std::string key = second_key ? cells[0] + "/" + cells[1] : cells[0];
    for (size_t i = 0; i < cells.size() && i < cols.size(); ++i) t[key][cols[i]] = cells[i];
  }
  return t;
}

// A model of either corpus with the files of its case in1 (the benchmark's input).
struct BenchModel {
  std::string name;
  std::string path;                       // the .tflite
  std::vector<std::string> inputs, outputs;  // case in1's files, absolute
};

// Every model of both corpora (the breadth corpus when present), or those named by --model.
std::vector<BenchModel> ModelsOf(const BenchOptions& o) {
  const std::string manifest = GoldenManifestPath(o.shared_dir);
  Check(std::filesystem::exists(manifest), "bench needs the shared corpus: " + manifest + " is missing (--shared DIR)");
  std::vector<BenchModel> models;
  for (GoldenCorpus corpus : {GoldenCorpus::kClassifier, GoldenCorpus::kBreadth}) {
    if (corpus == GoldenCorpus::kBreadth && !std::filesystem::exists(GoldenManifestPath(o.shared_dir, corpus))) break;
    const std::string dir = GoldenDir(o.shared_dir, corpus);
    for (const auto& [model, cases] : ReadGoldenManifest(o.shared_dir, corpus)) {
      if (!o.models.empty() && std::find(o.models.begin(), o.models.end(), model) == o.models.end()) continue;
      BenchModel b{model, GoldenModelPath(o.shared_dir, corpus, model), {}, {}};
      const GoldenCase* in1 = &cases.front();
      for (const GoldenCase& c : cases) in1 = c.name == "in1" ? &c : in1;
      for (const std::string& f : in1->inputs) b.inputs.push_back(dir + "/" + f);
      for (const std::string& f : in1->outputs) b.outputs.push_back(dir + "/" + f);
      models.push_back(std::move(b));
    }
  }
  return models;
}

// Compiles `bm`, or prints one line saying why it does not compile and returns false.
bool TryCompile(const BenchModel& bm, const CompileOptions& co, CompiledModel* c) {
  try {
    *c = Compile(LoadModel(bm.path), co);
    return true;
  } catch (const Error& e) {
    std::printf("%-36s does not compile: %s\n", bm.name.c_str(), e.what());
    return false;
  }
}

std::vector<std::vector<uint8_t>> ReadAll(const std::vector<std::string>& files) {
  std::vector<std::vector<uint8_t>> bytes;
  for (const std::string& f : files) bytes.push_back(ReadFileBytes(f));
  return bytes;
}

double ToDouble(const std::map<std::string, std::string>& row, const std::string& col) {
  auto it = row.find(col);
  return it == row.end() || it->second.empty() ? 0.0 : std::atof(it->second.c_str());
}

std::string Ratio(double ours, double theirs) {
  if (ours <= 0 || theirs <= 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2fx", ours / theirs);
  return buf;
}

// Runs `cmd` under callgrind, counting only inside `function`; returns the instruction total.
uint64_t Callgrind(const std::string& cmd, const std::string& function, const std::string& work) {
  const std::string out = work + "/callgrind.out";
  const std::string full = "valgrind --tool=callgrind --callgrind-out-file=" + out + " '--toggle-collect=" + function +
                           "' " + cmd + " > " + work + "/callgrind.log 2>&1";
  const int status = std::system(full.c_str());
  Check(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
        "callgrind failed (is valgrind installed?): see " + work + "/callgrind.log");
  std::ifstream f(out);
  std::string line;
  uint64_t total = 0;
  while (std::getline(f, line)) {
    if (line.rfind("totals:", 0) == 0 || line.rfind("summary:", 0) == 0) {
      total = std::strtoull(line.c_str() + line.find(':') + 1, nullptr, 10);
    }
  }
  return total;
}

}  // namespace

void BenchMemory(const BenchOptions& o) {
  const Table tflm = ReadTsv(o.shared_dir + "/anchors/tflm_x86.tsv");
  std::printf("%-36s %12s %12s %12s %12s %9s %12s %14s %10s  %s\n", "model", "raw floor", "fused floor",
              "arena none", "arena auto", "in place", "planner", "tflm planned", "arena/tflm", "every planner (auto)");
  for (const BenchModel& bm : ModelsOf(o)) {
    const std::string& m = bm.name;
    CompiledModel c;
    if (!TryCompile(bm, CompileOptions{}, &c)) continue;
    const Graph g = LoadModel(bm.path);
    const int64_t raw_floor = memory::ComputeFloor(memory::BuildGraphSchedule(g)).bytes;
    CompileOptions none;
    none.in_place = InPlaceMode::kNone;
    const int64_t arena_none = Compile(g, none).plan.total;
    std::string all;
    for (const memory::PlannerResult& r : c.plan.tried) {
      all += std::string(memory::PlannerKindName(r.kind)) + "=" + std::to_string(r.total) + " ";
    }
    // outputs written in place / kernels switched to their in-place variant
    const std::string in_place = std::to_string(c.in_place_outputs) + "/" + std::to_string(c.in_place_variants.size());
    const double planned = tflm.count(m) ? ToDouble(tflm.at(m), "tflm_planned_bytes") : 0;
    std::printf("%-36s %12lld %12lld %12lld %12lld %9s %12s %14s %10s  %s\n", m.c_str(),
                static_cast<long long>(raw_floor), static_cast<long long>(c.plan.floor_bytes),
                static_cast<long long>(arena_none), static_cast<long long>(c.plan.total), in_place.c_str(),
                memory::PlannerKindName(c.plan.planner), planned > 0 ? std::to_string(static_cast<long long>(planned)).c_str() : "-",
                Ratio(static_cast<double>(c.plan.total), planned).c_str(), all.c_str());
    std::fflush(stdout);
  }
}

void BenchHost(const BenchOptions& o) {
  const Table tflm = ReadTsv(o.shared_dir + "/anchors/tflm_x86.tsv");
  std::printf("instructions per inference on x86-64 (callgrind; generated C with cc -O2; input in1)\n");
  std::printf("%-36s %14s %14s %14s %14s %9s %9s %7s\n", "model", "tinyfuse C", "interpreter", "tflm ref",
              "tflm cmsis-nn", "C/ref", "C/cmsis", "golden");
  for (const BenchModel& bm : ModelsOf(o)) {
    const std::string& m = bm.name;
    CompileOptions co;
    co.prefix = "bench";
    CompiledModel c;
    if (!TryCompile(bm, co, &c)) continue;
    codegen::HostCompileOptions ho;
    ho.keep_dir = true;
    const codegen::HostProgram prog = codegen::HostProgram::Build(c.c, ho);
    const bool golden = prog.Run(ReadAll(bm.inputs)) == ReadAll(bm.outputs);
    std::string in_args, out_args, run_args;  // the golden inputs, scratch outputs: the program's and `run`'s
    for (size_t k = 0; k < bm.inputs.size(); ++k) {
      in_args += " " + bm.inputs[k];
      run_args += " -i " + bm.inputs[k];
    }
    for (size_t k = 0; k < bm.outputs.size(); ++k) {
      out_args += " " + prog.dir() + "/bench_out" + std::to_string(k) + ".bin";
      run_args += " -o " + prog.dir() + "/interp_out" + std::to_string(k) + ".bin";
    }
    const uint64_t ours = Callgrind(prog.dir() + "/model" + in_args + out_args, "bench_invoke", prog.dir());
    uint64_t interp = 0;
    if (!o.skip_interpreter && !o.self_exe.empty()) {
      interp = Callgrind(o.self_exe + " run " + bm.path + run_args, "tinyfuse::Interpreter::Invoke()", prog.dir());
    }
    std::filesystem::remove_all(prog.dir());
    const auto row = tflm.count(m) ? tflm.at(m) : std::map<std::string, std::string>{};
    const double ref = ToDouble(row, "instr_per_inference_tflm_ref");
    const double cmsis = ToDouble(row, "instr_per_inference_tflm_cmsis_nn_portable");
    std::printf("%-36s %14llu %14s %14s %14s %9s %9s %7s\n", m.c_str(), static_cast<unsigned long long>(ours),
                interp ? std::to_string(interp).c_str() : "-", ref > 0 ? std::to_string(static_cast<long long>(ref)).c_str() : "-",
                cmsis > 0 ? std::to_string(static_cast<long long>(cmsis)).c_str() : "-",
                Ratio(static_cast<double>(ours), ref).c_str(), Ratio(static_cast<double>(ours), cmsis).c_str(),
                golden ? "same" : "DIFF");
    std::fflush(stdout);
  }
}

void BenchCortexM(const BenchOptions& o, const std::string& cpu) {
  std::string why;
  Check(CortexMToolchainAvailable(&why), "bench " + cpu + " needs the Arm toolchain and QEMU: " + why);
  const Table tflm = ReadTsv(o.shared_dir + "/anchors/tflm_" + std::string(cpu == "cortex-m4" ? "cortex_m4" : cpu) + ".tsv", true);
  std::printf("%s under QEMU -icount (exact guest instructions per inference; input in1)\n", cpu.c_str());
  std::printf("%-36s %14s %10s %10s %9s %9s %10s %10s %7s\n", "model", "instructions", "flash", "RAM", "vs ref",
              "vs cmsis", "RAM/ref", "flash/ref", "golden");
  for (const BenchModel& bm : ModelsOf(o)) {
    const std::string& m = bm.name;
    CompileOptions co;
    co.prefix = "bench";
    co.dsp = DspOfTarget(cpu);
    CompiledModel c;
    if (!TryCompile(bm, co, &c)) continue;
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("tinyfuse-bench-" + m);
    std::filesystem::create_directories(dir);
    codegen::WriteGeneratedC(c.c, dir.string());
    CortexMOptions opt;
    opt.cpu = cpu;
    std::string cell_instr, cell_flash, cell_ram, golden = "-";
    CortexMResult r;
    try {
      r = RunOnCortexM(dir.string(), "bench", ReadAll(bm.inputs), opt);
      golden = r.outputs == ReadAll(bm.outputs) ? "same" : "DIFF";
    } catch (const Error& e) {
      std::printf("%-36s does not run: %s\n", m.c_str(), e.what());
      std::filesystem::remove_all(dir);
      continue;
    }
    std::filesystem::remove_all(dir);
    const auto ref = tflm.count(m + "/ref") ? tflm.at(m + "/ref") : std::map<std::string, std::string>{};
    const auto cmsis = tflm.count(m + "/cmsis_nn") ? tflm.at(m + "/cmsis_nn") : std::map<std::string, std::string>{};
    // TFLite Micro's ram_bytes excludes the stack: compare like with like.
    const double ram_no_stack = static_cast<double>(r.ram_bytes - r.stack_bytes);
    std::printf("%-36s %14llu %10lld %10lld %9s %9s %10s %10s %7s\n", m.c_str(),
                static_cast<unsigned long long>(r.instructions), static_cast<long long>(r.flash_bytes),
                static_cast<long long>(r.ram_bytes), Ratio(static_cast<double>(r.instructions), ToDouble(ref, "instr_per_inference")).c_str(),
                Ratio(static_cast<double>(r.instructions), ToDouble(cmsis, "instr_per_inference")).c_str(),
                Ratio(ram_no_stack, ToDouble(ref, "ram_bytes")).c_str(),
                Ratio(static_cast<double>(r.flash_bytes), ToDouble(ref, "flash_bytes")).c_str(), golden.c_str());
    std::fflush(stdout);
  }
}

}  // namespace tinyfuse
