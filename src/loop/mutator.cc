#include "loop/mutator.h"

#include <vector>

#include "loop/visitor.h"

namespace tinyfuse::loop {

Expr IRMutator::Mutate(const Expr& e) {
  if (!e) return e;
  auto it = memo_.find(e.get());
  if (it != memo_.end()) return it->second;
  Expr r = MutateExprNode(Rebuild(e), e);
  memo_[e.get()] = r;
  return r;
}

Expr IRMutator::MutateExprNode(const Expr& e, const Expr& /*original*/) { return e; }

Expr IRMutator::MutateVar(const Expr& var) { return var; }

Expr IRMutator::Rebuild(const Expr& e) {
  switch (e->kind) {
    case ExprKind::kIntImm:
    case ExprKind::kFloatImm: return e;
    case ExprKind::kVar: return MutateVar(e);
    case ExprKind::kLoad: {
      const LoadNode* n = As<LoadNode>(e);
      const Buffer b = MutateBuffer(n->buffer);
      const Expr i = Mutate(n->index);
      return b == n->buffer && i == n->index ? e : Load(b, i);
    }
    case ExprKind::kBinary: {
      const BinaryNode* n = As<BinaryNode>(e);
      const Expr a = Mutate(n->a), b = Mutate(n->b);
      return a == n->a && b == n->b ? e : Binary(n->op, a, b);
    }
    case ExprKind::kNot: {
      const Expr a = Mutate(As<NotNode>(e)->a);
      return a == As<NotNode>(e)->a ? e : Not(a);
    }
    case ExprKind::kSelect: {
      const SelectNode* n = As<SelectNode>(e);
      const Expr c = Mutate(n->cond), t = Mutate(n->true_value), f = Mutate(n->false_value);
      return c == n->cond && t == n->true_value && f == n->false_value ? e : Select(c, t, f);
    }
    case ExprKind::kCast: {
      const CastNode* n = As<CastNode>(e);
      const Expr v = Mutate(n->value);
      return v == n->value ? e : Cast(n->type, v);
    }
    case ExprKind::kCall: {
      const CallNode* n = As<CallNode>(e);
      std::vector<Expr> args;
      bool same = true;
      for (const Expr& a : n->args) {
        args.push_back(Mutate(a));
        same = same && args.back() == a;
      }
      return same ? e : Call(n->op, args);
    }
  }
  return e;
}

Stmt IRMutator::Mutate(const Stmt& s) {
  if (!s) return s;
  switch (s->kind) {
    case StmtKind::kFor: return MutateFor(s, As<ForNode>(s));
    case StmtKind::kAllocate: return MutateAllocate(s, As<AllocateNode>(s));
    case StmtKind::kStore: return MutateStore(s, As<StoreNode>(s));
    case StmtKind::kIfThenElse: return MutateIfThenElse(s, As<IfThenElseNode>(s));
    case StmtKind::kLetStmt: return MutateLetStmt(s, As<LetStmtNode>(s));
    case StmtKind::kSeq: return MutateSeq(s, As<SeqNode>(s));
  }
  return s;
}

Stmt IRMutator::MutateFor(const Stmt& s, const ForNode* n) {
  const Var v = MutateBinding(n->var);
  const Expr mn = Mutate(n->min), ext = Mutate(n->extent);
  const Stmt body = Mutate(n->body);
  if (!body) return nullptr;
  if (v == n->var && mn == n->min && ext == n->extent && body == n->body) return s;
  return For(v, mn, ext, body, n->for_kind);
}

Stmt IRMutator::MutateAllocate(const Stmt& s, const AllocateNode* n) {
  const Buffer b = MutateBuffer(n->buffer);
  const Stmt body = Mutate(n->body);
  if (!body) return nullptr;
  return b == n->buffer && body == n->body ? s : Allocate(b, body);
}

Stmt IRMutator::MutateStore(const Stmt& s, const StoreNode* n) {
  const Buffer b = MutateBuffer(n->buffer);
  const Expr i = Mutate(n->index), v = Mutate(n->value);
  return b == n->buffer && i == n->index && v == n->value ? s : Store(b, i, v);
}

Stmt IRMutator::MutateIfThenElse(const Stmt& s, const IfThenElseNode* n) {
  const Expr c = Mutate(n->cond);
  const Stmt t = Mutate(n->then_case), e = Mutate(n->else_case);
  if (!t && !e) return nullptr;
  if (c == n->cond && t == n->then_case && e == n->else_case) return s;
  return IfThenElse(c, t, e);
}

Stmt IRMutator::MutateLetStmt(const Stmt& s, const LetStmtNode* n) {
  const Expr value = Mutate(n->value);
  const Var v = MutateBinding(n->var);
  const Stmt body = Mutate(n->body);
  if (!body) return nullptr;
  return v == n->var && value == n->value && body == n->body ? s : LetStmt(v, value, body);
}

Stmt IRMutator::MutateSeq(const Stmt& s, const SeqNode* n) {
  std::vector<Stmt> out;
  bool same = true;
  for (const Stmt& c : n->stmts) {
    Stmt r = Mutate(c);
    same = same && r == c;
    if (r) out.push_back(r);
  }
  if (same) return s;
  return out.empty() ? nullptr : Seq(out);
}

// ---------------------------------------------------------------------------------------------------

Expr Substitution::MutateVar(const Expr& var) {
  auto it = vars.find(As<VarNode>(var));
  return it == vars.end() ? var : it->second;
}

Buffer Substitution::MutateBuffer(const Buffer& b) {
  auto it = buffers.find(b.get());
  return it == buffers.end() ? b : it->second;
}

Var Substitution::MutateBinding(const Var& v) {
  auto it = vars.find(v.get());
  if (it == vars.end() || !As<VarNode>(it->second)) return v;
  return std::static_pointer_cast<const VarNode>(it->second);
}

bool Substitution::Touches(const Expr& e) const {
  struct Finder : IRVisitor {
    const Substitution* s = nullptr;
    bool found = false;
    void VisitExpr(const Expr& x) override {
      if (found) return;
      if (const VarNode* v = As<VarNode>(x); v && s->vars.count(v)) found = true;
      if (const LoadNode* l = As<LoadNode>(x); l && s->buffers.count(l->buffer.get())) found = true;
      IRVisitor::VisitExpr(x);
    }
  } f;
  f.s = this;
  f.VisitExpr(e);
  return f.found;
}

}  // namespace tinyfuse::loop
