#include "driver/bench.h"

#include <sys/wait.h>

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

std::vector<std::string> ModelsOf(const BenchOptions& o) {
  const std::string manifest = GoldenManifestPath(o.shared_dir);
  Check(std::filesystem::exists(manifest), "bench needs the shared corpus: " + manifest + " is missing (--shared DIR)");
  if (!o.models.empty()) return o.models;
  std::vector<std::string> models;
  for (const auto& [model, cases] : ReadGoldenManifest(o.shared_dir)) models.push_back(model);
  return models;
}

std::string ModelPath(const BenchOptions& o, const std::string& m) { return o.shared_dir + "/models/" + m + ".tflite"; }
std::vector<uint8_t> GoldenIn(const BenchOptions& o, const std::string& m) {
  return ReadFileBytes(o.shared_dir + "/goldens/" + m + "/in1.bin");
}
std::vector<uint8_t> GoldenOut(const BenchOptions& o, const std::string& m) {
  return ReadFileBytes(o.shared_dir + "/goldens/" + m + "/out1.bin");
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
  for (const std::string& m : ModelsOf(o)) {
    const Graph g = LoadModel(ModelPath(o, m));
    const int64_t raw_floor = memory::ComputeFloor(memory::BuildGraphSchedule(g)).bytes;
    CompileOptions none;
    none.in_place = InPlaceMode::kNone;
    const int64_t arena_none = Compile(g, none).plan.total;
    const CompiledModel c = Compile(g, CompileOptions{});
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
  for (const std::string& m : ModelsOf(o)) {
    const Graph g = LoadModel(ModelPath(o, m));
    CompileOptions co;
    co.prefix = "bench";
    const CompiledModel c = Compile(g, co);
    codegen::HostCompileOptions ho;
    ho.keep_dir = true;
    const codegen::HostProgram prog = codegen::HostProgram::Build(c.c, ho);
    const std::vector<uint8_t> in = GoldenIn(o, m);
    const bool golden = prog.Run({in}).at(0) == GoldenOut(o, m);
    WriteFileAtomic(prog.dir() + "/bench_in.bin", in);
    const uint64_t ours = Callgrind(prog.dir() + "/model " + prog.dir() + "/bench_in.bin " + prog.dir() + "/bench_out.bin",
                                    "bench_invoke", prog.dir());
    uint64_t interp = 0;
    if (!o.skip_interpreter && !o.self_exe.empty()) {
      interp = Callgrind(o.self_exe + " run " + ModelPath(o, m) + " -i " + prog.dir() + "/bench_in.bin -o " +
                             prog.dir() + "/interp_out.bin",
                         "tinyfuse::Interpreter::Invoke()", prog.dir());
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
  for (const std::string& m : ModelsOf(o)) {
    const Graph g = LoadModel(ModelPath(o, m));
    CompileOptions co;
    co.prefix = "bench";
    co.dsp = DspOfTarget(cpu);
    const CompiledModel c = Compile(g, co);
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("tinyfuse-bench-" + m);
    std::filesystem::create_directories(dir);
    codegen::WriteGeneratedC(c.c, dir.string());
    CortexMOptions opt;
    opt.cpu = cpu;
    std::string cell_instr, cell_flash, cell_ram, golden = "-";
    CortexMResult r;
    try {
      r = RunOnCortexM(dir.string(), "bench", {GoldenIn(o, m)}, opt);
      golden = r.outputs.at(0) == GoldenOut(o, m) ? "same" : "DIFF";
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
