// A read-only walker over loop IR. The default methods visit every child in evaluation order; subclasses
// override what they care about and call the base method to keep descending.
#pragma once

#include "loop/ir.h"

namespace tinyfuse::loop {

class IRVisitor {
 public:
  virtual ~IRVisitor() = default;
  virtual void VisitExpr(const Expr& e);  // null is allowed and ignored
  virtual void VisitStmt(const Stmt& s);  // null is allowed and ignored
};

}  // namespace tinyfuse::loop
