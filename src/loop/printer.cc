#include "loop/printer.h"

#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "loop/visitor.h"

namespace tinyfuse::loop {

namespace {

std::string ShapeText(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

class Printer : public IRVisitor {
 public:
  std::string Name(const void* object, const std::string& hint) {
    auto it = names_.find(object);
    if (it != names_.end()) return it->second;
    std::string base = hint.empty() ? "v" : hint;
    std::string name = base;
    for (int k = 1; used_.count(name); ++k) name = base + "_" + std::to_string(k);
    used_.insert(name);
    names_[object] = name;
    return name;
  }
  std::string BufferName(const Buffer& b) { return Name(b.get(), b->name); }

  std::string BufferDecl(const Buffer& b) {
    return BufferName(b) + ": Buffer(" + ScalarTypeName(b->dtype) + ", " + ShapeText(b->shape) + ")";
  }

  std::string ExprText(const Expr& e) {
    switch (e->kind) {
      case ExprKind::kIntImm: {
        const int64_t v = As<IntImmNode>(e)->value;
        switch (e->type) {
          case ScalarType::kBool: return v ? "True" : "False";
          case ScalarType::kInt32: return std::to_string(v);
          case ScalarType::kInt8: return std::to_string(v) + "i8";
          case ScalarType::kUInt8: return std::to_string(v) + "u8";
          case ScalarType::kInt16: return std::to_string(v) + "i16";
          case ScalarType::kInt64: return std::to_string(v) + "i64";
          case ScalarType::kFloat32: break;
        }
        return std::to_string(v);
      }
      case ExprKind::kFloatImm: {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.9gf", static_cast<double>(As<FloatImmNode>(e)->value));
        return buf;
      }
      case ExprKind::kVar: {
        const VarNode* v = As<VarNode>(e);
        return Name(v, v->name_hint);
      }
      case ExprKind::kLoad: {
        const LoadNode* n = As<LoadNode>(e);
        const std::string name = BufferName(n->buffer);
        return name + "[" + ExprText(n->index) + "]";
      }
      case ExprKind::kBinary: {
        const BinaryNode* n = As<BinaryNode>(e);
        // Operands are named left to right: evaluate them in separate statements.
        const std::string a = ExprText(n->a);
        const std::string b = ExprText(n->b);
        if (n->op == BinaryOp::kMin || n->op == BinaryOp::kMax) {
          return std::string(BinaryOpSymbol(n->op)) + "(" + a + ", " + b + ")";
        }
        return "(" + a + " " + BinaryOpSymbol(n->op) + " " + b + ")";
      }
      case ExprKind::kNot: return "!" + ExprText(As<NotNode>(e)->a);
      case ExprKind::kSelect: {
        const SelectNode* n = As<SelectNode>(e);
        const std::string c = ExprText(n->cond);
        const std::string t = ExprText(n->true_value);
        return "select(" + c + ", " + t + ", " + ExprText(n->false_value) + ")";
      }
      case ExprKind::kCast: {
        const CastNode* n = As<CastNode>(e);
        return std::string("cast(") + ScalarTypeName(n->type) + ", " + ExprText(n->value) + ")";
      }
      case ExprKind::kCall: {
        const CallNode* n = As<CallNode>(e);
        std::string s = std::string("@") + GetIntrinsicInfo(n->op).name + "(";
        for (size_t i = 0; i < n->args.size(); ++i) s += (i ? ", " : "") + ExprText(n->args[i]);
        return s + ")";
      }
    }
    return "?";
  }

  void StmtText(const Stmt& s, int indent, std::ostringstream& os) {
    std::ostringstream* const saved_os = os_;
    const int saved_indent = indent_;
    os_ = &os;
    indent_ = indent;
    VisitStmt(s);
    os_ = saved_os;
    indent_ = saved_indent;
  }

 protected:
  void VisitFor(const ForNode* n) override {
    Line() << "for (" << ExprText(n->var) << ": " << ScalarTypeName(n->var->type) << ", " << ExprText(n->min) << ", "
           << ExprText(n->extent) << (n->for_kind == ForKind::kUnrolled ? ", unrolled" : "") << ") {\n";
    Nested(n->body);
    Line() << "}\n";
  }
  void VisitAllocate(const AllocateNode* n) override {
    Line() << "allocate(" << BufferName(n->buffer) << ", " << ScalarTypeName(n->buffer->dtype) << ", "
           << ShapeText(n->buffer->shape) << ") {\n";
    Nested(n->body);
    Line() << "}\n";
  }
  void VisitStore(const StoreNode* n) override {
    Line() << BufferName(n->buffer) << "[" << ExprText(n->index) << "] = " << ExprText(n->value) << "\n";
  }
  void VisitIfThenElse(const IfThenElseNode* n) override {
    Line() << "if (" << ExprText(n->cond) << ") {\n";
    Nested(n->then_case);
    if (n->else_case) {
      Line() << "} else {\n";
      Nested(n->else_case);
    }
    Line() << "}\n";
  }
  void VisitLetStmt(const LetStmtNode* n) override {
    Line() << "let " << ExprText(n->var) << ": " << ScalarTypeName(n->var->type) << " = " << ExprText(n->value)
           << "\n";
    VisitStmt(n->body);
  }

 private:
  std::ostringstream& Line() {
    *os_ << std::string(static_cast<size_t>(indent_), ' ');
    return *os_;
  }
  void Nested(const Stmt& s) {
    indent_ += 2;
    VisitStmt(s);
    indent_ -= 2;
  }

  std::ostringstream* os_ = nullptr;
  int indent_ = 0;
  std::map<const void*, std::string> names_;
  std::set<std::string> used_;
};

}  // namespace

std::string PrintExpr(const Expr& e) {
  Printer p;
  return p.ExprText(e);
}

std::string PrintStmt(const Stmt& s, int indent) {
  Printer p;
  std::ostringstream os;
  p.StmtText(s, indent, os);
  return os.str();
}

std::string PrintPrimFunc(const PrimFunc& f) {
  Printer p;
  std::ostringstream os;
  os << "primfn " << f.name << "(";
  for (size_t i = 0; i < f.params.size(); ++i) os << (i ? ", " : "") << p.BufferDecl(f.params[i]);
  os << ") {\n";
  const std::vector<Buffer> constants = CollectConstants(f);
  if (!constants.empty()) {
    os << "  constants = {";
    for (size_t i = 0; i < constants.size(); ++i) os << (i ? ", " : "") << p.BufferDecl(constants[i]);
    os << "}\n";
  }
  p.StmtText(f.body, 2, os);
  os << "}\n";
  return os.str();
}

}  // namespace tinyfuse::loop
