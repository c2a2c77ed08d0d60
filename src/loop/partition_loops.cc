#include "loop/partition_loops.h"

#include <set>
#include <utility>
#include <vector>

#include "loop/mutator.h"
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

// Whether a statement has an if whose condition depends on a tainted variable (directly or through lets).
class TaintedIfFinder : public IRVisitor {
 public:
  explicit TaintedIfFinder(std::set<const VarNode*> tainted) : tainted_(std::move(tainted)) {}
  bool found = false;

  void VisitStmt(const Stmt& s) override {
    if (!found) IRVisitor::VisitStmt(s);
  }

 protected:
  void VisitExpr(const Expr&) override {}
  void VisitIfThenElse(const IfThenElseNode* n) override {
    if (Mentions(n->cond, tainted_)) found = true;
    IRVisitor::VisitIfThenElse(n);
  }
  void VisitLetStmt(const LetStmtNode* n) override {
    if (Mentions(n->value, tainted_)) tainted_.insert(n->var.get());
    IRVisitor::VisitLetStmt(n);
  }

 private:
  std::set<const VarNode*> tainted_;
};

// Whether every test in a statement that depends on a tainted variable is provably true, given the ranges
// of the variables bound around it.
class AllTestsTrue : public IRVisitor {
 public:
  AllTestsTrue(VarRanges ranges, std::set<const VarNode*> tainted)
      : ranges_(std::move(ranges)), tainted_(std::move(tainted)) {}
  bool ok = true;

  void VisitStmt(const Stmt& s) override {
    if (ok) IRVisitor::VisitStmt(s);
  }

 protected:
  void VisitExpr(const Expr&) override {}
  void VisitFor(const ForNode* n) override {
    const Interval m = EvalInterval(n->min, ranges_), e = EvalInterval(n->extent, ranges_);
    if (Mentions(n->min, tainted_) || Mentions(n->extent, tainted_)) tainted_.insert(n->var.get());
    ranges_[n->var.get()] = {m.lo, m.hi + e.hi - 1};
    VisitStmt(n->body);
    ranges_.erase(n->var.get());
  }
  void VisitIfThenElse(const IfThenElseNode* n) override {
    if (Mentions(n->cond, tainted_) && !ProvablyTrue(n->cond, ranges_)) {
      ok = false;
      return;
    }
    const VarRanges saved = ranges_;
    RefineWithCondition(n->cond, &ranges_);
    VisitStmt(n->then_case);
    ranges_ = saved;
    VisitStmt(n->else_case);
  }
  void VisitLetStmt(const LetStmtNode* n) override {
    if (Mentions(n->value, tainted_)) tainted_.insert(n->var.get());
    ranges_[n->var.get()] = EvalInterval(n->value, ranges_);
    VisitStmt(n->body);
    ranges_.erase(n->var.get());
  }

 private:
  VarRanges ranges_;
  std::set<const VarNode*> tainted_;
};

// The pass. A statement mutates to null when nothing is left of it.
class Partitioner : public IRMutator {
 protected:
  Stmt MutateIfThenElse(const Stmt&, const IfThenElseNode* n) override {
    if (ProvablyTrue(n->cond, ranges_)) return Mutate(n->then_case);
    if (ProvablyFalse(n->cond, ranges_)) return Mutate(n->else_case);
    const VarRanges saved = ranges_;
    RefineWithCondition(n->cond, &ranges_);
    Stmt then_case = Mutate(n->then_case);
    ranges_ = saved;
    Stmt else_case = Mutate(n->else_case);
    if (!then_case && !else_case) return nullptr;
    if (!then_case) return IfThenElse(Not(n->cond), else_case);
    return IfThenElse(n->cond, then_case, else_case);
  }

  Stmt MutateLetStmt(const Stmt& s, const LetStmtNode* n) override {
    ranges_[n->var.get()] = EvalInterval(n->value, ranges_);
    Stmt r = IRMutator::MutateLetStmt(s, n);
    ranges_.erase(n->var.get());
    return r;
  }

  Stmt MutateFor(const Stmt& s, const ForNode* n) override {
    int64_t mn = 0, ext = 0;
    if (!partition_ || !IsConst(n->min, &mn) || !IsConst(n->extent, &ext) || ext < 2 ||
        !GuardsOn(n->var.get(), n->body)) {
      const Interval m = EvalInterval(n->min, ranges_), e = EvalInterval(n->extent, ranges_);
      ranges_[n->var.get()] = {m.lo, m.hi + e.hi - 1};
      Stmt r = IRMutator::MutateFor(s, n);
      ranges_.erase(n->var.get());
      return r;
    }
    const Split split = Parts(n, mn, ext);
    std::vector<Stmt> loops;
    for (const auto& [b, e] : split.parts) {
      ranges_[n->var.get()] = {b, e - 1};
      const bool saved = partition_;
      partition_ = partition_ && b == split.inside_begin;  // border copies are not split further
      if (Stmt body = Mutate(n->body)) loops.push_back(For(n->var, Imm(b), Imm(e - b), body, n->for_kind));
      partition_ = saved;
    }
    ranges_.erase(n->var.get());
    return loops.empty() ? nullptr : Seq(loops);
  }

 private:
  struct Split {
    std::vector<std::pair<int64_t, int64_t>> parts;  // [begin, end) of each copy, in order
    int64_t inside_begin = 0;                         // begin of the copy that keeps being partitioned
  };
  // The loop's copies: before, inside and after the values of v at which every test depending on v is
  // provably true; one copy when there is nothing to split.
  Split Parts(const ForNode* n, int64_t mn, int64_t ext) {
    int64_t lo = -1, hi = -1;
    bool contiguous = true;
    for (int64_t t = mn; t < mn + ext; ++t) {
      VarRanges at = ranges_;
      at[n->var.get()] = {t, t};
      AllTestsTrue check(std::move(at), {n->var.get()});
      check.VisitStmt(n->body);
      if (!check.ok) continue;
      if (lo < 0) {
        lo = t;
      } else if (hi != t - 1) {
        contiguous = false;
      }
      hi = t;
    }
    if (lo < 0 || !contiguous || (lo == mn && hi == mn + ext - 1)) return {{{mn, mn + ext}}, mn};
    Split split;
    if (lo > mn) split.parts.push_back({mn, lo});
    split.parts.push_back({lo, hi + 1});
    if (hi + 1 < mn + ext) split.parts.push_back({hi + 1, mn + ext});
    split.inside_begin = lo;
    return split;
  }

  static bool GuardsOn(const VarNode* v, const Stmt& body) {
    TaintedIfFinder f({v});
    f.VisitStmt(body);
    return f.found;
  }

  VarRanges ranges_;
  bool partition_ = true;
};

}  // namespace

PrimFunc PartitionLoops(const PrimFunc& f) {
  PrimFunc out = f;
  out.body = Partitioner().Mutate(f.body);
  if (!out.body) out.body = Seq({});
  return out;
}

}  // namespace tinyfuse::loop
