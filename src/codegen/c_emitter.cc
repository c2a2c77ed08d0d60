#include "codegen/c_emitter.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "codegen/c_intrinsics.h"
#include "common/error.h"
#include "loop/verifier.h"
#include "loop/workspace.h"
#include "loop/visitor.h"

namespace tinyfuse::codegen {

using namespace tinyfuse::loop;  // NOLINT: the emitter reads nothing but loop IR

namespace {

bool IsCIdentifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

bool IsCKeyword(const std::string& s) {
  static const std::set<std::string> kWords = {
      "auto",     "break",    "case",     "char",   "const",    "continue", "default",  "do",
      "double",   "else",     "enum",     "extern", "float",    "for",      "goto",     "if",
      "inline",   "int",      "long",     "register", "restrict", "return", "short",    "signed",
      "sizeof",   "static",   "struct",   "switch", "typedef",  "union",    "unsigned", "void",
      "volatile", "while",    "_Bool",    "_Complex", "_Imaginary", "main", "memcpy",   "arena"};
  return kWords.count(s) > 0;
}

// A C identifier made from a name hint.
std::string Sanitize(const std::string& hint) {
  std::string s;
  for (char c : hint) s += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) s = "v" + s;
  if (IsCKeyword(s)) s += "_";
  return s;
}

const char* CType(ScalarType t) {
  switch (t) {
    case ScalarType::kBool: return "int";
    case ScalarType::kInt8: return "int8_t";
    case ScalarType::kUInt8: return "uint8_t";
    case ScalarType::kInt16: return "int16_t";
    case ScalarType::kInt32: return "int32_t";
    case ScalarType::kFloat32: return "float";
    case ScalarType::kInt64: return "int64_t";
  }
  return "int";
}

// An exact float literal: the shortest %g form that reads back as the same float, else hex.
std::string FloatLiteral(float f) {
  char buf[64];
  for (int digits = 6; digits <= 9; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, static_cast<double>(f));
    if (std::strtof(buf, nullptr) == f) {
      std::string s = buf;
      if (s.find_first_of(".en") == std::string::npos) s += ".0";
      return s + "f";
    }
  }
  std::snprintf(buf, sizeof buf, "%a", static_cast<double>(f));
  return std::string(buf) + "f";
}

std::string IntLiteral(int64_t v) {
  if (v == -2147483648LL) return "(-2147483647 - 1)";
  return std::to_string(v);
}

// C operator precedence, higher binds tighter.
enum Prec : int { kCond = 3, kOrP = 4, kAndP = 5, kEqP = 9, kRelP = 10, kShiftP = 11, kAddP = 12, kMulP = 13,
                  kUnaryP = 15, kPrimaryP = 16 };

struct CText {
  std::string text;
  int prec;
};

std::string Wrap(const CText& t, int need) { return t.prec < need ? "(" + t.text + ")" : t.text; }

// Collects the buffers a function body actually reads or writes.
class UseCollector : public IRVisitor {
 public:
  std::set<const BufferNode*> used;
  void VisitExpr(const Expr& e) override {
    if (const LoadNode* n = As<LoadNode>(e)) used.insert(n->buffer.get());
    IRVisitor::VisitExpr(e);
  }
  void VisitStmt(const Stmt& s) override {
    if (const StoreNode* n = As<StoreNode>(s)) used.insert(n->buffer.get());
    IRVisitor::VisitStmt(s);
  }
};

// Whether a function computes anything in float32.
class FloatUse : public IRVisitor {
 public:
  bool found = false;
  void VisitExpr(const Expr& e) override {
    if (e && IsFloat(e->type)) found = true;
    IRVisitor::VisitExpr(e);
  }
};

// float32 operations must each round on their own, as the reference kernels' do: a compiler that fuses
// `a * b + c` into an FMA changes results. gcc ignores (and warns about) the standard pragma and contracts
// across statements in its GNU modes, so it gets its own.
constexpr const char* kNoContraction =
    "\n/* float32 operations round one by one: no fused multiply-add (see the reference kernels). */\n"
    "#if defined(__clang__)\n#pragma STDC FP_CONTRACT OFF\n#elif defined(__GNUC__)\n"
    "#pragma GCC optimize(\"fp-contract=off\")\n#endif\n";

class FunctionEmitter : public IRVisitor {
 public:
  FunctionEmitter(const std::string& prefix, const std::map<const BufferNode*, std::string>& globals,
                  std::set<Intrinsic>* intrinsics, std::set<CHelper>* helpers)
      : prefix_(prefix), globals_(globals), intrinsics_(intrinsics), helpers_(helpers) {
    for (const auto& [buffer, name] : globals) used_names_.insert(name);
  }

  std::string Emit(const PrimFunc& f, const std::string& comment) {
    std::ostringstream os;
    if (!comment.empty()) os << "/* " << comment << " */\n";
    os << "static " << prefix_ << "_NOINLINE void " << prefix_ << "_" << f.name << "(";
    UseCollector uses;
    uses.VisitStmt(f.body);
    std::vector<std::string> unused;
    for (size_t i = 0; i < f.params.size(); ++i) {
      const Buffer& b = f.params[i];
      const std::string name = Fresh(b->name);
      buffer_names_[b.get()] = name;
      os << (i ? ", " : "") << (static_cast<int>(i) < f.num_inputs ? "const " : "") << CType(b->dtype) << " *"
         << name;
      if (!uses.used.count(b.get())) unused.push_back(name);
    }
    // The kernel's workspace (its multi-element Allocates) is a region of the arena, passed last.
    const KernelWorkspace w = AnalyzeWorkspace(f);
    scratch_offsets_ = w.scratch_offsets;
    if (w.scratch_bytes > 0) {
      workspace_name_ = Fresh("workspace");
      os << (f.params.empty() ? "" : ", ") << "uint8_t *" << workspace_name_;
    }
    if (f.params.empty() && w.scratch_bytes == 0) os << "void";
    os << ") {\n";
    for (const std::string& n : unused) os << "  (void)" << n << ";\n";
    Stmt(f.body, 1, os);
    os << "}\n";
    return os.str();
  }

 private:
  std::map<const BufferNode*, int64_t> scratch_offsets_;  // multi-element Allocate -> workspace offset
  std::string workspace_name_;

  std::string Fresh(const std::string& hint) {
    const std::string base = Sanitize(hint);
    std::string name = base;
    for (int k = 1; used_names_.count(name) || name.rfind(prefix_ + "_", 0) == 0; ++k) {
      name = base + "_" + std::to_string(k);
    }
    used_names_.insert(name);
    return name;
  }

  std::string BufferRef(const Buffer& b) {
    if (b->kind == BufferKind::kConstant) {
      auto it = globals_.find(b.get());
      if (it == globals_.end()) throw Error("C emitter: constant '" + b->name + "' was not collected");
      return it->second;
    }
    auto it = buffer_names_.find(b.get());
    if (it == buffer_names_.end()) throw Error("C emitter: buffer '" + b->name + "' is not in scope");
    return it->second;
  }

  std::string Access(const Buffer& b, const loop::Expr& index) {
    const std::string name = BufferRef(b);
    if (scalars_.count(b.get())) return name;  // a one-element local is a C scalar; its index is 0
    return name + "[" + E(index).text + "]";
  }

  CText E(const loop::Expr& e) {
    switch (e->kind) {
      case ExprKind::kIntImm: {
        const int64_t v = As<IntImmNode>(e)->value;
        return {IntLiteral(v), v < 0 ? kUnaryP : kPrimaryP};
      }
      case ExprKind::kFloatImm: {
        const float v = As<FloatImmNode>(e)->value;
        return {FloatLiteral(v), v < 0 ? kUnaryP : kPrimaryP};
      }
      case ExprKind::kVar: {
        auto it = var_names_.find(As<VarNode>(e));
        if (it == var_names_.end()) throw Error("C emitter: variable '" + As<VarNode>(e)->name_hint + "' unbound");
        return {it->second, kPrimaryP};
      }
      case ExprKind::kLoad: {
        const LoadNode* n = As<LoadNode>(e);
        return {Access(n->buffer, n->index), kPrimaryP};
      }
      case ExprKind::kBinary: return Binary(*As<BinaryNode>(e));
      case ExprKind::kNot: return {"!" + Wrap(E(As<NotNode>(e)->a), kUnaryP), kUnaryP};
      case ExprKind::kSelect: {
        const SelectNode* n = As<SelectNode>(e);
        const std::string c = Wrap(E(n->cond), kOrP);
        const std::string t = Wrap(E(n->true_value), kCond + 1);
        return {c + " ? " + t + " : " + Wrap(E(n->false_value), kCond + 1), kCond};
      }
      case ExprKind::kCast: {
        const CastNode* n = As<CastNode>(e);
        return {std::string("(") + CType(n->type) + ")" + Wrap(E(n->value), kUnaryP), kUnaryP};
      }
      case ExprKind::kCall: {
        const CallNode* n = As<CallNode>(e);
        if (std::string p = ContiguousBytes(*n); !p.empty()) {
          helpers_->insert(CHelper::kLoad4);
          return {prefix_ + "_load4(" + p + ")", kPrimaryP};
        }
        intrinsics_->insert(n->op);
        std::string s = prefix_ + "_" + GetIntrinsicInfo(n->op).name + "(";
        for (size_t i = 0; i < n->args.size(); ++i) s += (i ? ", " : "") + E(n->args[i]).text;
        return {s + ")", kPrimaryP};
      }
    }
    throw Error("C emitter: unknown expression");
  }

  // "&buf[i]" when `n` is @pack4 of four 8-bit loads buf[i], buf[i + 1], buf[i + 2], buf[i + 3] (each cast to
  // int32; the same expression object i), which C reads as one 32-bit word; else "".
  std::string ContiguousBytes(const CallNode& n) {
    if (n.op != Intrinsic::kPack4 || n.args.size() != 4) return "";
    const LoadNode* first = nullptr;
    for (size_t k = 0; k < 4; ++k) {
      const CastNode* c = As<CastNode>(n.args[k]);
      const LoadNode* l = c ? As<LoadNode>(c->value) : nullptr;
      if (!l || ScalarTypeBytes(l->type) != 1 || l->type == ScalarType::kBool) return "";
      if (k == 0) {
        first = l;
        continue;
      }
      const BinaryNode* add = As<BinaryNode>(l->index);
      int64_t offset = 0;
      if (l->buffer != first->buffer || !add || add->op != BinaryOp::kAdd || add->a != first->index ||
          !IsConst(add->b, &offset) || offset != static_cast<int64_t>(k)) {
        return "";
      }
    }
    if (scalars_.count(first->buffer.get())) return "";
    return "&" + Access(first->buffer, first->index);
  }

  CText Binary(const BinaryNode& n) {
    if (n.op == BinaryOp::kMin || n.op == BinaryOp::kMax) {
      if (IsFloat(n.a->type)) throw Error("C emitter: float32 min/max is not supported");
      helpers_->insert(n.op == BinaryOp::kMin ? CHelper::kMin : CHelper::kMax);
      const std::string a = E(n.a).text;
      return {prefix_ + (n.op == BinaryOp::kMin ? "_min(" : "_max(") + a + ", " + E(n.b).text + ")", kPrimaryP};
    }
    int prec = 0, left_need = 0, right_need = 0;
    switch (n.op) {
      case BinaryOp::kMul:
      case BinaryOp::kDiv:
      case BinaryOp::kMod: prec = kMulP; left_need = kMulP; right_need = kUnaryP; break;
      case BinaryOp::kAdd:
      case BinaryOp::kSub: prec = kAddP; left_need = kAddP; right_need = kMulP; break;
      // gcc -Wparentheses: keep + and - inside >> parenthesized, and comparisons never chained.
      case BinaryOp::kShr: prec = kShiftP; left_need = kMulP; right_need = kMulP; break;
      case BinaryOp::kLt:
      case BinaryOp::kLe:
      case BinaryOp::kGt:
      case BinaryOp::kGe: prec = kRelP; left_need = kShiftP; right_need = kShiftP; break;
      case BinaryOp::kEq:
      case BinaryOp::kNe: prec = kEqP; left_need = kShiftP; right_need = kShiftP; break;
      case BinaryOp::kAnd: prec = kAndP; left_need = kAndP; right_need = kEqP; break;
      case BinaryOp::kOr: prec = kOrP; left_need = kAndP + 1; right_need = kAndP + 1; break;
      default: break;
    }
    const std::string a = Wrap(E(n.a), left_need);
    const std::string b = Wrap(E(n.b), right_need);
    return {a + " " + BinaryOpSymbol(n.op) + " " + b, prec};
  }

  // Prints `s` at `depth` levels of indentation into `os`.
  void Stmt(const loop::Stmt& s, int depth, std::ostringstream& os) {
    std::ostringstream* const saved_os = os_;
    const int saved_depth = depth_;
    os_ = &os;
    depth_ = depth;
    VisitStmt(s);
    os_ = saved_os;
    depth_ = saved_depth;
  }

 protected:
  void VisitFor(const ForNode* n) override {
    const std::string min = E(n->min).text;
    const std::string end = E(Add(n->min, n->extent)).text;
    const std::string v = Fresh(n->var->name_hint);
    var_names_[n->var.get()] = v;
    Line() << "for (int32_t " << v << " = " << min << "; " << v << " < " << end << "; ++" << v << ") {\n";
    Nested(n->body);
    Line() << "}\n";
    var_names_.erase(n->var.get());
  }
  void VisitAllocate(const AllocateNode* n) override {
    const Buffer& b = n->buffer;
    const std::string name = Fresh(b->name);
    buffer_names_[b.get()] = name;
    if (b->extent == 1) {
      scalars_.insert(b.get());
      Line() << CType(b->dtype) << " " << name << ";\n";
    } else {
      auto at = scratch_offsets_.find(b.get());
      if (at == scratch_offsets_.end()) throw Error("C emitter: allocation '" + b->name + "' has no workspace offset");
      Line() << CType(b->dtype) << " *" << name << " = (" << CType(b->dtype) << " *)(" << workspace_name_ << " + "
             << at->second << "); /* " << b->extent << " elements */\n";
    }
    VisitStmt(n->body);
    buffer_names_.erase(b.get());
    scalars_.erase(b.get());
  }
  void VisitStore(const StoreNode* n) override {
    const std::string lhs = Access(n->buffer, n->index);
    Line() << lhs << " = " << E(n->value).text << ";\n";
  }
  void VisitIfThenElse(const IfThenElseNode* n) override {
    Line() << "if (" << E(n->cond).text << ") {\n";
    Nested(n->then_case);
    if (n->else_case) {
      Line() << "} else {\n";
      Nested(n->else_case);
    }
    Line() << "}\n";
  }
  void VisitLetStmt(const LetStmtNode* n) override {
    const std::string value = E(n->value).text;
    const std::string v = Fresh(n->var->name_hint);
    var_names_[n->var.get()] = v;
    Line() << "const " << CType(n->var->type) << " " << v << " = " << value << ";\n";
    VisitStmt(n->body);
    var_names_.erase(n->var.get());
  }

 private:
  std::ostringstream& Line() {
    *os_ << std::string(static_cast<size_t>(2 * depth_), ' ');
    return *os_;
  }
  void Nested(const loop::Stmt& s) {
    ++depth_;
    VisitStmt(s);
    --depth_;
  }

  std::ostringstream* os_ = nullptr;
  int depth_ = 0;
  const std::string& prefix_;
  const std::map<const BufferNode*, std::string>& globals_;
  std::set<Intrinsic>* intrinsics_;
  std::set<CHelper>* helpers_;
  std::map<const VarNode*, std::string> var_names_;
  std::map<const BufferNode*, std::string> buffer_names_;
  std::set<const BufferNode*> scalars_;
  std::set<std::string> used_names_;
};

std::string ConstantArray(const Buffer& b, const std::string& name) {
  if (b->values.empty()) throw Error("C emitter: constant '" + b->name + "' is empty");
  std::ostringstream os;
  os << "static const " << CType(b->dtype) << " " << name << "[" << b->values.size() << "] = {";
  const bool is_float = IsFloat(b->dtype);
  for (size_t i = 0; i < b->values.size(); ++i) {
    if (i % (is_float ? 6 : 16) == 0) os << "\n   ";
    os << " " << (is_float ? FloatLiteral(FloatOfBits(b->values[i])) : IntLiteral(b->values[i]))
       << (i + 1 < b->values.size() ? "," : "");
  }
  os << "\n};\n";
  return os.str();
}

// Every constant of every function, named PREFIX_<kernel>_<hint>, unique, in first-use order.
std::vector<std::pair<Buffer, std::string>> NameConstants(const std::vector<const PrimFunc*>& funcs,
                                                          const std::string& prefix) {
  std::vector<std::pair<Buffer, std::string>> out;
  std::set<const BufferNode*> seen;
  std::set<std::string> names;
  for (const PrimFunc* f : funcs) {
    for (const Buffer& b : CollectConstants(*f)) {
      if (!seen.insert(b.get()).second) continue;
      const std::string base = prefix + "_" + Sanitize(f->name) + "_" + Sanitize(b->name);
      std::string name = base;
      for (int k = 1; names.count(name); ++k) name = base + "_" + std::to_string(k);
      names.insert(name);
      out.emplace_back(b, name);
    }
  }
  return out;
}

std::string IoMacros(const std::string& prefix, const char* kind, size_t k, const IoTensor& t, int64_t offset) {
  const std::string p = prefix + "_" + kind + std::to_string(k);
  std::ostringstream os;
  // The model's own tensor name, for the reader; characters that could end the comment or form a
  // trigraph become '_'.
  std::string name = t.name;
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch)) && std::string("_:./-;,[] ").find(ch) == std::string::npos) ch = '_';
  }
  os << "/* " << kind << " " << k << ": \"" << name << "\" " << DTypeName(t.dtype);
  if (t.dtype != DType::kFloat32) os << ", real = SCALE * (q - ZERO_POINT)";
  os << " */\n";
  os << "#define " << p << "_SIZE " << t.bytes << "\n";
  os << "#define " << p << "_TYPE " << DTypeCName(t.dtype) << "\n";
  os << "#define " << p << "_SCALE " << FloatLiteral(t.scale) << "\n";
  os << "#define " << p << "_ZERO_POINT " << t.zero_point << "\n";
  os << "#define " << p << "_OFFSET " << offset << "\n";
  os << "#define " << p << "_RANK " << t.shape.size() << "\n";
  os << "#define " << p << "_DIMS {";
  for (size_t i = 0; i < t.shape.size(); ++i) os << (i ? ", " : "") << t.shape[i];
  os << "}\n";
  return os.str();
}

std::string InvokeSignature(const LoweredModel& m, const std::string& prefix) {
  std::ostringstream os;
  os << "int " << prefix << "_invoke(";
  for (size_t k = 0; k < m.inputs.size(); ++k) os << "const " << DTypeCName(m.inputs[k].dtype) << " *input" << k << ", ";
  for (size_t k = 0; k < m.outputs.size(); ++k) os << DTypeCName(m.outputs[k].dtype) << " *output" << k << ", ";
  os << "uint8_t *arena)";
  return os.str();
}

std::string Header(const LoweredModel& m, const ArenaLayout& layout, const std::string& prefix) {
  std::string guard;
  for (char c : prefix) guard += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  guard += "_H_";
  std::ostringstream os;
  os << "/* Generated by tinyfuse (arithmetic: " << ArithName(m.arith) << "). Do not edit. */\n";
  os << "#ifndef " << guard << "\n#define " << guard << "\n\n#include <stdint.h>\n\n";
  os << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  os << "#define " << prefix << "_ARENA_SIZE " << layout.size << "\n";
  os << "#define " << prefix << "_ARENA_ALIGN " << layout.alignment << "\n";
  os << "#define " << prefix << "_NUM_INPUTS " << m.inputs.size() << "\n";
  os << "#define " << prefix << "_NUM_OUTPUTS " << m.outputs.size() << "\n\n";
  for (size_t k = 0; k < m.inputs.size(); ++k) {
    os << IoMacros(prefix, "INPUT", k, m.inputs[k], layout.OffsetOf(m, m.inputs[k].tensor_id)) << "\n";
  }
  for (size_t k = 0; k < m.outputs.size(); ++k) {
    os << IoMacros(prefix, "OUTPUT", k, m.outputs[k], layout.OffsetOf(m, m.outputs[k].tensor_id)) << "\n";
  }
  os << "/* Runs the model. `arena` holds " << prefix << "_ARENA_SIZE bytes aligned to " << prefix
     << "_ARENA_ALIGN. Inputs are copied\n   into the arena and outputs out of it unless a pointer already is arena + "
        "its _OFFSET. Returns 0. */\n";
  os << InvokeSignature(m, prefix) << ";\n\n";
  os << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
  return os.str();
}

std::string InvokeBody(const LoweredModel& m, const ArenaLayout& layout, const std::string& prefix,
                       const std::vector<std::string>& kernel_names) {
  std::ostringstream os;
  os << InvokeSignature(m, prefix) << " {\n";
  for (size_t k = 0; k < m.inputs.size(); ++k) {
    const std::string p = prefix + "_INPUT" + std::to_string(k);
    os << "  if ((const uint8_t *)input" << k << " != arena + " << p << "_OFFSET) memcpy(arena + " << p
       << "_OFFSET, input" << k << ", " << p << "_SIZE);\n";
  }
  for (size_t i = 0; i < m.kernels.size(); ++i) {
    const PrimFunc& f = m.kernels[i].func;
    os << "  " << kernel_names[i] << "(";
    for (size_t j = 0; j < f.params.size(); ++j) {
      const Buffer& b = f.params[j];
      os << (j ? ", " : "") << "(" << (static_cast<int>(j) < f.num_inputs ? "const " : "") << CType(b->dtype)
         << " *)(arena + " << layout.OffsetOf(m, b->tensor_id) << ")";
    }
    auto ws = layout.workspace_offsets.find(static_cast<int>(i));
    if (ws != layout.workspace_offsets.end()) os << (f.params.empty() ? "" : ", ") << "arena + " << ws->second;
    os << ");\n";
  }
  for (size_t k = 0; k < m.outputs.size(); ++k) {
    const std::string p = prefix + "_OUTPUT" + std::to_string(k);
    os << "  if ((uint8_t *)output" << k << " != arena + " << p << "_OFFSET) memcpy(output" << k << ", arena + " << p
       << "_OFFSET, " << p << "_SIZE);\n";
  }
  if (m.inputs.empty() && m.outputs.empty() && m.kernels.empty()) os << "  (void)arena;\n";
  os << "  return 0;\n}\n";
  return os.str();
}

std::string KernelComment(const Kernel& k) {
  std::string c = k.group.empty() ? k.func.name : k.group;
  c += "; workspace " + std::to_string(k.workspace_bytes) + " bytes";
  std::string safe;  // never close the comment early
  for (size_t i = 0; i < c.size(); ++i) {
    if (c[i] == '*' && i + 1 < c.size() && c[i + 1] == '/') {
      safe += "* ";
    } else {
      safe += c[i];
    }
  }
  return safe;
}

}  // namespace

GeneratedC EmitC(const LoweredModel& m, const ArenaLayout& layout, const std::string& prefix) {
  Check(IsCIdentifier(prefix), "C emitter: prefix '" + prefix + "' is not a C identifier");
  CheckLayout(m, layout);
  std::vector<const PrimFunc*> funcs;
  std::set<std::string> kernel_set;
  for (const Kernel& k : m.kernels) {
    VerifyPrimFunc(k.func);
    Check(IsCIdentifier(k.func.name) && kernel_set.insert(k.func.name).second,
          "C emitter: kernel name '" + k.func.name + "' is not a unique C identifier");
    funcs.push_back(&k.func);
  }
  const std::vector<std::pair<Buffer, std::string>> constants = NameConstants(funcs, prefix);
  std::map<const BufferNode*, std::string> globals;
  for (const auto& [b, name] : constants) globals[b.get()] = name;

  std::set<Intrinsic> intrinsics;
  std::set<CHelper> helpers;
  std::vector<std::string> kernel_names;
  std::string functions;
  for (const Kernel& k : m.kernels) {
    FunctionEmitter fe(prefix, globals, &intrinsics, &helpers);
    functions += "\n" + fe.Emit(k.func, KernelComment(k));
    kernel_names.push_back(prefix + "_" + k.func.name);
  }

  std::ostringstream src;
  src << "/* Generated by tinyfuse (arithmetic: " << ArithName(m.arith) << "): " << m.kernels.size()
      << " kernels. Do not edit. */\n";
  src << "#include \"" << prefix << ".h\"\n\n#include <string.h>\n\n";
  // Kernels stay separate functions: inlining all of them into the entry point gains nothing at run time
  // and makes clang's optimizer superlinear in the model size.
  src << "#if defined(__GNUC__)\n#define " << prefix << "_NOINLINE __attribute__((noinline))\n#else\n#define " << prefix
      << "_NOINLINE\n#endif\n";
  FloatUse float_use;
  for (const PrimFunc* f : funcs) float_use.VisitStmt(f->body);
  if (float_use.found) src << kNoContraction;
  if (!constants.empty()) src << "\n";
  for (const auto& [b, name] : constants) src << ConstantArray(b, name);
  const std::string defs = IntrinsicDefinitions(std::vector<Intrinsic>(intrinsics.begin(), intrinsics.end()),
                                                std::vector<CHelper>(helpers.begin(), helpers.end()), prefix);
  if (!defs.empty()) src << "\n" << defs;
  src << functions << "\n" << InvokeBody(m, layout, prefix, kernel_names);

  GeneratedC out;
  out.prefix = prefix;
  out.header = Header(m, layout, prefix);
  out.source = src.str();
  out.inputs = m.inputs;
  out.outputs = m.outputs;
  out.arena_size = layout.size;
  out.arena_alignment = layout.alignment;
  return out;
}

void WriteGeneratedC(const GeneratedC& c, const std::string& dir) {
  for (const auto& [name, text] : {std::pair<std::string, const std::string*>{c.prefix + ".h", &c.header},
                                   std::pair<std::string, const std::string*>{c.prefix + ".c", &c.source}}) {
    const std::string path = dir + "/" + name;
    std::ofstream f(path, std::ios::binary);
    f << *text;
    f.close();
    Check(static_cast<bool>(f), "cannot write '" + path + "'");
  }
}

std::string EmitKernelC(const PrimFunc& f, const std::string& prefix) {
  VerifyPrimFunc(f);
  const std::vector<std::pair<Buffer, std::string>> constants = NameConstants({&f}, prefix);
  std::map<const BufferNode*, std::string> globals;
  for (const auto& [b, name] : constants) globals[b.get()] = name;
  std::set<Intrinsic> intrinsics;
  std::set<CHelper> helpers;
  FunctionEmitter fe(prefix, globals, &intrinsics, &helpers);
  const std::string fn = fe.Emit(f, "");
  std::string out;
  for (const auto& [b, name] : constants) out += ConstantArray(b, name);
  out += IntrinsicDefinitions(std::vector<Intrinsic>(intrinsics.begin(), intrinsics.end()),
                              std::vector<CHelper>(helpers.begin(), helpers.end()), prefix);
  return out + fn;
}

}  // namespace tinyfuse::codegen
