// A read-only walker over loop IR. VisitExpr and VisitStmt dispatch on the node's kind (the only switch
// over statement kinds outside the mutator); the per-kind methods visit every child in evaluation order.
// Subclasses override what they care about and call the base method to keep descending. Overriding
// VisitExpr/VisitStmt themselves (to see every node) and calling the base keeps working too.
#pragma once

#include "loop/ir.h"

namespace tinyfuse::loop {

class IRVisitor {
 public:
  virtual ~IRVisitor() = default;
  virtual void VisitExpr(const Expr& e);  // null is allowed and ignored
  virtual void VisitStmt(const Stmt& s);  // null is allowed and ignored

 protected:
  virtual void VisitFor(const ForNode* n);
  virtual void VisitAllocate(const AllocateNode* n);
  virtual void VisitStore(const StoreNode* n);
  virtual void VisitIfThenElse(const IfThenElseNode* n);
  virtual void VisitLetStmt(const LetStmtNode* n);
  virtual void VisitSeq(const SeqNode* n);
};

}  // namespace tinyfuse::loop
