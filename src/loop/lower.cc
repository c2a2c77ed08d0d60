#include "loop/lower.h"

#include <algorithm>
#include <sstream>

#include "common/error.h"
#include "loop/lower_util.h"
#include "loop/verifier.h"
#include "loop/printer.h"
#include "loop/schedule.h"
#include "loop/workspace.h"

namespace tinyfuse::loop {

namespace {

Kernel LowerGroup(const passes::FusedGraph& f, const passes::FusedGroup& g, bool in_place) {
  lowering::GroupLowerer l(f, g);
  if (in_place) {
    Check(HasInPlaceVariant(f, g), "lowering: the group has no in-place variant");
    return lowering::LowerDepthwiseConv2D(l, true);
  }
  switch (l.anchor().kind) {
    case passes::StepKind::kConv2DAcc: return lowering::LowerConv2D(l);
    case passes::StepKind::kDepthwiseConv2DAcc: return lowering::LowerDepthwiseConv2D(l);
    case passes::StepKind::kFullyConnectedAcc: return lowering::LowerFullyConnected(l);
    case passes::StepKind::kAveragePool:
    case passes::StepKind::kMaxPool: return lowering::LowerPool(l);
    case passes::StepKind::kAddRescaled: return lowering::LowerAdd(l);
    case passes::StepKind::kElementwiseRead: return lowering::LowerElementwise(l);
    case passes::StepKind::kQuantizeFloat: return lowering::LowerQuantizeFloat(l);
    case passes::StepKind::kSoftmax: return lowering::LowerSoftmax(l);
    case passes::StepKind::kReduceSum:
    case passes::StepKind::kReduceMax:
    case passes::StepKind::kReduceMin: return lowering::LowerReduce(l);
    case passes::StepKind::kArgMinMax: return lowering::LowerArgMinMax(l);
    case passes::StepKind::kResizeBilinear: return lowering::LowerResizeBilinear(l);
    case passes::StepKind::kTranspose:
    case passes::StepKind::kPad:
    case passes::StepKind::kMove: return lowering::LowerMove(l);
    case passes::StepKind::kBinary: return lowering::LowerBinary(l);
    default: break;
  }
  throw Error(std::string("lowering: no lowering for anchor ") + passes::StepKindName(l.anchor().kind));
}

IoTensor MakeIo(const Graph& g, int id) {
  const Tensor& t = g.tensor(id);
  IoTensor io;
  io.tensor_id = id;
  io.name = t.name;
  io.dtype = t.dtype;
  io.shape = t.shape;
  io.scale = t.quant.scale.empty() ? 0.0f : t.quant.scale[0];
  io.zero_point = t.quant.zp();
  io.bytes = t.byte_size();
  return io;
}

}  // namespace

bool HasInPlaceVariant(const passes::FusedGraph& f, const passes::FusedGroup& group) {
  const passes::Step& anchor = f.canonical.steps.at(static_cast<size_t>(group.anchor));
  if (anchor.kind != passes::StepKind::kDepthwiseConv2DAcc) return false;
  const DepthwiseConvParams& p = std::get<passes::DepthwiseAccAttrs>(anchor.attrs).params;
  return p.depth_multiplier == 1 && p.window.batches == 1;
}

Kernel LowerKernel(const passes::FusedGraph& f, int group_index, const LowerOptions& options, bool in_place) {
  const passes::FusedGroup& group = f.groups.at(static_cast<size_t>(group_index));
  try {
    Kernel k = LowerGroup(f, group, in_place);
    if (options.schedule) {
      k.func = RunSchedule(k.func, SchedulePasses(options.dsp), options.after_pass);
      k.workspace_bytes = AnalyzeWorkspace(k.func).scratch_bytes;
    }
    return k;
  } catch (const Error& e) {
    const Graph& g = *f.canonical.graph;
    const Op& op = g.ops[static_cast<size_t>(f.canonical.steps[static_cast<size_t>(group.anchor)].op)];
    throw Error(std::string(OpName(op.kind)) + " #" + std::to_string(group.ops.front()) + ": " + e.what());
  }
}

LoweredModel LowerFused(const passes::FusedGraph& f, const LowerOptions& options) {
  const Graph& g = *f.canonical.graph;
  LoweredModel m;
  m.arith = f.canonical.arith;
  m.alias_of = f.alias_of;
  for (const passes::Step& s : f.canonical.steps) {
    if (s.kind != passes::StepKind::kReshape || !m.alias_of.count(s.output)) continue;
    const Op& op = g.ops[static_cast<size_t>(s.op)];
    m.view_op[s.output] = std::string(OpName(op.kind)) + " #" + std::to_string(s.op);
  }
  for (size_t i = 0; i < f.groups.size(); ++i) m.kernels.push_back(LowerKernel(f, static_cast<int>(i), options));
  for (int id : g.inputs) m.inputs.push_back(MakeIo(g, id));
  for (int id : g.outputs) m.outputs.push_back(MakeIo(g, id));
  auto note = [&](int tensor) {
    const int s = m.StorageOf(tensor);
    m.storage_bytes[s] = g.tensor(s).byte_size();
  };
  for (const Kernel& k : m.kernels) {
    for (const Buffer& b : k.func.params) note(b->tensor_id);
  }
  for (const IoTensor& t : m.inputs) note(t.tensor_id);
  for (const IoTensor& t : m.outputs) note(t.tensor_id);
  return m;
}

LoweredModel LowerGraph(const Graph& g, Arith arith, const LowerOptions& options) {
  return LowerFused(passes::Fuse(passes::Canonicalize(g, arith)), options);
}

int KernelOfOp(const LoweredModel& m, int op) {
  for (size_t i = 0; i < m.kernels.size(); ++i) {
    const std::vector<int>& ops = m.kernels[i].ops;
    if (std::find(ops.begin(), ops.end(), op) != ops.end()) return static_cast<int>(i);
  }
  return -1;
}

std::string PrintKernel(const Kernel& k) {
  const KernelWorkspace w = AnalyzeWorkspace(k.func);
  std::ostringstream os;
  os << "// " << k.group << "\n";
  os << "// workspace: " << w.scratch_bytes << " bytes (" << w.scalars << " scalar"
     << (w.scalars == 1 ? "" : "s") << " in registers); arena: " << w.input_bytes << " bytes in, "
     << w.output_bytes << " bytes out\n";
  os << PrintPrimFunc(k.func);
  return os.str();
}

std::string PrintLoweredModel(const LoweredModel& m) {
  std::ostringstream os;
  for (size_t i = 0; i < m.kernels.size(); ++i) os << (i ? "\n" : "") << PrintKernel(m.kernels[i]);
  for (const auto& [alias, storage] : m.alias_of) {
    os << "// alias: tensor " << alias << " is tensor " << storage;
    auto it = m.view_op.find(alias);
    if (it != m.view_op.end()) os << " (" << it->second << " is a view: no copy, no loop)";
    os << "\n";
  }
  return os.str();
}

}  // namespace tinyfuse::loop
