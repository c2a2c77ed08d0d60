#include "loop/verifier.h"

#include <algorithm>
#include <set>
#include <string>

#include "common/error.h"
#include "loop/interval.h"
#include "loop/printer.h"
#include "loop/visitor.h"

namespace tinyfuse::loop {

namespace {

class Verifier : public IRVisitor {
 public:
  explicit Verifier(const PrimFunc& f) : f_(f) {
    for (size_t i = 0; i < f.params.size(); ++i) {
      const Buffer& b = f.params[i];
      if (b->kind != BufferKind::kArena) Fail("param '" + b->name + "' is not an arena buffer");
      params_.insert(b.get());
      if (static_cast<int>(i) < f.num_inputs) inputs_.insert(b.get());
    }
  }

  void Run() {
    if (!f_.body) Fail("has no body");
    VisitStmt(f_.body);
  }

 protected:
  [[noreturn]] void Fail(const std::string& what) const {
    throw Error("loop verifier: kernel '" + f_.name + "' " + what);
  }

  void ExpectType(const Expr& e, ScalarType t, const char* what) const {
    if (e->type != t) {
      Fail(std::string(what) + " must be " + ScalarTypeName(t) + ", got " + ScalarTypeName(e->type) + " in " +
           PrintExpr(e));
    }
  }

  void CheckBuffer(const Buffer& b) {
    switch (b->kind) {
      case BufferKind::kArena:
        if (!params_.count(b.get())) Fail("uses arena buffer '" + b->name + "' that is not a param");
        break;
      case BufferKind::kLocal:
        if (!locals_.count(b.get())) Fail("uses local buffer '" + b->name + "' outside its allocate");
        break;
      case BufferKind::kConstant:
        if (checked_constants_.insert(b.get()).second) {
          if (static_cast<int64_t>(b->values.size()) != b->extent) {
            Fail("constant '" + b->name + "' has " + std::to_string(b->values.size()) + " values for extent " +
                 std::to_string(b->extent));
          }
          for (int32_t v : b->values) {
            if (v < ScalarTypeMin(b->dtype) || v > ScalarTypeMax(b->dtype)) {
              Fail("constant '" + b->name + "' holds " + std::to_string(v) + ", outside " +
                   ScalarTypeName(b->dtype));
            }
          }
        }
        break;
    }
    if (b->dtype == ScalarType::kBool) Fail("buffer '" + b->name + "' has dtype bool");
  }

  void CheckIndex(const Buffer& b, const Expr& index, const char* access) {
    ExpectType(index, ScalarType::kInt32, "an index");
    if (unreachable_ > 0) return;
    const Interval r = EvalInterval(index, ranges_);
    const Interval unknown = TypeRange(ScalarType::kInt32);
    if (r.lo <= unknown.lo && r.hi >= unknown.hi) return;  // unbounded: not provable either way
    if (!r.Within(0, b->extent - 1)) {
      Fail(std::string(access) + " of '" + b->name + "' at " + PrintExpr(index) + " may leave [0, " +
           std::to_string(b->extent) + "): index range [" + std::to_string(r.lo) + ", " + std::to_string(r.hi) + "]");
    }
  }

  void Expr(const loop::Expr& e) {
    if (!e) Fail("has a null expression");
    switch (e->kind) {
      case ExprKind::kIntImm: {
        const int64_t v = As<IntImmNode>(e)->value;
        if (v < ScalarTypeMin(e->type) || v > ScalarTypeMax(e->type)) {
          Fail("has immediate " + std::to_string(v) + " outside " + ScalarTypeName(e->type));
        }
        return;
      }
      case ExprKind::kFloatImm: return;
      case ExprKind::kVar:
        if (!bound_.count(As<VarNode>(e))) Fail("uses variable '" + As<VarNode>(e)->name_hint + "' before binding it");
        return;
      case ExprKind::kLoad: {
        const LoadNode* n = As<LoadNode>(e);
        CheckBuffer(n->buffer);
        Expr(n->index);
        CheckIndex(n->buffer, n->index, "load");
        return;
      }
      case ExprKind::kBinary: {
        const BinaryNode* n = As<BinaryNode>(e);
        Expr(n->a);
        Expr(n->b);
        if (n->a->type != n->b->type) Fail("mixes types in " + PrintExpr(e));
        if (IsLogical(n->op)) {
          ExpectType(n->a, ScalarType::kBool, "a logical operand");
        } else if (n->a->type == ScalarType::kBool) {
          Fail("does arithmetic on bool in " + PrintExpr(e));
        } else if (n->a->type == ScalarType::kInt64) {
          Fail("does arithmetic on int64 (a storage type only) in " + PrintExpr(e));
        } else if (IsFloat(n->a->type) && (n->op == BinaryOp::kMod || n->op == BinaryOp::kShr)) {
          Fail("applies an integer-only operator to float32 in " + PrintExpr(e));
        }
        const ScalarType want = (IsComparison(n->op) || IsLogical(n->op)) ? ScalarType::kBool : n->a->type;
        if (n->type != want) Fail("has a wrongly typed result in " + PrintExpr(e));
        return;
      }
      case ExprKind::kNot:
        Expr(As<NotNode>(e)->a);
        ExpectType(As<NotNode>(e)->a, ScalarType::kBool, "a negated operand");
        return;
      case ExprKind::kSelect: {
        const SelectNode* n = As<SelectNode>(e);
        Expr(n->cond);
        Expr(n->true_value);
        Expr(n->false_value);
        ExpectType(n->cond, ScalarType::kBool, "a select condition");
        if (n->true_value->type != n->false_value->type || n->type != n->true_value->type) {
          Fail("has select arms of different types in " + PrintExpr(e));
        }
        return;
      }
      case ExprKind::kCast: {
        const CastNode* n = As<CastNode>(e);
        Expr(n->value);
        if (n->type == ScalarType::kBool) Fail("casts to bool in " + PrintExpr(e));
        if (IsFloat(n->value->type) && !IsFloat(n->type)) {
          Fail("casts float32 to an integer (use a saturating intrinsic) in " + PrintExpr(e));
        }
        return;
      }
      case ExprKind::kCall: {
        const CallNode* n = As<CallNode>(e);
        if (static_cast<int>(n->args.size()) != GetIntrinsicInfo(n->op).num_args) {
          Fail("calls @" + std::string(GetIntrinsicInfo(n->op).name) + " with " + std::to_string(n->args.size()) +
               " args");
        }
        const IntrinsicInfo& info = GetIntrinsicInfo(n->op);
        for (size_t i = 0; i < n->args.size(); ++i) {
          Expr(n->args[i]);
          ExpectType(n->args[i], info.args[i], "an intrinsic argument");
        }
        return;
      }
    }
  }

  void Bind(const Var& v) {
    if (bound_.count(v.get())) Fail("re-binds variable '" + v->name_hint + "' inside its own scope");
    bound_.insert(v.get());
  }
  void Unbind(const Var& v) {
    bound_.erase(v.get());
    ranges_.erase(v.get());
  }

  void VisitStmt(const loop::Stmt& s) override {
    if (!s) Fail("has a null statement");
    IRVisitor::VisitStmt(s);
  }

  void VisitFor(const ForNode* n) override {
    Expr(n->min);
    Expr(n->extent);
    ExpectType(n->min, ScalarType::kInt32, "a loop min");
    ExpectType(n->extent, ScalarType::kInt32, "a loop extent");
    if (n->var->type != ScalarType::kInt32) Fail("has a non-int32 loop variable");
    const Interval mn = EvalInterval(n->min, ranges_);
    const Interval ext = EvalInterval(n->extent, ranges_);
    Interval r{mn.lo, mn.hi + ext.hi - 1};
    // A loop over [a, b) written as min a, extent b - a (the same `a` object) also stays below b; the
    // interval of the sum alone loses that correlation.
    if (const BinaryNode* d = As<BinaryNode>(n->extent); d && d->op == BinaryOp::kSub && d->b == n->min) {
      r.hi = std::min(r.hi, EvalInterval(d->a, ranges_).hi - 1);
    }
    Bind(n->var);
    ranges_[n->var.get()] = r;
    VisitStmt(n->body);
    Unbind(n->var);
  }

  void VisitAllocate(const AllocateNode* n) override {
    if (n->buffer->kind != BufferKind::kLocal) Fail("allocates non-local buffer '" + n->buffer->name + "'");
    if (n->buffer->extent <= 0) Fail("allocates empty buffer '" + n->buffer->name + "'");
    if (!locals_.insert(n->buffer.get()).second) Fail("allocates '" + n->buffer->name + "' twice");
    VisitStmt(n->body);
    locals_.erase(n->buffer.get());
  }

  void VisitStore(const StoreNode* n) override {
    CheckBuffer(n->buffer);
    if (n->buffer->kind == BufferKind::kConstant) Fail("stores to constant '" + n->buffer->name + "'");
    if (inputs_.count(n->buffer.get())) Fail("stores to input '" + n->buffer->name + "'");
    Expr(n->index);
    Expr(n->value);
    CheckIndex(n->buffer, n->index, "store");
    if (n->value->type != n->buffer->dtype) {
      Fail("stores " + std::string(ScalarTypeName(n->value->type)) + " into " + ScalarTypeName(n->buffer->dtype) +
           " buffer '" + n->buffer->name + "'");
    }
  }

  void VisitIfThenElse(const IfThenElseNode* n) override {
    Expr(n->cond);
    ExpectType(n->cond, ScalarType::kBool, "an if condition");
    const VarRanges saved = ranges_;
    RefineWithCondition(n->cond, &ranges_);
    bool reachable = true;  // a refined range that is empty: the branch never runs (nothing to check)
    for (const auto& [var, r] : ranges_) reachable = reachable && r.lo <= r.hi;
    if (!reachable) ++unreachable_;
    VisitStmt(n->then_case);
    if (!reachable) --unreachable_;
    ranges_ = saved;
    if (n->else_case) VisitStmt(n->else_case);
  }

  void VisitLetStmt(const LetStmtNode* n) override {
    Expr(n->value);
    if (n->value->type != n->var->type) Fail("binds '" + n->var->name_hint + "' to a value of another type");
    const Interval r = EvalInterval(n->value, ranges_);
    Bind(n->var);
    ranges_[n->var.get()] = r;
    VisitStmt(n->body);
    Unbind(n->var);
  }

 private:
  const PrimFunc& f_;
  std::set<const BufferNode*> params_, inputs_, locals_, checked_constants_;
  std::set<const VarNode*> bound_;
  VarRanges ranges_;
  int unreachable_ = 0;  // > 0 inside a branch whose condition contradicts the variable ranges
};

}  // namespace

void VerifyPrimFunc(const PrimFunc& f) { Verifier(f).Run(); }

}  // namespace tinyfuse::loop
