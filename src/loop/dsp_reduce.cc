#include "loop/dsp_reduce.h"

#include <optional>
#include <set>
#include <vector>

#include "loop/affine.h"
#include "loop/dsp_operands.h"
#include "loop/mutator.h"

namespace tinyfuse::loop {

using dsp::Operand;
using dsp::PairLoader;
using dsp::ParseUpdate;
using dsp::Update;

Stmt VectorizeReduction(const ForNode* n) {
  int64_t mn = 0, ext = 0;
  if (!IsConst(n->min, &mn) || !IsConst(n->extent, &ext) || ext < 4) return nullptr;
  std::vector<Stmt> stmts;
  if (const SeqNode* seq = As<SeqNode>(n->body)) {
    stmts = seq->stmts;
  } else {
    stmts = {n->body};
  }
  std::vector<Update> updates;
  std::set<const BufferNode*> accs;
  for (const Stmt& s : stmts) {
    std::optional<Update> u = ParseUpdate(s, n->var.get());
    if (!u || !accs.insert(u->acc.get()).second) return nullptr;
    updates.push_back(*u);
  }
  // The group loop: u4 over [0, ext / 4); the operands' bytes at v = mn + 4 * u4 + 0..3.
  const Var u4 = MakeVar(n->var->name_hint + "4");
  Substitution at;
  at.vars[n->var.get()] = Add(Mul(u4, Imm(4)), Imm(mn));
  PairLoader pairs;
  std::vector<Stmt> body;
  for (const Update& u : updates) {
    const auto [a02, a13] = pairs.Of(u.a, at.E(u.a.index));
    const auto [b02, b13] = pairs.Of(u.b, at.E(u.b.index));
    const Expr acc = Load(u.acc, Imm(0));
    body.push_back(Store(u.acc, Imm(0), Call(Intrinsic::kSmlad, {a02, b02, Call(Intrinsic::kSmlad, {a13, b13, acc})})));
  }
  const int64_t groups = ext / 4, rest = ext % 4;
  std::vector<Stmt> out = {For(u4, Imm(0), Imm(groups), pairs.Wrap(Seq(body)))};
  if (rest > 0) out.push_back(For(n->var, Imm(mn + 4 * groups), Imm(rest), n->body, n->for_kind));
  return Seq(out);
}

// A loop `for o { let ... { for i { updates } } }` whose updates read their operands at indices where one
// step of o moves as far as extent(i) steps of i (a tap row of a conv: the input columns and channels,
// and the filter's, are one contiguous run) becomes one loop over extent(o) * extent(i) consecutive
// indices, with the lets substituted; so a short channel reduction (3 for an RGB input) vectorizes as
// one longer run. Null when the pattern does not hold. Same products in the same accumulators; only the
// order of the int32 adds changes (exact, see register_block.h).
Stmt CollapseTapRun(const ForNode* n) {
  int64_t omin = 0, oext = 0;
  if (!IsConst(n->min, &omin) || !IsConst(n->extent, &oext)) return nullptr;
  Substitution lets;
  Stmt body = n->body;
  while (const LetStmtNode* let = As<LetStmtNode>(body)) {
    lets.vars[let->var.get()] = lets.E(let->value);
    lets.Changed();
    body = let->body;
  }
  const ForNode* inner = As<ForNode>(body);
  int64_t imin = 0, iext = 0;
  if (!inner || !IsConst(inner->min, &imin) || !IsConst(inner->extent, &iext) || iext % 4 == 0) return nullptr;
  const Stmt updates = lets.S(inner->body);
  const SeqNode* seq = As<SeqNode>(updates);
  const std::vector<Stmt> stmts = seq ? seq->stmts : std::vector<Stmt>{updates};
  for (const Stmt& st : stmts) {
    const std::optional<Update> u = ParseUpdate(st, inner->var.get());
    if (!u) return nullptr;
    for (const Operand* o : {&u->a, &u->b}) {
      const std::optional<Affine> f = AffineOf(o->index);
      if (!f) return nullptr;
      if (f->Coef(inner->var.get()) != 1 || f->Coef(n->var.get()) != iext) return nullptr;
    }
  }
  const Var t = MakeVar(inner->var->name_hint);
  Substitution flat;
  flat.vars[n->var.get()] = Imm(omin);
  flat.vars[inner->var.get()] = imin == 0 ? Expr(t) : Add(t, Imm(imin));
  return For(t, Imm(0), Imm(oext * iext), flat.S(updates), inner->for_kind);
}

}  // namespace tinyfuse::loop
