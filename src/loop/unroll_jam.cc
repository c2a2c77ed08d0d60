#include "loop/unroll_jam.h"

#include <set>
#include <utility>
#include <vector>

#include "loop/mutator.h"
#include "loop/visitor.h"

namespace tinyfuse::loop {

namespace {

// The copies of one unrolled loop body, jammed into one statement. failed() tells when a loop bound or a
// test depends on the copy (the result is then unusable).
class Jammer : public IRMutator {
 public:
  explicit Jammer(std::vector<Substitution> copies) : copies_(std::move(copies)) {}
  bool failed() const { return failed_; }

 protected:
  Stmt MutateFor(const Stmt& s, const ForNode* n) override {
    if (Touched(n->min) || Touched(n->extent)) return Fail(s);
    return For(n->var, n->min, n->extent, Mutate(n->body), n->for_kind);
  }

  Stmt MutateAllocate(const Stmt&, const AllocateNode* n) override {
    std::vector<Buffer> mine;
    for (Substitution& c : copies_) {
      const Buffer b = LocalBuffer(n->buffer->name, n->buffer->dtype, n->buffer->shape);
      c.buffers[n->buffer.get()] = b;
      c.Changed();
      mine.push_back(b);
    }
    Stmt body = Mutate(n->body);
    for (auto it = mine.rbegin(); it != mine.rend(); ++it) body = Allocate(*it, body);
    return body;
  }

  Stmt MutateStore(const Stmt& s, const StoreNode*) override {
    std::vector<Stmt> out;
    for (Substitution& c : copies_) out.push_back(c.S(s));
    return Seq(out);
  }

  Stmt MutateIfThenElse(const Stmt& s, const IfThenElseNode* n) override {
    if (Touched(n->cond)) return Fail(s);
    return IfThenElse(n->cond, Mutate(n->then_case), Mutate(n->else_case));
  }

  Stmt MutateLetStmt(const Stmt&, const LetStmtNode* n) override {
    if (!Touched(n->value)) return LetStmt(n->var, n->value, Mutate(n->body));
    std::vector<std::pair<Var, Expr>> lets;
    for (Substitution& c : copies_) {
      const Expr value = c.E(n->value);
      const Var v = MakeVar(n->var->name_hint, n->var->type);
      c.vars[n->var.get()] = v;
      c.Changed();
      lets.emplace_back(v, value);
    }
    Stmt body = Mutate(n->body);
    for (auto it = lets.rbegin(); it != lets.rend(); ++it) body = LetStmt(it->first, it->second, body);
    return body;
  }

 private:
  bool Touched(const Expr& e) const { return copies_.front().Touches(e); }
  Stmt Fail(const Stmt& s) {
    failed_ = true;
    return s;
  }

  std::vector<Substitution> copies_;
  bool failed_ = false;
};

// Buffers a statement stores to / loads from, and the locals it allocates.
struct Accesses : IRVisitor {
  std::set<const BufferNode*> stored, loaded, allocated;
  void VisitExpr(const Expr& e) override {
    if (const LoadNode* l = As<LoadNode>(e)) loaded.insert(l->buffer.get());
    IRVisitor::VisitExpr(e);
  }
  void VisitStore(const StoreNode* n) override {
    stored.insert(n->buffer.get());
    IRVisitor::VisitStore(n);
  }
  void VisitAllocate(const AllocateNode* n) override {
    allocated.insert(n->buffer.get());
    IRVisitor::VisitAllocate(n);
  }
};

// Whether the iterations of a loop with this body are independent: every buffer it writes is either
// allocated inside it or never read inside it.
bool IndependentIterations(const Stmt& body) {
  Accesses a;
  a.VisitStmt(body);
  for (const BufferNode* b : a.stored) {
    if (a.allocated.count(b)) continue;
    if (b->kind == BufferKind::kLocal || a.loaded.count(b)) return false;
  }
  return true;
}

}  // namespace

bool IsAccumulatorBlock(const Stmt& s) {
  const AllocateNode* n = As<AllocateNode>(s);
  if (!n || n->buffer->extent != 1 || n->buffer->dtype != ScalarType::kInt32) return false;
  struct HasFor : IRVisitor {
    bool found = false;
    void VisitFor(const ForNode* x) override {
      found = true;
      IRVisitor::VisitFor(x);
    }
  } h;
  h.VisitStmt(n->body);
  return h.found;
}

bool IsAccumulatorLoop(const Stmt& s) {
  const ForNode* n = As<ForNode>(s);
  return n && IsAccumulatorBlock(n->body);
}

Stmt UnrollJam(const Stmt& s, int factor) {
  const ForNode* n = As<ForNode>(s);
  int64_t mn = 0, ext = 0;
  if (!n || factor < 2 || !IsConst(n->min, &mn) || !IsConst(n->extent, &ext) || ext < factor ||
      !IndependentIterations(n->body)) {
    return s;
  }
  const int64_t groups = ext / factor;
  const Var outer = MakeVar(n->var->name_hint);
  std::vector<Substitution> copies(static_cast<size_t>(factor));
  for (int j = 0; j < factor; ++j) {
    copies[static_cast<size_t>(j)].vars[n->var.get()] =
        groups == 1 ? Imm(mn + j) : Add(Mul(outer, Imm(factor)), Imm(mn + j));
  }
  Jammer jammer(std::move(copies));
  const Stmt jammed = jammer.Mutate(n->body);
  if (jammer.failed()) return s;
  std::vector<Stmt> out = {groups == 1 ? jammed : For(outer, Imm(0), Imm(groups), jammed, n->for_kind)};
  const int64_t rest = ext - groups * factor;
  if (rest > 0) out.push_back(For(n->var, Imm(mn + groups * factor), Imm(rest), n->body, n->for_kind));
  return Seq(out);
}

}  // namespace tinyfuse::loop
