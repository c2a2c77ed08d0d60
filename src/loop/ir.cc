#include "loop/ir.h"

#include <cstdint>
#include <cstring>
#include <set>

#include "loop/visitor.h"

namespace tinyfuse::loop {

const char* ScalarTypeName(ScalarType t) {
  switch (t) {
    case ScalarType::kBool: return "bool";
    case ScalarType::kInt8: return "int8";
    case ScalarType::kUInt8: return "uint8";
    case ScalarType::kInt16: return "int16";
    case ScalarType::kInt32: return "int32";
    case ScalarType::kFloat32: return "float32";
    case ScalarType::kInt64: return "int64";
  }
  return "?";
}

bool IsFloat(ScalarType t) { return t == ScalarType::kFloat32; }

int ScalarTypeBytes(ScalarType t) {
  switch (t) {
    case ScalarType::kBool:
    case ScalarType::kInt8:
    case ScalarType::kUInt8: return 1;
    case ScalarType::kInt16: return 2;
    case ScalarType::kInt32:
    case ScalarType::kFloat32: return 4;
    case ScalarType::kInt64: return 8;
  }
  return 1;
}

int64_t ScalarTypeMin(ScalarType t) {
  switch (t) {
    case ScalarType::kBool: return 0;
    case ScalarType::kInt8: return -128;
    case ScalarType::kUInt8: return 0;
    case ScalarType::kInt16: return -32768;
    case ScalarType::kInt32:
    case ScalarType::kFloat32: return -2147483648LL;
    case ScalarType::kInt64: return INT64_MIN;
  }
  return 0;
}

int64_t ScalarTypeMax(ScalarType t) {
  switch (t) {
    case ScalarType::kBool: return 1;
    case ScalarType::kInt8: return 127;
    case ScalarType::kUInt8: return 255;
    case ScalarType::kInt16: return 32767;
    case ScalarType::kInt32:
    case ScalarType::kFloat32: return 2147483647LL;
    case ScalarType::kInt64: return INT64_MAX;
  }
  return 0;
}

const char* BufferKindName(BufferKind k) {
  switch (k) {
    case BufferKind::kArena: return "arena";
    case BufferKind::kConstant: return "const";
    case BufferKind::kLocal: return "local";
  }
  return "?";
}

namespace {
int64_t Product(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}
Buffer MakeBuffer(std::string name, ScalarType dtype, std::vector<int64_t> shape, BufferKind kind, int tensor_id,
                  std::vector<int32_t> values) {
  auto b = std::make_shared<BufferNode>();
  b->name = std::move(name);
  b->dtype = dtype;
  b->extent = Product(shape);
  b->shape = std::move(shape);
  b->kind = kind;
  b->tensor_id = tensor_id;
  b->values = std::move(values);
  return b;
}
}  // namespace

Buffer ArenaBuffer(std::string name, ScalarType dtype, std::vector<int64_t> shape, int tensor_id) {
  return MakeBuffer(std::move(name), dtype, std::move(shape), BufferKind::kArena, tensor_id, {});
}
Buffer ConstantBuffer(std::string name, ScalarType dtype, std::vector<int64_t> shape, std::vector<int32_t> values,
                      int tensor_id) {
  return MakeBuffer(std::move(name), dtype, std::move(shape), BufferKind::kConstant, tensor_id, std::move(values));
}
Buffer LocalBuffer(std::string name, ScalarType dtype, std::vector<int64_t> shape) {
  return MakeBuffer(std::move(name), dtype, std::move(shape), BufferKind::kLocal, -1, {});
}

float FloatOfBits(int32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

int32_t BitsOfFloat(float f) {
  int32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  return bits;
}

Buffer FloatConstantBuffer(std::string name, std::vector<int64_t> shape, const std::vector<float>& values) {
  std::vector<int32_t> bits;
  for (float f : values) bits.push_back(BitsOfFloat(f));
  return MakeBuffer(std::move(name), ScalarType::kFloat32, std::move(shape), BufferKind::kConstant, -1,
                    std::move(bits));
}

const char* BinaryOpSymbol(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd: return "+";
    case BinaryOp::kSub: return "-";
    case BinaryOp::kMul: return "*";
    case BinaryOp::kDiv: return "/";
    case BinaryOp::kMod: return "%";
    case BinaryOp::kShr: return ">>";
    case BinaryOp::kMin: return "min";
    case BinaryOp::kMax: return "max";
    case BinaryOp::kEq: return "==";
    case BinaryOp::kNe: return "!=";
    case BinaryOp::kLt: return "<";
    case BinaryOp::kLe: return "<=";
    case BinaryOp::kGt: return ">";
    case BinaryOp::kGe: return ">=";
    case BinaryOp::kAnd: return "&&";
    case BinaryOp::kOr: return "||";
  }
  return "?";
}

bool IsComparison(BinaryOp op) { return op >= BinaryOp::kEq && op <= BinaryOp::kGe; }
bool IsLogical(BinaryOp op) { return op == BinaryOp::kAnd || op == BinaryOp::kOr; }

const IntrinsicInfo& GetIntrinsicInfo(Intrinsic op) {
  constexpr ScalarType kI = ScalarType::kInt32;
  constexpr ScalarType kF = ScalarType::kFloat32;
  static const IntrinsicInfo kInfo[] = {
      {"srdhm", 2, kI, {kI, kI}},  // kSaturatingRoundingDoublingHighMul
      {"rounding_divide_by_pot", 2, kI, {kI, kI}},
      {"mbqm_double", 3, kI, {kI, kI, kI}},
      {"mbqm_single", 3, kI, {kI, kI, kI}},
      {"clamp", 3, kI, {kI, kI, kI}},
      {"wrapping_add", 2, kI, {kI, kI}},
      {"requantize_float", 2, kI, {kI, kF}},
      {"f32_to_i32_trunc", 1, kI, {kF}},
      {"f32_to_i32_round", 1, kI, {kF}},
      {"clz", 1, kI, {kI}},
      {"wrapping_shl", 2, kI, {kI, kI}},
      {"one_over_one_plus_x", 1, kI, {kI}},
      {"pack4", 4, kI, {kI, kI, kI, kI}},
      {"sxtb16", 1, kI, {kI}},
      {"uxtb16", 1, kI, {kI}},
      {"add16", 2, kI, {kI, kI}},
      {"smlad", 3, kI, {kI, kI, kI}},
      {"sxtb16_ror8", 1, kI, {kI}},
      {"uxtb16_ror8", 1, kI, {kI}},
      {"smlabb", 3, kI, {kI, kI, kI}},
      {"smlatt", 3, kI, {kI, kI, kI}},
  };
  return kInfo[static_cast<int>(op)];
}

// ---------------------------------------------------------------------------------------------------
// Expression builders
// ---------------------------------------------------------------------------------------------------

Var MakeVar(std::string name_hint, ScalarType t) { return std::make_shared<VarNode>(std::move(name_hint), t); }
Expr Imm(int64_t v, ScalarType t) { return std::make_shared<IntImmNode>(t, v); }
Expr Bool(bool v) { return Imm(v ? 1 : 0, ScalarType::kBool); }
Expr FloatImm(float v) { return std::make_shared<FloatImmNode>(v); }
Expr Load(Buffer b, Expr index) { return std::make_shared<LoadNode>(std::move(b), std::move(index)); }

bool IsConst(const Expr& e, int64_t* v) {
  const IntImmNode* imm = As<IntImmNode>(e);
  if (imm && v) *v = imm->value;
  return imm != nullptr;
}

namespace {
bool FitsType(int64_t v, ScalarType t) { return v >= ScalarTypeMin(t) && v <= ScalarTypeMax(t); }

// Folds op(x, y) for two immediates; false when the result would not be exact (overflow, division by 0).
bool Fold(BinaryOp op, int64_t x, int64_t y, ScalarType t, int64_t* r) {
  switch (op) {
    case BinaryOp::kAdd: *r = x + y; break;
    case BinaryOp::kSub: *r = x - y; break;
    case BinaryOp::kMul: *r = x * y; break;
    case BinaryOp::kDiv:
      if (y == 0) return false;
      *r = x / y;
      break;
    case BinaryOp::kMod:
      if (y == 0) return false;
      *r = x % y;
      break;
    case BinaryOp::kShr:
      if (y < 0 || y > 31) return false;
      *r = x >> y;
      break;
    case BinaryOp::kMin: *r = x < y ? x : y; break;
    case BinaryOp::kMax: *r = x > y ? x : y; break;
    case BinaryOp::kEq: *r = x == y; return true;
    case BinaryOp::kNe: *r = x != y; return true;
    case BinaryOp::kLt: *r = x < y; return true;
    case BinaryOp::kLe: *r = x <= y; return true;
    case BinaryOp::kGt: *r = x > y; return true;
    case BinaryOp::kGe: *r = x >= y; return true;
    case BinaryOp::kAnd: *r = (x != 0) && (y != 0); return true;
    case BinaryOp::kOr: *r = (x != 0) || (y != 0); return true;
  }
  return FitsType(*r, t);
}
}  // namespace

Expr Binary(BinaryOp op, Expr a, Expr b) {
  const ScalarType t = (IsComparison(op) || IsLogical(op)) ? ScalarType::kBool : a->type;
  int64_t x = 0, y = 0;
  const bool ca = IsConst(a, &x), cb = IsConst(b, &y);
  int64_t r = 0;
  if (ca && cb && Fold(op, x, y, t, &r)) return Imm(r, t);
  switch (op) {
    case BinaryOp::kAdd:
      if (ca && x == 0) return b;
      if (cb && y == 0) return a;
      break;
    case BinaryOp::kSub:
      if (cb && y == 0) return a;
      break;
    case BinaryOp::kMul:
      if (ca && x == 1) return b;
      if (cb && y == 1) return a;
      if ((ca && x == 0) || (cb && y == 0)) return Imm(0, t);
      break;
    case BinaryOp::kDiv:
    case BinaryOp::kShr:
      if (cb && y == (op == BinaryOp::kDiv ? 1 : 0)) return a;
      break;
    case BinaryOp::kAnd:
      if (ca) return x ? b : a;
      if (cb) return y ? a : b;
      break;
    case BinaryOp::kOr:
      if (ca) return x ? a : b;
      if (cb) return y ? b : a;
      break;
    default:
      break;
  }
  return std::make_shared<BinaryNode>(op, t, std::move(a), std::move(b));
}

Expr Add(Expr a, Expr b) {
  // a + (c - a) -> c (a loop's end, min + extent, for extents written as end - min).
  if (const BinaryNode* d = As<BinaryNode>(b); d && d->op == BinaryOp::kSub && d->b == a) return d->a;
  // (x + c1) + c2 -> x + (c1 + c2), and (x - c1) + c2 likewise: keeps index arithmetic short.
  int64_t c2 = 0, c1 = 0;
  if (IsConst(b, &c2)) {
    if (const BinaryNode* ab = As<BinaryNode>(a); ab && IsConst(ab->b, &c1)) {
      if (ab->op == BinaryOp::kAdd) return Add(ab->a, Imm(c1 + c2, a->type));
      if (ab->op == BinaryOp::kSub) return Add(ab->a, Imm(c2 - c1, a->type));
    }
    if (c2 < 0 && c2 != ScalarTypeMin(a->type)) return Binary(BinaryOp::kSub, std::move(a), Imm(-c2, b->type));
  }
  return Binary(BinaryOp::kAdd, std::move(a), std::move(b));
}
Expr Sub(Expr a, Expr b) {
  int64_t c = 0;
  if (IsConst(b, &c) && c != ScalarTypeMin(b->type) && !IsConst(a)) return Add(std::move(a), Imm(-c, b->type));
  return Binary(BinaryOp::kSub, std::move(a), std::move(b));
}
Expr Mul(Expr a, Expr b) { return Binary(BinaryOp::kMul, std::move(a), std::move(b)); }
Expr Div(Expr a, Expr b) { return Binary(BinaryOp::kDiv, std::move(a), std::move(b)); }
Expr Mod(Expr a, Expr b) { return Binary(BinaryOp::kMod, std::move(a), std::move(b)); }
Expr Shr(Expr a, Expr b) { return Binary(BinaryOp::kShr, std::move(a), std::move(b)); }
Expr Min(Expr a, Expr b) { return Binary(BinaryOp::kMin, std::move(a), std::move(b)); }
Expr Max(Expr a, Expr b) { return Binary(BinaryOp::kMax, std::move(a), std::move(b)); }
Expr Eq(Expr a, Expr b) { return Binary(BinaryOp::kEq, std::move(a), std::move(b)); }
Expr Ne(Expr a, Expr b) { return Binary(BinaryOp::kNe, std::move(a), std::move(b)); }
Expr Lt(Expr a, Expr b) { return Binary(BinaryOp::kLt, std::move(a), std::move(b)); }
Expr Le(Expr a, Expr b) { return Binary(BinaryOp::kLe, std::move(a), std::move(b)); }
Expr Gt(Expr a, Expr b) { return Binary(BinaryOp::kGt, std::move(a), std::move(b)); }
Expr Ge(Expr a, Expr b) { return Binary(BinaryOp::kGe, std::move(a), std::move(b)); }
Expr And(Expr a, Expr b) {
  if (!a) return b;
  if (!b) return a;
  return Binary(BinaryOp::kAnd, std::move(a), std::move(b));
}
Expr Or(Expr a, Expr b) { return Binary(BinaryOp::kOr, std::move(a), std::move(b)); }
Expr Not(Expr a) {
  int64_t v = 0;
  if (IsConst(a, &v)) return Bool(v == 0);
  return std::make_shared<NotNode>(std::move(a));
}
Expr Select(Expr cond, Expr t, Expr f) {
  int64_t v = 0;
  if (IsConst(cond, &v)) return v ? t : f;
  return std::make_shared<SelectNode>(std::move(cond), std::move(t), std::move(f));
}
Expr Cast(ScalarType t, Expr v) {
  if (v->type == t) return v;
  int64_t c = 0;
  if (IsConst(v, &c) && IsFloat(t)) return FloatImm(static_cast<float>(c));
  if (IsConst(v, &c) && FitsType(c, t)) return Imm(c, t);
  return std::make_shared<CastNode>(t, std::move(v));
}
Expr Call(Intrinsic op, std::vector<Expr> args) { return std::make_shared<CallNode>(op, std::move(args)); }

// ---------------------------------------------------------------------------------------------------
// Statement builders
// ---------------------------------------------------------------------------------------------------

Stmt For(Var var, Expr min, Expr extent, Stmt body, ForKind kind) {
  return std::make_shared<ForNode>(std::move(var), std::move(min), std::move(extent), std::move(body), kind);
}
Stmt Allocate(Buffer buffer, Stmt body) { return std::make_shared<AllocateNode>(std::move(buffer), std::move(body)); }
Stmt Store(Buffer buffer, Expr index, Expr value) {
  return std::make_shared<StoreNode>(std::move(buffer), std::move(index), std::move(value));
}
Stmt IfThenElse(Expr cond, Stmt then_case, Stmt else_case) {
  int64_t v = 0;
  if (!cond) return then_case;
  if (IsConst(cond, &v)) return v ? then_case : else_case;
  return std::make_shared<IfThenElseNode>(std::move(cond), std::move(then_case), std::move(else_case));
}
Stmt LetStmt(Var var, Expr value, Stmt body) {
  return std::make_shared<LetStmtNode>(std::move(var), std::move(value), std::move(body));
}
Stmt Seq(std::vector<Stmt> stmts) {
  std::vector<Stmt> flat;
  for (Stmt& s : stmts) {
    if (!s) continue;
    if (const SeqNode* seq = As<SeqNode>(s)) {
      flat.insert(flat.end(), seq->stmts.begin(), seq->stmts.end());
    } else {
      flat.push_back(std::move(s));
    }
  }
  if (flat.size() == 1) return flat[0];
  return std::make_shared<SeqNode>(std::move(flat));
}

// ---------------------------------------------------------------------------------------------------
// Constants of a kernel
// ---------------------------------------------------------------------------------------------------

namespace {
class ConstantCollector : public IRVisitor {
 public:
  std::vector<Buffer> out;
  void VisitExpr(const Expr& e) override {
    if (const LoadNode* n = As<LoadNode>(e)) {
      if (n->buffer->kind == BufferKind::kConstant && seen_.insert(n->buffer.get()).second) out.push_back(n->buffer);
    }
    IRVisitor::VisitExpr(e);
  }

 private:
  std::set<const BufferNode*> seen_;
};
}  // namespace

std::vector<Buffer> CollectConstants(const PrimFunc& f) {
  ConstantCollector c;
  c.VisitStmt(f.body);
  return c.out;
}

}  // namespace tinyfuse::loop
