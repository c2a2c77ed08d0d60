#include "graph/passes/fuse.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "common/error.h"

namespace tinyfuse::passes {

namespace {

std::string LowerCase(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

// The op's TFLite name in lower case, e.g. "leaky_relu": names the kernels of one-step families.
std::string OpShortName(const CanonicalGraph& c, const Step& s) {
  return LowerCase(OpName(c.graph->ops[static_cast<size_t>(s.op)].kind));
}

std::string ShortName(const CanonicalGraph& c, const Step& s) {
  switch (s.kind) {
    case StepKind::kConv2DAcc: return "conv2d";
    case StepKind::kDepthwiseConv2DAcc: return "dwconv2d";
    case StepKind::kFullyConnectedAcc: return "fc";
    case StepKind::kAveragePool: return "avgpool";
    case StepKind::kMaxPool: return "maxpool";
    case StepKind::kAddRescaled: return "add";
    case StepKind::kSoftmax: return "softmax";
    case StepKind::kReduceSum:
    case StepKind::kReduceMax:
    case StepKind::kReduceMin: return ReduceOpName(std::get<ReduceParams>(s.attrs).reduce);
    case StepKind::kArgMinMax: return std::get<ArgMinMaxParams>(s.attrs).is_max ? "argmax" : "argmin";
    case StepKind::kResizeBilinear: return "resize_bilinear";
    case StepKind::kElementwiseRead:
    case StepKind::kQuantizeFloat:
    case StepKind::kBinary: return OpShortName(c, s);
    case StepKind::kTranspose: return "transpose";
    case StepKind::kPad: return "pad";
    case StepKind::kMove: return "move";
    default: return "kernel";
  }
}

bool SingleReader(const CanonicalGraph& c, int value) {
  return c.Consumers(value).size() == 1 && !c.IsGraphOutput(value);
}

// Whether PAD step `pad` can fold into the conv-like anchor `anchor` (rule 3).
bool CanFoldPad(const CanonicalGraph& c, const Step& pad, const Step& anchor) {
  if (anchor.kind != StepKind::kConv2DAcc && anchor.kind != StepKind::kDepthwiseConv2DAcc) return false;
  if (!SingleReader(c, pad.output)) return false;
  const PadParams& p = std::get<PadParams>(pad.attrs);
  if (p.before.size() != 4 || p.before[0] || p.after[0] || p.before[3] || p.after[3]) return false;
  const int32_t zp_in = anchor.kind == StepKind::kConv2DAcc
                            ? std::get<ConvAccAttrs>(anchor.attrs).params.quant.input_zero_point
                            : std::get<DepthwiseAccAttrs>(anchor.attrs).params.quant.input_zero_point;
  return p.pad_value == zp_in;
}

}  // namespace

FusedGraph Fuse(CanonicalGraph c) {
  FusedGraph f;
  const int n = static_cast<int>(c.steps.size());
  // Rule 3 first: which PADs fold into which anchors.
  std::map<int, int> pad_of_anchor;  // anchor step -> pad step
  std::set<int> folded;
  for (int i = 0; i < n; ++i) {
    const Step& s = c.steps[static_cast<size_t>(i)];
    if (!IsAnchor(s.kind) || s.inputs.empty()) continue;
    const int p = c.Producer(s.inputs[0]);
    if (p >= 0 && c.steps[static_cast<size_t>(p)].kind == StepKind::kPad &&
        CanFoldPad(c, c.steps[static_cast<size_t>(p)], s)) {
      pad_of_anchor[i] = p;
      folded.insert(p);
    }
  }
  std::set<int> taken;
  for (int i = 0; i < n; ++i) {
    const Step& s = c.steps[static_cast<size_t>(i)];
    if (taken.count(i) || folded.count(i)) continue;
    if (s.kind == StepKind::kReshape) {
      const int src = s.inputs[0];
      f.alias_of[s.output] = f.alias_of.count(src) ? f.alias_of[src] : src;
      continue;
    }
    if (!IsAnchor(s.kind)) throw Error("fusion: step %" + std::to_string(s.output) + " has no anchor");
    FusedGroup g;
    g.anchor = i;
    auto it = pad_of_anchor.find(i);
    if (it != pad_of_anchor.end()) {
      g.folded_pad = it->second;
      g.steps.push_back(it->second);
    }
    g.steps.push_back(i);
    taken.insert(i);
    // Rule 2: the epilogue chain; rule 4: QUANTIZEs and unary table ops reading the result, each with its
    // own epilogue.
    int last = i;
    for (;;) {
      const int out = c.steps[static_cast<size_t>(last)].output;
      const std::vector<int> readers = c.Consumers(out);
      if (readers.size() != 1) break;
      const int next = readers[0];
      const Step& ns = c.steps[static_cast<size_t>(next)];
      if (c.value(out).tensor >= 0) {  // an 8-bit graph tensor: only a QUANTIZE may continue
        if (ns.kind != StepKind::kElementwiseRead || !SingleReader(c, out)) break;
        if (g.chained_anchor < 0) g.chained_anchor = next;
      } else if (IsAnchor(ns.kind)) {
        break;
      }
      g.steps.push_back(next);
      taken.insert(next);
      last = next;
    }
    // Ops, inputs, output, name.
    for (int step : g.steps) {
      const int op = c.steps[static_cast<size_t>(step)].op;
      if (std::find(g.ops.begin(), g.ops.end(), op) == g.ops.end()) g.ops.push_back(op);
    }
    const std::set<int> internal = [&] {
      std::set<int> v;
      for (int step : g.steps) v.insert(c.steps[static_cast<size_t>(step)].output);
      return v;
    }();
    for (int step : g.steps) {
      for (int in : c.steps[static_cast<size_t>(step)].inputs) {
        if (!internal.count(in) && std::find(g.inputs.begin(), g.inputs.end(), in) == g.inputs.end()) {
          g.inputs.push_back(in);
        }
      }
    }
    g.output = c.steps[static_cast<size_t>(last)].output;
    std::string name = g.folded_pad >= 0 ? "pad_" : "";
    name += ShortName(c, s);
    bool rq = false;
    for (int step : g.steps) {
      if (step == g.chained_anchor) break;
      rq = rq || c.steps[static_cast<size_t>(step)].kind == StepKind::kRequantize;
    }
    if (rq && s.kind != StepKind::kElementwiseRead && s.kind != StepKind::kAddRescaled &&
        s.kind != StepKind::kReduceSum && s.kind != StepKind::kBinary) {
      name += "_rq";
    }
    for (int step : g.steps) {
      const Step& st = c.steps[static_cast<size_t>(step)];
      if (step != i && st.kind == StepKind::kElementwiseRead) name += "_" + ShortName(c, st);
    }
    name += "_n" + std::to_string(s.op);
    const std::vector<int>& op_outputs = c.graph->ops[static_cast<size_t>(s.op)].outputs;
    if (op_outputs.size() > 1) {  // one group per output (SPLIT): name which one
      name += "_o" + std::to_string(std::find(op_outputs.begin(), op_outputs.end(), g.output) - op_outputs.begin());
    }
    g.name = name;
    f.groups.push_back(std::move(g));
  }
  f.canonical = std::move(c);
  VerifyFusedGraph(f);
  return f;
}

void VerifyFusedGraph(const FusedGraph& f) {
  const CanonicalGraph& c = f.canonical;
  auto fail = [](const std::string& what) { throw Error("fusion verifier: " + what); };
  std::vector<int> owner(c.steps.size(), -1);
  for (size_t gi = 0; gi < f.groups.size(); ++gi) {
    for (int s : f.groups[gi].steps) {
      if (s < 0 || static_cast<size_t>(s) >= c.steps.size()) fail("group " + f.groups[gi].name + " names no step");
      if (owner[static_cast<size_t>(s)] >= 0) fail("step %" + std::to_string(c.steps[static_cast<size_t>(s)].output) +
                                                   " is in two groups");
      owner[static_cast<size_t>(s)] = static_cast<int>(gi);
    }
  }
  for (size_t s = 0; s < c.steps.size(); ++s) {
    const bool reshape = c.steps[s].kind == StepKind::kReshape;
    if (reshape != (owner[s] < 0)) {
      fail("step %" + std::to_string(c.steps[s].output) + (reshape ? " (reshape) is in a group" : " is in no group"));
    }
  }
  std::set<int> written;
  for (int t : c.graph->inputs) written.insert(t);
  for (size_t t = 0; t < c.graph->tensors.size(); ++t) {
    if (c.graph->tensors[t].is_const) written.insert(static_cast<int>(t));
  }
  auto storage = [&](int t) {
    auto it = f.alias_of.find(t);
    return it == f.alias_of.end() ? t : it->second;
  };
  // Groups read and write 8-bit graph tensors, or float32 ones at the model's edges.
  const auto storable = [](const Value& v) {
    return v.tensor >= 0 && (v.dtype == DType::kInt8 || v.dtype == DType::kUInt8 || v.dtype == DType::kFloat32);
  };
  for (const FusedGroup& g : f.groups) {
    for (int in : g.inputs) {
      const Value& v = c.value(in);
      if (!storable(v)) fail("group " + g.name + " reads %" + std::to_string(in) + ", which is not an 8-bit graph tensor");
      if (!written.count(storage(in))) fail("group " + g.name + " reads %" + std::to_string(in) + " before it is written");
    }
    const Value& out = c.value(g.output);
    // arg_min_max writes indices (int32 or int64); every other group a storable tensor.
    const bool indices = c.steps[static_cast<size_t>(g.anchor)].kind == StepKind::kArgMinMax;
    const bool ok = indices ? out.tensor >= 0 && (out.dtype == DType::kInt32 || out.dtype == DType::kInt64)
                            : storable(out);
    if (!ok) {
      fail("group " + g.name + " writes %" + std::to_string(g.output) + ", which is not an " +
           (indices ? "index" : "8-bit") + " graph tensor");
    }
    written.insert(g.output);
    // Every int32 intermediate stays inside its group.
    for (int s : g.steps) {
      const int v = c.steps[static_cast<size_t>(s)].output;
      if (c.value(v).tensor >= 0) continue;
      for (int reader : c.Consumers(v)) {
        if (std::find(g.steps.begin(), g.steps.end(), reader) == g.steps.end()) {
          fail("int32 value %" + std::to_string(v) + " leaves group " + g.name);
        }
      }
    }
  }
}

std::string PrintFused(const FusedGraph& f) {
  const CanonicalGraph& c = f.canonical;
  std::ostringstream os;
  // Groups and aliases in step order.
  size_t next_group = 0;
  for (size_t s = 0; s < c.steps.size(); ++s) {
    const Step& step = c.steps[s];
    if (step.kind == StepKind::kReshape) {
      os << "alias %" << step.output << " = reshape(%" << step.inputs[0] << ")\n";
      continue;
    }
    if (next_group < f.groups.size() && f.groups[next_group].anchor == static_cast<int>(s)) {
      const FusedGroup& g = f.groups[next_group++];
      os << "kernel " << g.name << " (";
      for (size_t i = 0; i < g.ops.size(); ++i) {
        const Op& op = c.graph->ops[static_cast<size_t>(g.ops[i])];
        os << (i ? " + " : "") << OpName(op.kind) << " #" << g.ops[i];
      }
      os << "):";
      for (size_t i = 0; i < g.inputs.size(); ++i) os << (i ? ", " : " ") << "%" << g.inputs[i];
      os << " -> %" << g.output << "\n";
      for (int st : g.steps) os << "  " << PrintStep(c, c.steps[static_cast<size_t>(st)]) << "\n";
    }
  }
  return os.str();
}

}  // namespace tinyfuse::passes
