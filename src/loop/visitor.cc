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
    case StmtKind::kFor: {
      const ForNode* n = As<ForNode>(s);
      VisitExpr(n->min);
      VisitExpr(n->extent);
      VisitStmt(n->body);
      return;
    }
    case StmtKind::kAllocate:
      VisitStmt(As<AllocateNode>(s)->body);
      return;
    case StmtKind::kStore: {
      const StoreNode* n = As<StoreNode>(s);
      VisitExpr(n->index);
      VisitExpr(n->value);
      return;
    }
    case StmtKind::kIfThenElse: {
      const IfThenElseNode* n = As<IfThenElseNode>(s);
      VisitExpr(n->cond);
      VisitStmt(n->then_case);
      VisitStmt(n->else_case);
      return;
    }
    case StmtKind::kLetStmt: {
      const LetStmtNode* n = As<LetStmtNode>(s);
      VisitExpr(n->value);
      VisitStmt(n->body);
      return;
    }
    case StmtKind::kSeq:
      for (const Stmt& c : As<SeqNode>(s)->stmts) VisitStmt(c);
      return;
  }
}

}  // namespace tinyfuse::loop
