// A rebuilding walker over loop IR (TVM's StmtExprMutator): Mutate returns the node rewritten, and the very
// same node when nothing below it changed, so unchanged subtrees and shared subexpressions stay shared.
// Expressions are memoized per node (one result per input node); a subclass whose expression rewrite
// depends on state it changes (a substitution it extends) calls ClearMemo after the change.
//
// Subclasses override the per-kind methods they care about and call the base to keep descending. The
// defaults rebuild the node from its mutated children; buffers and bound variables go through
// MutateBuffer and MutateBinding (identity by default). A statement may mutate to null ("nothing left"):
// For, Allocate and LetStmt whose body is null are null, an IfThenElse with neither branch left is null,
// and Seq drops null children.
#pragma once

#include <map>

#include "loop/ir.h"

namespace tinyfuse::loop {

class IRMutator {
 public:
  virtual ~IRMutator() = default;
  Expr Mutate(const Expr& e);  // null stays null
  Stmt Mutate(const Stmt& s);  // null stays null

 protected:
  // Forget memoized expression results (after changing what an expression rewrites to).
  void ClearMemo() { memo_.clear(); }

  // Expressions: one hook for every node, after its children were mutated (`e` is the node with the mutated
  // children, `original` the input node). The default returns `e`.
  virtual Expr MutateExprNode(const Expr& e, const Expr& original);
  virtual Expr MutateVar(const Expr& var);  // default: the variable itself
  virtual Buffer MutateBuffer(const Buffer& b) { return b; }
  // The variable a LetStmt or For binds (default: itself).
  virtual Var MutateBinding(const Var& v) { return v; }

  virtual Stmt MutateFor(const Stmt& s, const ForNode* n);
  virtual Stmt MutateAllocate(const Stmt& s, const AllocateNode* n);
  virtual Stmt MutateStore(const Stmt& s, const StoreNode* n);
  virtual Stmt MutateIfThenElse(const Stmt& s, const IfThenElseNode* n);
  virtual Stmt MutateLetStmt(const Stmt& s, const LetStmtNode* n);
  virtual Stmt MutateSeq(const Stmt& s, const SeqNode* n);

 private:
  Expr Rebuild(const Expr& e);
  std::map<const ExprNode*, Expr> memo_;
};

// Replaces variables (by node) and buffers (by node) everywhere, bound variables included.
class Substitution : public IRMutator {
 public:
  std::map<const VarNode*, Expr> vars;
  std::map<const BufferNode*, Buffer> buffers;

  Expr E(const Expr& e) { return Mutate(e); }
  Stmt S(const Stmt& s) { return Mutate(s); }
  Buffer B(const Buffer& b) { return MutateBuffer(b); }
  // Call after changing `vars` or `buffers`.
  void Changed() { ClearMemo(); }
  // Whether `e` reads a substituted variable or buffer.
  bool Touches(const Expr& e) const;

 protected:
  Expr MutateVar(const Expr& var) override;
  Buffer MutateBuffer(const Buffer& b) override;
  Var MutateBinding(const Var& v) override;
};

}  // namespace tinyfuse::loop
