#include "loop/visitor.h"

namespace tinyfuse::loop {

void IRVisitor::VisitExpr(const Expr& e) {
  if (!e) return;
  switch (e->kind) {
    case ExprKind::kIntImm:
    case ExprKind::kFloatImm:
    case ExprKind::kVar:
      return;
    case ExprKind::kLoad:
      VisitExpr(As<LoadNode>(e)->index);
      return;
    case ExprKind::kBinary: {
      const BinaryNode* n = As<BinaryNode>(e);
      VisitExpr(n->a);
      VisitExpr(n->b);
      return;
    }
    case ExprKind::kNot:
      VisitExpr(As<NotNode>(e)->a);
      return;
    case ExprKind::kSelect: {
      const SelectNode* n = As<SelectNode>(e);
      VisitExpr(n->cond);
      VisitExpr(n->true_value);
      VisitExpr(n->false_value);
      return;
    }
    case ExprKind::kCast:
      VisitExpr(As<CastNode>(e)->value);
      return;
    case ExprKind::kCall:
      for (const Expr& a : As<CallNode>(e)->args) VisitExpr(a);
      return;
  }
}

void IRVisitor::VisitStmt(const Stmt& s) {
  if (!s) return;
  switch (s->kind) {
    case StmtKind::kFor: return VisitFor(As<ForNode>(s));
    case StmtKind::kAllocate: return VisitAllocate(As<AllocateNode>(s));
    case StmtKind::kStore: return VisitStore(As<StoreNode>(s));
    case StmtKind::kIfThenElse: return VisitIfThenElse(As<IfThenElseNode>(s));
    case StmtKind::kLetStmt: return VisitLetStmt(As<LetStmtNode>(s));
    case StmtKind::kSeq: return VisitSeq(As<SeqNode>(s));
  }
}

void IRVisitor::VisitFor(const ForNode* n) {
  VisitExpr(n->min);
  VisitExpr(n->extent);
  VisitStmt(n->body);
}

void IRVisitor::VisitAllocate(const AllocateNode* n) { VisitStmt(n->body); }

void IRVisitor::VisitStore(const StoreNode* n) {
  VisitExpr(n->index);
  VisitExpr(n->value);
}

void IRVisitor::VisitIfThenElse(const IfThenElseNode* n) {
  VisitExpr(n->cond);
  VisitStmt(n->then_case);
  VisitStmt(n->else_case);
}

void IRVisitor::VisitLetStmt(const LetStmtNode* n) {
  VisitExpr(n->value);
  VisitStmt(n->body);
}

void IRVisitor::VisitSeq(const SeqNode* n) {
  for (const Stmt& c : n->stmts) VisitStmt(c);
}

}  // namespace tinyfuse::loop
