#include "loop/partition_loops.h"

#include <set>
#include <vector>

#include "loop/visitor.h"

namespace tinyfuse::loop {

bool ProvablyTrue(const Expr& cond, const VarRanges& vars) {
  int64_t v = 0;
  if (IsConst(cond, &v)) return v != 0;
  const BinaryNode* n = As<BinaryNode>(cond);
  if (!n) return false;
  if (n->op == BinaryOp::kAnd) return ProvablyTrue(n->a, vars) && ProvablyTrue(n->b, vars);
  if (n->op == BinaryOp::kOr) return ProvablyTrue(n->a, vars) || ProvablyTrue(n->b, vars);
  if (!IsComparison(n->op) || IsFloat(n->a->type)) return false;
  const Interval a = EvalInterval(n->a, vars), b = EvalInterval(n->b, vars);
  switch (n->op) {
    case BinaryOp::kLt: return a.hi < b.lo;
    case BinaryOp::kLe: return a.hi <= b.lo;
    case BinaryOp::kGt: return a.lo > b.hi;
    case BinaryOp::kGe: return a.lo >= b.hi;
    case BinaryOp::kEq: return a.lo == a.hi && b.lo == b.hi && a.lo == b.lo;
    case BinaryOp::kNe: return a.hi < b.lo || a.lo > b.hi;
    default: return false;
  }
}

bool ProvablyFalse(const Expr& cond, const VarRanges& vars) {
  int64_t v = 0;
  if (IsConst(cond, &v)) return v == 0;
  const BinaryNode* n = As<BinaryNode>(cond);
  if (!n) return false;
  if (n->op == BinaryOp::kAnd) return ProvablyFalse(n->a, vars) || ProvablyFalse(n->b, vars);
  if (n->op == BinaryOp::kOr) return ProvablyFalse(n->a, vars) && ProvablyFalse(n->b, vars);
  if (!IsComparison(n->op) || IsFloat(n->a->type)) return false;
  const Interval a = EvalInterval(n->a, vars), b = EvalInterval(n->b, vars);
  switch (n->op) {
    case BinaryOp::kLt: return a.lo >= b.hi;
    case BinaryOp::kLe: return a.lo > b.hi;
    case BinaryOp::kGt: return a.hi <= b.lo;
    case BinaryOp::kGe: return a.hi < b.lo;
    case BinaryOp::kEq: return a.hi < b.lo || a.lo > b.hi;
    case BinaryOp::kNe: return a.lo == a.hi && b.lo == b.hi && a.lo == b.lo;
    default: return false;
  }
}

namespace {

// Whether `e` reads any variable of `vars`.
bool Mentions(const Expr& e, const std::set<const VarNode*>& vars) {
  struct Finder : IRVisitor {
    const std::set<const VarNode*>* vars;
    bool found = false;
    void VisitExpr(const Expr& x) override {
      if (const VarNode* v = As<VarNode>(x); v && vars->count(v)) found = true;
      IRVisitor::VisitExpr(x);
    }
  } f;
  f.vars = &vars;
  f.VisitExpr(e);
  return f.found;
}

class Partitioner {
 public:
  // The rewritten statement, or null when nothing is left of it.
  Stmt Visit(const Stmt& s) {
    if (!s) return nullptr;
    switch (s->kind) {
      case StmtKind::kFor: return VisitFor(As<ForNode>(s));
      case StmtKind::kAllocate: {
        const AllocateNode* n = As<AllocateNode>(s);
        Stmt body = Visit(n->body);
        return body ? Allocate(n->buffer, body) : nullptr;
      }
      case StmtKind::kStore: return s;
      case StmtKind::kIfThenElse: {
        const IfThenElseNode* n = As<IfThenElseNode>(s);
        if (ProvablyTrue(n->cond, ranges_)) return Visit(n->then_case);
        if (ProvablyFalse(n->cond, ranges_)) return Visit(n->else_case);
        const VarRanges saved = ranges_;
        RefineWithCondition(n->cond, &ranges_);
        Stmt then_case = Visit(n->then_case);
        ranges_ = saved;
        Stmt else_case = Visit(n->else_case);
        if (!then_case && !else_case) return nullptr;
        if (!then_case) return IfThenElse(Not(n->cond), else_case);
        return IfThenElse(n->cond, then_case, else_case);
      }
      case StmtKind::kLetStmt: {
        const LetStmtNode* n = As<LetStmtNode>(s);
        ranges_[n->var.get()] = EvalInterval(n->value, ranges_);
        Stmt body = Visit(n->body);
        ranges_.erase(n->var.get());
        return body ? LetStmt(n->var, n->value, body) : nullptr;
      }
      case StmtKind::kSeq: {
        std::vector<Stmt> out;
        for (const Stmt& c : As<SeqNode>(s)->stmts) {
          if (Stmt r = Visit(c)) out.push_back(r);
        }
        return out.empty() ? nullptr : Seq(out);
      }
    }
    return s;
  }

 private:
  Stmt VisitFor(const ForNode* n) {
    int64_t mn = 0, ext = 0;
    const Var& v = n->var;
    if (!partition_ || !IsConst(n->min, &mn) || !IsConst(n->extent, &ext) || ext < 2 ||
        !GuardsOn(v.get(), n->body)) {
      const Interval m = EvalInterval(n->min, ranges_), e = EvalInterval(n->extent, ranges_);
      ranges_[v.get()] = {m.lo, m.hi + e.hi - 1};
      Stmt body = Visit(n->body);
      ranges_.erase(v.get());
      return body ? For(v, n->min, n->extent, body, n->for_kind) : nullptr;
    }
    // The values of v at which every test depending on v is provably true.
    int64_t lo = -1, hi = -1;
    bool contiguous = true;
    for (int64_t t = mn; t < mn + ext; ++t) {
      ranges_[v.get()] = {t, t};
      std::set<const VarNode*> tainted = {v.get()};
      const bool ok = AllTrue(n->body, &tainted);
      if (ok) {
        if (lo < 0) {
          lo = t;
        } else if (hi != t - 1) {
          contiguous = false;
        }
        hi = t;
      }
    }
    std::vector<std::pair<int64_t, int64_t>> parts;  // [begin, end)
    if (lo < 0 || !contiguous || (lo == mn && hi == mn + ext - 1)) {
      parts.push_back({mn, mn + ext});  // nothing to split (the tests may still go, see Visit)
    } else {
      if (lo > mn) parts.push_back({mn, lo});
      parts.push_back({lo, hi + 1});
      if (hi + 1 < mn + ext) parts.push_back({hi + 1, mn + ext});
    }
    std::vector<Stmt> loops;
    for (const auto& [b, e] : parts) {
      ranges_[v.get()] = {b, e - 1};
      const bool saved = partition_;
      partition_ = partition_ && (parts.size() == 1 || b == lo);  // border copies are not split further
      if (Stmt body = Visit(n->body)) loops.push_back(For(v, Imm(b), Imm(e - b), body, n->for_kind));
      partition_ = saved;
    }
    ranges_.erase(v.get());
    return loops.empty() ? nullptr : Seq(loops);
  }

  // Whether `body` has an if whose condition depends on v (directly or through lets).
  bool GuardsOn(const VarNode* v, const Stmt& body) {
    std::set<const VarNode*> tainted = {v};
    return HasTaintedIf(body, &tainted);
  }
  bool HasTaintedIf(const Stmt& s, std::set<const VarNode*>* tainted) {
    if (!s) return false;
    switch (s->kind) {
      case StmtKind::kFor: return HasTaintedIf(As<ForNode>(s)->body, tainted);
      case StmtKind::kAllocate: return HasTaintedIf(As<AllocateNode>(s)->body, tainted);
      case StmtKind::kStore: return false;
      case StmtKind::kIfThenElse: {
        const IfThenElseNode* n = As<IfThenElseNode>(s);
        return Mentions(n->cond, *tainted) || HasTaintedIf(n->then_case, tainted) || HasTaintedIf(n->else_case, tainted);
      }
      case StmtKind::kLetStmt: {
        const LetStmtNode* n = As<LetStmtNode>(s);
        if (Mentions(n->value, *tainted)) tainted->insert(n->var.get());
        return HasTaintedIf(n->body, tainted);
      }
      case StmtKind::kSeq:
        for (const Stmt& c : As<SeqNode>(s)->stmts) {
          if (HasTaintedIf(c, tainted)) return true;
        }
        return false;
    }
    return false;
  }

  // Whether every test in `s` that depends on a tainted variable is provably true (with ranges_).
  bool AllTrue(const Stmt& s, std::set<const VarNode*>* tainted) {
    if (!s) return true;
    switch (s->kind) {
      case StmtKind::kFor: {
        const ForNode* n = As<ForNode>(s);
        const Interval m = EvalInterval(n->min, ranges_), e = EvalInterval(n->extent, ranges_);
        if (Mentions(n->min, *tainted) || Mentions(n->extent, *tainted)) tainted->insert(n->var.get());
        ranges_[n->var.get()] = {m.lo, m.hi + e.hi - 1};
        const bool ok = AllTrue(n->body, tainted);
        ranges_.erase(n->var.get());
        return ok;
      }
      case StmtKind::kAllocate: return AllTrue(As<AllocateNode>(s)->body, tainted);
      case StmtKind::kStore: return true;
      case StmtKind::kIfThenElse: {
        const IfThenElseNode* n = As<IfThenElseNode>(s);
        if (Mentions(n->cond, *tainted) && !ProvablyTrue(n->cond, ranges_)) return false;
        const VarRanges saved = ranges_;
        RefineWithCondition(n->cond, &ranges_);
        const bool ok = AllTrue(n->then_case, tainted);
        ranges_ = saved;
        return ok && AllTrue(n->else_case, tainted);
      }
      case StmtKind::kLetStmt: {
        const LetStmtNode* n = As<LetStmtNode>(s);
        if (Mentions(n->value, *tainted)) tainted->insert(n->var.get());
        ranges_[n->var.get()] = EvalInterval(n->value, ranges_);
        const bool ok = AllTrue(n->body, tainted);
        ranges_.erase(n->var.get());
        return ok;
      }
      case StmtKind::kSeq:
        for (const Stmt& c : As<SeqNode>(s)->stmts) {
          if (!AllTrue(c, tainted)) return false;
        }
        return true;
    }
    return true;
  }

  VarRanges ranges_;
  bool partition_ = true;
};

}  // namespace

PrimFunc PartitionLoops(const PrimFunc& f) {
  PrimFunc out = f;
  out.body = Partitioner().Visit(f.body);
  if (!out.body) out.body = Seq({});
  return out;
}

}  // namespace tinyfuse::loop
