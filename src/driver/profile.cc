#include "driver/profile.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <sstream>

#include "codegen/c_emitter.h"
#include "common/error.h"
#include "graph/stats.h"
#include "memory/plan_report.h"

namespace tinyfuse {
namespace {

namespace fs = std::filesystem;

// Owner numbers of the plugin's profile mode: glue first, then the kernels in order.
constexpr int kGlueOwner = 0;

// Whether `symbol` is function `name` or a clone gcc made of it ("name.constprop.0", "name.part.0", ...).
bool IsFunctionOrClone(const std::string& symbol, const std::string& name) {
  return symbol == name || (symbol.size() > name.size() && symbol.compare(0, name.size(), name) == 0 &&
                            symbol[name.size()] == '.');
}

// Adds the ranges of `name` (and its clones) for `owner`; returns their code bytes. Throws when none.
int64_t AddRanges(const CortexMProgram& program, const std::string& name, int owner,
                  std::vector<CortexMRange>* ranges) {
  int64_t bytes = 0;
  for (const CortexMFunction& f : program.functions) {
    if (!IsFunctionOrClone(f.name, name)) continue;
    ranges->push_back({f.address, f.address + f.size, owner});
    bytes += static_cast<int64_t>(f.size);
  }
  Check(bytes > 0, "profile: function " + name + " is not in the linked program (inlined or removed?)");
  return bytes;
}

std::string ShapeText(const std::vector<int32_t>& shape) {
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "x" : "") + std::to_string(shape[i]);
  return s.empty() ? "scalar" : s;
}

// The output shape of the kernel's last op (what the kernel writes), and the MACs of all its ops.
void Describe(const Graph& g, const GraphStats& stats, const loop::Kernel& k, KernelProfile* row) {
  row->name = k.func.name;
  row->chain = k.group.empty() ? k.func.name : k.group;
  for (int op : k.ops) row->macs += stats.ops[static_cast<size_t>(op)].macs;
  if (k.ops.empty()) return;
  const Op& last = g.ops[static_cast<size_t>(k.ops.back())];
  for (size_t i = 0; i < last.outputs.size(); ++i) {
    row->shapes += (i ? ", " : "") + ShapeText(g.tensors[static_cast<size_t>(last.outputs[i])].shape);
  }
}

std::string Percent(uint64_t part, uint64_t whole) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0);
  return buf;
}

std::string PerMac(uint64_t instructions, int64_t macs) {
  if (macs <= 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", static_cast<double>(instructions) / static_cast<double>(macs));
  return buf;
}

std::string CountsJson(const CortexMOwnerCounts& c) {
  std::ostringstream os;
  os << "\"instructions\": " << c.instructions << ", \"load_store\": " << c.load_store
     << ", \"multiply\": " << c.multiply << ", \"divide\": " << c.divide << ", \"branch\": " << c.branch
     << ", \"taken_branch\": " << c.taken_branch << ", \"cycles_estimate\": " << c.cycles_estimate;
  return os.str();
}

}  // namespace

ModelProfile ProfileOnCortexM(const Graph& g, const CompiledModel& m, const std::vector<std::vector<uint8_t>>& inputs,
                              const CortexMOptions& options) {
  std::string why;
  // Not inside Check's argument list: the message must be built after `why` is filled.
  const bool available = CortexMToolchainAvailable(&why);
  Check(available, "profile on " + options.cpu + " needs the Arm toolchain and QEMU: " + why);
  CortexMBoardFor(options.cpu);
  struct TempDir {
    fs::path path;
    ~TempDir() {
      std::error_code ignored;
      fs::remove_all(path, ignored);
    }
  } gen{fs::temp_directory_path() / ("tinyfuse-profile-" + std::to_string(::getpid()))};
  fs::create_directories(gen.path);
  codegen::WriteGeneratedC(m.c, gen.path.string());
  const CortexMModel model = CortexMModel::Build(gen.path.string(), m.c.prefix, options);
  return ProfileBuiltModel(g, m, model, inputs);
}

ModelProfile ProfileBuiltModel(const Graph& g, const CompiledModel& m, const CortexMModel& model,
                               const std::vector<std::vector<uint8_t>>& inputs) {
  ModelProfile p;
  p.cpu = model.program().cpu;
  std::vector<CortexMRange> ranges;
  p.glue_code_bytes = AddRanges(model.program(), m.c.prefix + "_invoke", kGlueOwner, &ranges);
  const GraphStats stats = ComputeStats(g);
  for (size_t i = 0; i < m.lowered.kernels.size(); ++i) {
    KernelProfile row;
    Describe(g, stats, m.lowered.kernels[i], &row);
    row.code_bytes = AddRanges(model.program(), m.c.prefix + "_" + row.name, static_cast<int>(i) + 1, &ranges);
    p.kernels.push_back(row);
  }
  const CortexMResult r = model.Run(inputs, ranges);
  Check(r.owners.size() <= p.kernels.size() + 1, "profile: the plugin reported more owners than kernels");
  std::vector<CortexMOwnerCounts> owners = r.owners;
  owners.resize(p.kernels.size() + 1);  // trailing kernels that ran nothing (none expected) count 0
  p.glue = owners[kGlueOwner];
  for (size_t i = 0; i < p.kernels.size(); ++i) p.kernels[i].counts = owners[i + 1];
  p.instructions = r.instructions;
  for (const CortexMOwnerCounts& o : owners) p.cycles_estimate += o.cycles_estimate;
  p.macs = stats.total_macs;
  return p;
}

std::string ProfileTable(const ModelProfile& p) {
  std::ostringstream os;
  char line[512];
  std::snprintf(line, sizeof line, "%3s  %-28s %-16s %12s %12s %8s %7s %14s %8s  %s\n", "#", "kernel", "output",
                "MACs", "instr", "instr/MAC", "share", "est. cycles", "code B", "op chain");
  os << line;
  auto row = [&](const std::string& idx, const std::string& name, const std::string& shapes, int64_t macs,
                 const CortexMOwnerCounts& c, int64_t code, const std::string& chain) {
    std::snprintf(line, sizeof line, "%3s  %-28s %-16s %12lld %12llu %8s %7s %14llu %8lld  %s\n", idx.c_str(),
                  name.c_str(), shapes.c_str(), static_cast<long long>(macs),
                  static_cast<unsigned long long>(c.instructions), PerMac(c.instructions, macs).c_str(),
                  Percent(c.instructions, p.instructions).c_str(), static_cast<unsigned long long>(c.cycles_estimate),
                  static_cast<long long>(code), chain.c_str());
    os << line;
  };
  for (size_t i = 0; i < p.kernels.size(); ++i) {
    const KernelProfile& k = p.kernels[i];
    row(std::to_string(i), k.name, k.shapes, k.macs, k.counts, k.code_bytes, k.chain);
  }
  row("-", "(glue: invoke + call)", "", 0, p.glue, p.glue_code_bytes, "");
  int64_t code = p.glue_code_bytes;
  for (const KernelProfile& k : p.kernels) code += k.code_bytes;
  CortexMOwnerCounts total;
  total.instructions = p.instructions;
  total.cycles_estimate = p.cycles_estimate;
  row("", "total", "", p.macs, total, code, "");
  os << p.cpu << ": instructions are exact (QEMU TCG plugin); est. cycles is an ESTIMATE from the Cortex-M4 TRM "
     << "instruction timing table (zero wait states, taken branch 1+P with P=2).\n";
  return os.str();
}

std::string ProfileJson(const ModelProfile& p) {
  std::ostringstream os;
  os << "{\"target\": " << memory::JsonQuote(p.cpu) << ", \"cycles_are_estimates\": true, \"kernels\": [";
  for (size_t i = 0; i < p.kernels.size(); ++i) {
    const KernelProfile& k = p.kernels[i];
    os << (i ? ", " : "") << "{\"index\": " << i << ", \"name\": " << memory::JsonQuote(k.name)
       << ", \"op_chain\": " << memory::JsonQuote(k.chain) << ", \"shapes\": " << memory::JsonQuote(k.shapes)
       << ", \"macs\": " << k.macs << ", " << CountsJson(k.counts) << ", \"code_bytes\": " << k.code_bytes << "}";
  }
  os << "], \"glue\": {" << CountsJson(p.glue) << ", \"code_bytes\": " << p.glue_code_bytes << "}";
  os << ", \"total\": {\"instructions\": " << p.instructions << ", \"cycles_estimate\": " << p.cycles_estimate
     << ", \"macs\": " << p.macs << "}}";
  return os.str();
}

}  // namespace tinyfuse
