// The loop-nest IR: what one fused kernel does, as explicit loops over flat buffers, in the spirit of
// TVM's TIR. Lowering (lower_*.cc) produces it, the verifier checks it, the printer shows it, the workspace
// analysis measures it and the C emitter (codegen/) prints it as C. Nothing in it knows about operators.
//
// Identity: variables and buffers are objects; two `Var`s with the same name hint are different variables.
// Names are only hints for printing (printers make them unique).
//
// Semantics (the C emitter must preserve them exactly):
//  - Integer arithmetic is exact and never overflows: whoever builds an expression guarantees that the
//    mathematical result fits its type (lowering checks accumulator bounds; see lower_util.h). Div and Mod
//    truncate toward zero (C semantics). Shr is an arithmetic right shift.
//  - float32 arithmetic is IEEE single precision, round to nearest even, each operation rounded on its own
//    (the C emitter keeps operations that must not be fused into an FMA in separate statements: whoever
//    builds the IR binds such a product with a LetStmt). Casts int -> float round to nearest even;
//    float -> int goes through the saturating intrinsics only.
//  - Comparisons and And/Or/Not yield kBool. Select evaluates both arms (they have no side effects).
//  - Cast to a narrower integer type keeps the low bits (two's complement); lowering clamps first.
//  - Intrinsics (Call) are the fixed-point primitives of common/fixed_point.h, with exactly those results.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tinyfuse::loop {

// kInt64 is a storage type only (the int64 index outputs of ARG_MAX/ARG_MIN): values are computed in int32
// and cast to it for the store; no arithmetic is done in it.
enum class ScalarType : uint8_t { kBool, kInt8, kUInt8, kInt16, kInt32, kFloat32, kInt64 };
bool IsFloat(ScalarType t);
const char* ScalarTypeName(ScalarType t);  // "bool", "int8", ...
int ScalarTypeBytes(ScalarType t);         // bool counts as 1
int64_t ScalarTypeMin(ScalarType t);  // integer types; float32 reports the int32 range (unused)
int64_t ScalarTypeMax(ScalarType t);

// ---------------------------------------------------------------------------------------------------
// Buffers
// ---------------------------------------------------------------------------------------------------

// kArena: an activation tensor of the graph, passed to the kernel as a pointer into the arena.
// kConstant: compile-time data (weights, bias, multiplier tables) emitted as a `static const` array.
// kLocal: scratch memory owned by one Allocate; it counts as the kernel's workspace.
enum class BufferKind : uint8_t { kArena, kConstant, kLocal };
const char* BufferKindName(BufferKind k);

struct BufferNode {
  std::string name;            // hint for printing
  ScalarType dtype = ScalarType::kInt32;
  std::vector<int64_t> shape;  // logical shape (documentation); accesses use flat indices
  int64_t extent = 0;          // number of elements = product of shape
  BufferKind kind = BufferKind::kLocal;
  int tensor_id = -1;          // graph tensor for kArena (and kConstant taken from a graph tensor)
  std::vector<int32_t> values; // kConstant: the elements (each fits dtype); float32 as IEEE bit patterns
  int64_t bytes() const { return extent * ScalarTypeBytes(dtype); }
};
using Buffer = std::shared_ptr<const BufferNode>;

Buffer ArenaBuffer(std::string name, ScalarType dtype, std::vector<int64_t> shape, int tensor_id);
Buffer ConstantBuffer(std::string name, ScalarType dtype, std::vector<int64_t> shape, std::vector<int32_t> values,
                      int tensor_id = -1);
Buffer LocalBuffer(std::string name, ScalarType dtype, std::vector<int64_t> shape);
// A float32 constant from float values (stored as bit patterns).
Buffer FloatConstantBuffer(std::string name, std::vector<int64_t> shape, const std::vector<float>& values);
float FloatOfBits(int32_t bits);
int32_t BitsOfFloat(float f);

// ---------------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------------

enum class ExprKind : uint8_t { kIntImm, kFloatImm, kVar, kLoad, kBinary, kNot, kSelect, kCast, kCall };

enum class BinaryOp : uint8_t {
  kAdd, kSub, kMul, kDiv, kMod, kShr, kMin, kMax,  // arithmetic: operands and result of one type (Mod, Shr: int)
  kEq, kNe, kLt, kLe, kGt, kGe,                    // comparisons: int operands, bool result
  kAnd, kOr,                                       // logical: bool operands and result
};
const char* BinaryOpSymbol(BinaryOp op);  // "+", "min", "<=", "&&", ...
bool IsComparison(BinaryOp op);
bool IsLogical(BinaryOp op);

// The fixed-point primitives (common/fixed_point.h) and the few float conversions TFLite's float paths need.
// Argument and result types are in IntrinsicInfo (int32 unless stated).
enum class Intrinsic : uint8_t {
  kSaturatingRoundingDoublingHighMul,   // (a, b)
  kRoundingDivideByPOT,                 // (x, exponent), 0 <= exponent <= 31
  kMultiplyByQuantizedMultiplierDouble, // (x, multiplier, shift): TFLite Micro's double rounding
  kMultiplyByQuantizedMultiplierSingle, // (x, multiplier, shift): TFLite's single rounding
  kClamp,                               // (x, lo, hi)
  kWrappingAdd,                         // (a, b): two's-complement add, for sums not proven to fit
  kRequantizeFloat,                     // (acc, float scale): round_half_even(float(acc) * scale), saturated
  kFloatToInt32Trunc,                   // (float x): x truncated toward zero, saturated (NaN -> INT32_MIN)
  kFloatToInt32Round,                   // (float x): roundf(x) (half away from zero), saturated
  kCountLeadingZeros,                   // (x): leading zero bits of uint32(x), 32 for 0
  kWrappingShiftLeft,                   // (x, n): int32(uint32(x) << n), 0 <= n <= 31
  kOneOverOnePlusX,                     // (x): gemmlowp one_over_one_plus_x_for_x_in_0_1, Q0.31 in and out
  // Packed 16-bit pairs (Cortex-M DSP, with portable C of the same results; register_block.h uses them).
  // A pair is an int32 whose low half and high half (bits 0-15, 16-31) are two int16 lanes.
  kPack4,                               // (a, b, c, d): the low bytes of a, b, c, d as bytes 0..3 of an int32
  kSxtb16,                              // (x): lanes (int8 byte 0 of x, int8 byte 2 of x), sign-extended
  kUxtb16,                              // (x): lanes (uint8 byte 0 of x, uint8 byte 2 of x), zero-extended
  kAdd16,                               // (a, b): lane-wise int16 sum, each lane wrapping mod 2^16
  kSmlad,                               // (a, b, acc): acc + a.lo * b.lo + a.hi * b.hi, wrapping mod 2^32
  kSxtb16Ror8,                          // (x): lanes (int8 byte 1 of x, int8 byte 3 of x), sign-extended
  kUxtb16Ror8,                          // (x): lanes (uint8 byte 1 of x, uint8 byte 3 of x), zero-extended
  kSmlabb,                              // (a, b, acc): acc + a.lo * b.lo, wrapping mod 2^32
  kSmlatt,                              // (a, b, acc): acc + a.hi * b.hi, wrapping mod 2^32
};
struct IntrinsicInfo {
  const char* name;  // printed as @name; C helper PREFIX_name
  int num_args;
  ScalarType result;
  std::vector<ScalarType> args;
};
const IntrinsicInfo& GetIntrinsicInfo(Intrinsic op);

struct ExprNode {
  ExprNode(ExprKind k, ScalarType t) : kind(k), type(t) {}
  virtual ~ExprNode() = default;
  const ExprKind kind;
  const ScalarType type;
};
using Expr = std::shared_ptr<const ExprNode>;

struct IntImmNode : ExprNode {
  IntImmNode(ScalarType t, int64_t v) : ExprNode(ExprKind::kIntImm, t), value(v) {}
  int64_t value;
};
struct FloatImmNode : ExprNode {
  explicit FloatImmNode(float v) : ExprNode(ExprKind::kFloatImm, ScalarType::kFloat32), value(v) {}
  float value;
};
struct VarNode : ExprNode {
  VarNode(std::string n, ScalarType t) : ExprNode(ExprKind::kVar, t), name_hint(std::move(n)) {}
  std::string name_hint;
};
using Var = std::shared_ptr<const VarNode>;
struct LoadNode : ExprNode {
  LoadNode(Buffer b, Expr i) : ExprNode(ExprKind::kLoad, b->dtype), buffer(std::move(b)), index(std::move(i)) {}
  Buffer buffer;
  Expr index;
};
struct BinaryNode : ExprNode {
  BinaryNode(BinaryOp o, ScalarType t, Expr x, Expr y)
      : ExprNode(ExprKind::kBinary, t), op(o), a(std::move(x)), b(std::move(y)) {}
  BinaryOp op;
  Expr a, b;
};
struct NotNode : ExprNode {
  explicit NotNode(Expr x) : ExprNode(ExprKind::kNot, ScalarType::kBool), a(std::move(x)) {}
  Expr a;
};
struct SelectNode : ExprNode {
  SelectNode(Expr c, Expr t, Expr f)
      : ExprNode(ExprKind::kSelect, t->type), cond(std::move(c)), true_value(std::move(t)), false_value(std::move(f)) {}
  Expr cond, true_value, false_value;
};
struct CastNode : ExprNode {
  CastNode(ScalarType t, Expr v) : ExprNode(ExprKind::kCast, t), value(std::move(v)) {}
  Expr value;
};
struct CallNode : ExprNode {
  CallNode(Intrinsic o, std::vector<Expr> a)
      : ExprNode(ExprKind::kCall, GetIntrinsicInfo(o).result), op(o), args(std::move(a)) {}
  Intrinsic op;
  std::vector<Expr> args;
};

// Downcast helper: As<LoadNode>(e) is null unless e is a Load.
template <typename T>
const T* As(const Expr& e);

// Builders. Arithmetic builders fold constants and drop identities (x + 0, x * 1) so printed IR stays
// readable; they never change results. Operand types must match (checked by the verifier, not here).
Var MakeVar(std::string name_hint, ScalarType t = ScalarType::kInt32);
Expr Imm(int64_t v, ScalarType t = ScalarType::kInt32);
Expr Bool(bool v);
Expr FloatImm(float v);
Expr Load(Buffer b, Expr index);
Expr Binary(BinaryOp op, Expr a, Expr b);
Expr Add(Expr a, Expr b);
Expr Sub(Expr a, Expr b);
Expr Mul(Expr a, Expr b);
Expr Div(Expr a, Expr b);
Expr Mod(Expr a, Expr b);
Expr Shr(Expr a, Expr b);
Expr Min(Expr a, Expr b);
Expr Max(Expr a, Expr b);
Expr Eq(Expr a, Expr b);
Expr Ne(Expr a, Expr b);
Expr Lt(Expr a, Expr b);
Expr Le(Expr a, Expr b);
Expr Gt(Expr a, Expr b);
Expr Ge(Expr a, Expr b);
Expr And(Expr a, Expr b);  // null operand = true (handy for building conjunctions)
Expr Or(Expr a, Expr b);
Expr Not(Expr a);
Expr Select(Expr cond, Expr t, Expr f);
Expr Cast(ScalarType t, Expr v);  // no-op when v already has type t
Expr Call(Intrinsic op, std::vector<Expr> args);

// True (and sets *v) when e is an integer immediate.
bool IsConst(const Expr& e, int64_t* v = nullptr);

// ---------------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------------

enum class StmtKind : uint8_t { kFor, kAllocate, kStore, kIfThenElse, kLetStmt, kSeq };
// kUnrolled is a schedule hint: the emitter may unroll (today it prints a plain loop with a pragma-free
// comment); semantics are those of kSerial.
enum class ForKind : uint8_t { kSerial, kUnrolled };

struct StmtNode {
  explicit StmtNode(StmtKind k) : kind(k) {}
  virtual ~StmtNode() = default;
  const StmtKind kind;
};
using Stmt = std::shared_ptr<const StmtNode>;

struct ForNode : StmtNode {
  ForNode(Var v, Expr mn, Expr ext, Stmt b, ForKind k)
      : StmtNode(StmtKind::kFor), var(std::move(v)), min(std::move(mn)), extent(std::move(ext)), body(std::move(b)),
        for_kind(k) {}
  Var var;
  Expr min, extent;  // iterates var = min .. min + extent - 1; extent <= 0 runs nothing
  Stmt body;
  ForKind for_kind;
};
struct AllocateNode : StmtNode {
  AllocateNode(Buffer b, Stmt s) : StmtNode(StmtKind::kAllocate), buffer(std::move(b)), body(std::move(s)) {}
  Buffer buffer;  // kind kLocal; uninitialized on entry
  Stmt body;
};
struct StoreNode : StmtNode {
  StoreNode(Buffer b, Expr i, Expr v)
      : StmtNode(StmtKind::kStore), buffer(std::move(b)), index(std::move(i)), value(std::move(v)) {}
  Buffer buffer;
  Expr index, value;
};
struct IfThenElseNode : StmtNode {
  IfThenElseNode(Expr c, Stmt t, Stmt e)
      : StmtNode(StmtKind::kIfThenElse), cond(std::move(c)), then_case(std::move(t)), else_case(std::move(e)) {}
  Expr cond;
  Stmt then_case;
  Stmt else_case;  // may be null
};
struct LetStmtNode : StmtNode {
  LetStmtNode(Var v, Expr val, Stmt b)
      : StmtNode(StmtKind::kLetStmt), var(std::move(v)), value(std::move(val)), body(std::move(b)) {}
  Var var;
  Expr value;
  Stmt body;
};
struct SeqNode : StmtNode {
  explicit SeqNode(std::vector<Stmt> s) : StmtNode(StmtKind::kSeq), stmts(std::move(s)) {}
  std::vector<Stmt> stmts;
};

template <typename T>
const T* As(const Stmt& s);

Stmt For(Var var, Expr min, Expr extent, Stmt body, ForKind kind = ForKind::kSerial);
Stmt Allocate(Buffer buffer, Stmt body);
Stmt Store(Buffer buffer, Expr index, Expr value);
Stmt IfThenElse(Expr cond, Stmt then_case, Stmt else_case = nullptr);  // cond null or true: then_case
Stmt LetStmt(Var var, Expr value, Stmt body);
Stmt Seq(std::vector<Stmt> stmts);  // flattens nested Seqs, drops nulls; one element: that element

// ---------------------------------------------------------------------------------------------------
// Kernels
// ---------------------------------------------------------------------------------------------------

// One fused kernel: reads and writes its arena params, reads constants, owns its Allocates.
struct PrimFunc {
  std::string name;            // C-friendly, without the model prefix, e.g. "dwconv2d_rq_n0"
  std::vector<Buffer> params;  // kArena buffers, inputs first, then outputs
  int num_inputs = 0;          // params[0..num_inputs) are read-only
  Stmt body;
};

// Every constant buffer referenced by `f`, in first-use order (deterministic).
std::vector<Buffer> CollectConstants(const PrimFunc& f);

// ---------------------------------------------------------------------------------------------------
// Template definitions
// ---------------------------------------------------------------------------------------------------
namespace detail {
template <typename T> struct ExprKindOf;
template <> struct ExprKindOf<IntImmNode> { static constexpr ExprKind value = ExprKind::kIntImm; };
template <> struct ExprKindOf<FloatImmNode> { static constexpr ExprKind value = ExprKind::kFloatImm; };
template <> struct ExprKindOf<VarNode> { static constexpr ExprKind value = ExprKind::kVar; };
template <> struct ExprKindOf<LoadNode> { static constexpr ExprKind value = ExprKind::kLoad; };
template <> struct ExprKindOf<BinaryNode> { static constexpr ExprKind value = ExprKind::kBinary; };
template <> struct ExprKindOf<NotNode> { static constexpr ExprKind value = ExprKind::kNot; };
template <> struct ExprKindOf<SelectNode> { static constexpr ExprKind value = ExprKind::kSelect; };
template <> struct ExprKindOf<CastNode> { static constexpr ExprKind value = ExprKind::kCast; };
template <> struct ExprKindOf<CallNode> { static constexpr ExprKind value = ExprKind::kCall; };
template <typename T> struct StmtKindOf;
template <> struct StmtKindOf<ForNode> { static constexpr StmtKind value = StmtKind::kFor; };
template <> struct StmtKindOf<AllocateNode> { static constexpr StmtKind value = StmtKind::kAllocate; };
template <> struct StmtKindOf<StoreNode> { static constexpr StmtKind value = StmtKind::kStore; };
template <> struct StmtKindOf<IfThenElseNode> { static constexpr StmtKind value = StmtKind::kIfThenElse; };
template <> struct StmtKindOf<LetStmtNode> { static constexpr StmtKind value = StmtKind::kLetStmt; };
template <> struct StmtKindOf<SeqNode> { static constexpr StmtKind value = StmtKind::kSeq; };
}  // namespace detail

template <typename T>
const T* As(const Expr& e) {
  return e && e->kind == detail::ExprKindOf<T>::value ? static_cast<const T*>(e.get()) : nullptr;
}
template <typename T>
const T* As(const Stmt& s) {
  return s && s->kind == detail::StmtKindOf<T>::value ? static_cast<const T*>(s.get()) : nullptr;
}

}  // namespace tinyfuse::loop
