// The one lowering of the data-movement family (graph/prepare/move.h): each part of a move step becomes one
// loop nest. The outer loops run over the leading walk axes; their source coordinates are let-bound where
// the axis is padded (`before <= o < before + size` tested once per row, on the loop variable itself, so a
// schedule pass can split the loop there) or loaded from a compile-time table (nearest resize). The last
// axis is three plain runs: the leading pad elements, the moved input row, the trailing pad elements (one
// run of pad elements for a row outside the input). No per-element test, no workspace. A chained QUANTIZE
// runs its epilogue on the moved and the pad elements alike.
#include <algorithm>
#include <string>
#include <vector>

#include "common/error.h"
#include "loop/lower_util.h"

namespace tinyfuse::loop::lowering {

namespace {

// The element `x` (of dtype `dtype`) as the group's output: unchanged, or through the epilogue of a
// chained QUANTIZE.
Expr Moved(GroupLowerer& l, const Expr& x, DType dtype, const Expr& channel) {
  if (l.group().chained_anchor < 0) return x;
  return l.Epilogue({Cast(ScalarType::kInt32, x), DTypeRange(dtype)}, channel);
}

// for (j = 0; j < extent; ++j) body(j); nothing when extent is 0.
template <typename Body>
Stmt Run(const std::string& name, int64_t extent, Body body) {
  if (extent <= 0) return nullptr;
  const Dim d = MakeDim(name, extent);
  return Nest({d}, body(d.index));
}

// base + x * stride, with nothing added for a zero stride.
Expr Offset(const Expr& base, const Expr& x, int64_t stride) {
  return stride == 0 ? base : Add(base, Mul(x, Imm(stride)));
}

std::string Ints(const std::vector<int32_t>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s;
}

}  // namespace

Stmt MoveNest(GroupLowerer& l, MoveMap m, const Buffer& in, const Buffer& out, const std::string& tag) {
  if (m.axes.empty()) m.axes.push_back(MoveAxis{});  // a scalar: one element
  const size_t last = m.axes.size() - 1;
  std::vector<Dim> dims;
  std::vector<std::pair<Var, Expr>> lets;  // per padded leading axis: source coordinate = o - before
  Expr in_row = Imm(m.in_offset), out_row = Imm(m.out_offset), inside;
  for (size_t k = 0; k < last; ++k) {
    const MoveAxis& a = m.axes[k];
    const Dim d = MakeDim("o" + std::to_string(k), a.extent);
    dims.push_back(d);
    out_row = Offset(out_row, d.index, a.out_stride);
    Expr src = d.index;
    if (!a.table.empty()) {
      src = Load(l.Table(tag + "src" + std::to_string(k), ScalarType::kInt32, a.table), d.index);
    } else if (a.padded()) {
      const Var i = MakeVar("i" + std::to_string(k));
      lets.emplace_back(i, Sub(d.index, Imm(a.before)));
      src = i;
      if (a.before > 0) inside = And(inside, Le(Imm(a.before), d.index));
      if (a.before + a.size < a.extent) inside = And(inside, Lt(d.index, Imm(a.before + a.size)));
    }
    in_row = Offset(in_row, src, a.in_stride);
  }
  const MoveAxis& a = m.axes[last];
  const ScalarType t = ToScalar(m.dtype);
  auto store = [&](const Expr& j, const Expr& x) {
    return Store(out, Offset(out_row, j, a.out_stride), Moved(l, x, m.dtype, j));
  };
  auto pad_at = [&](const Expr& j) { return store(j, Imm(m.pad_value, t)); };
  Stmt row;
  if (!a.table.empty()) {
    const Buffer table = l.Table(tag + "src" + std::to_string(last), ScalarType::kInt32, a.table);
    row = Run("j", a.extent,
              [&](const Expr& j) { return store(j, Load(in, Offset(in_row, Load(table, j), a.in_stride))); });
  } else {
    const int64_t copied = std::min<int64_t>(a.size, a.extent - a.before);
    row = Seq({
        Run("j", a.before, pad_at),
        Run("j", copied,
            [&](const Expr& j) { return store(Add(j, Imm(a.before)), Load(in, Offset(in_row, j, a.in_stride))); }),
        Run("j", a.extent - a.before - copied, [&](const Expr& j) { return pad_at(Add(j, Imm(a.before + copied))); }),
    });
  }
  for (auto it = lets.rbegin(); it != lets.rend(); ++it) row = LetStmt(it->first, it->second, row);
  const Stmt body = inside ? IfThenElse(inside, row, Run("j", a.extent, pad_at)) : row;
  return Nest(dims, body);
}

Kernel LowerMove(GroupLowerer& l) {
  const passes::Step& s = l.anchor();
  const Buffer out = l.Output();
  switch (s.kind) {
    case passes::StepKind::kTranspose: {
      const TransposeParams& p = std::get<TransposeParams>(s.attrs);
      return l.Finish(MoveNest(l, TransposeMap(p), l.Input(s.inputs[0], "input"), out, ""), "perm " + Ints(p.perm));
    }
    case passes::StepKind::kPad:
      return l.Finish(MoveNest(l, PadMap(std::get<PadParams>(s.attrs)), l.Input(s.inputs[0], "input"), out, ""), "");
    case passes::StepKind::kMove: {
      const passes::MoveParams& p = std::get<passes::MoveParams>(s.attrs);
      Check(p.parts.size() == s.inputs.size(), "lowering: a move step needs one map per input");
      std::vector<Stmt> nests;
      for (size_t i = 0; i < p.parts.size(); ++i) {
        const std::string n = p.parts.size() == 1 ? "" : std::to_string(i);
        const int id = s.inputs[i];
        const Buffer in = l.graph().tensor(id).is_const ? l.Constant(id, "const" + n) : l.Input(id, "input" + n);
        nests.push_back(MoveNest(l, p.parts[i], in, out, n.empty() ? "" : "p" + n + "_"));
      }
      return l.Finish(Seq(nests), p.label);
    }
    default: break;
  }
  throw Error(std::string("lowering: ") + passes::StepKindName(s.kind) + " is not a move");
}

}  // namespace tinyfuse::loop::lowering
