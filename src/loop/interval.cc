#include "loop/interval.h"

#include <algorithm>
#include <cstdlib>

namespace tinyfuse::loop {

Interval TypeRange(ScalarType t) { return {ScalarTypeMin(t), ScalarTypeMax(t)}; }

namespace {

// Interval arithmetic saturates at +-2^62 so that intermediate products of int32 ranges stay exact and
// nothing overflows int64 (a bound that large is as good as unknown for every check we make).
constexpr int64_t kHuge = int64_t{1} << 62;
int64_t Sat(__int128 v) { return v > kHuge ? kHuge : (v < -kHuge ? -kHuge : static_cast<int64_t>(v)); }

Interval Hull(Interval a, Interval b) { return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)}; }

Interval MulInterval(Interval a, Interval b) {
  const __int128 c[4] = {static_cast<__int128>(a.lo) * b.lo, static_cast<__int128>(a.lo) * b.hi,
                         static_cast<__int128>(a.hi) * b.lo, static_cast<__int128>(a.hi) * b.hi};
  return {Sat(*std::min_element(c, c + 4)), Sat(*std::max_element(c, c + 4))};
}

// An interval that covers all of int32: nothing is known about the value (a load of an int32 local, say).
bool Unknown(Interval r) { return r.lo <= -2147483648LL && r.hi >= 2147483647LL; }

Interval Binary(BinaryOp op, Interval a, Interval b, ScalarType t) {
  // Arithmetic on an unknown value stays unknown (a constant offset must not make it look bounded).
  const bool arithmetic = op == BinaryOp::kAdd || op == BinaryOp::kSub || op == BinaryOp::kMul ||
                          op == BinaryOp::kDiv || op == BinaryOp::kMod || op == BinaryOp::kShr;
  if (arithmetic && (Unknown(a) || Unknown(b))) return TypeRange(ScalarType::kInt32);
  switch (op) {
    case BinaryOp::kAdd: return {Sat(static_cast<__int128>(a.lo) + b.lo), Sat(static_cast<__int128>(a.hi) + b.hi)};
    case BinaryOp::kSub: return {Sat(static_cast<__int128>(a.lo) - b.hi), Sat(static_cast<__int128>(a.hi) - b.lo)};
    case BinaryOp::kMul: return MulInterval(a, b);
    case BinaryOp::kDiv:
      if (b.lo > 0) {  // truncating division by a positive divisor is monotone in the dividend
        const int64_t c[4] = {a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi};
        return {*std::min_element(c, c + 4), *std::max_element(c, c + 4)};
      }
      return {-std::max(std::abs(a.lo), std::abs(a.hi)), std::max(std::abs(a.lo), std::abs(a.hi))};
    case BinaryOp::kMod:
      if (b.lo > 0) {
        const int64_t m = b.hi - 1;
        if (a.lo >= 0) return {0, std::min(a.hi, m)};
        return {-m, m};
      }
      return TypeRange(t);
    case BinaryOp::kShr:
      if (b.lo >= 0 && b.hi <= 62) {
        const int64_t c[4] = {a.lo >> b.lo, a.lo >> b.hi, a.hi >> b.lo, a.hi >> b.hi};
        return {*std::min_element(c, c + 4), *std::max_element(c, c + 4)};
      }
      return TypeRange(t);
    case BinaryOp::kMin: return {std::min(a.lo, b.lo), std::min(a.hi, b.hi)};
    case BinaryOp::kMax: return {std::max(a.lo, b.lo), std::max(a.hi, b.hi)};
    default: return {0, 1};  // comparisons and logic
  }
}

}  // namespace

Interval EvalInterval(const Expr& e, const VarRanges& vars) {
  switch (e->kind) {
    case ExprKind::kIntImm: {
      const int64_t v = As<IntImmNode>(e)->value;
      return {v, v};
    }
    case ExprKind::kFloatImm: return TypeRange(ScalarType::kInt32);  // floats are not tracked
    case ExprKind::kVar: {
      auto it = vars.find(As<VarNode>(e));
      return it != vars.end() ? it->second : TypeRange(e->type);
    }
    case ExprKind::kLoad: {
      const LoadNode* n = As<LoadNode>(e);
      const BufferNode& b = *n->buffer;
      if (b.kind == BufferKind::kConstant && !b.values.empty() && !IsFloat(b.dtype)) {
        const auto [mn, mx] = std::minmax_element(b.values.begin(), b.values.end());
        return {*mn, *mx};
      }
      return TypeRange(b.dtype);
    }
    case ExprKind::kBinary: {
      const BinaryNode* n = As<BinaryNode>(e);
      if (IsFloat(n->a->type)) return IsFloat(n->type) ? TypeRange(ScalarType::kInt32) : Interval{0, 1};
      return Binary(n->op, EvalInterval(n->a, vars), EvalInterval(n->b, vars), n->type);
    }
    case ExprKind::kNot: return {0, 1};
    case ExprKind::kSelect: {
      const SelectNode* n = As<SelectNode>(e);
      return Hull(EvalInterval(n->true_value, vars), EvalInterval(n->false_value, vars));
    }
    case ExprKind::kCast: {
      const CastNode* n = As<CastNode>(e);
      if (IsFloat(n->type) || IsFloat(n->value->type)) return TypeRange(ScalarType::kInt32);
      const Interval v = EvalInterval(n->value, vars);
      const Interval r = TypeRange(n->type);
      return v.Within(r.lo, r.hi) ? v : r;
    }
    case ExprKind::kCall: {
      const CallNode* n = As<CallNode>(e);
      if (n->op == Intrinsic::kClamp) {
        const Interval x = EvalInterval(n->args[0], vars);
        const Interval lo = EvalInterval(n->args[1], vars);
        const Interval hi = EvalInterval(n->args[2], vars);
        return {std::max(x.lo, lo.lo), std::min(std::max(x.hi, lo.hi), hi.hi)};
      }
      return TypeRange(ScalarType::kInt32);
    }
  }
  return TypeRange(e->type);
}

void RefineWithCondition(const Expr& cond, VarRanges* vars) {
  const BinaryNode* n = As<BinaryNode>(cond);
  if (!n) return;
  if (n->op == BinaryOp::kAnd) {
    RefineWithCondition(n->a, vars);
    RefineWithCondition(n->b, vars);
    return;
  }
  if (!IsComparison(n->op) || n->op == BinaryOp::kNe) return;
  // Normalise to `var OP bound`.
  const VarNode* v = As<VarNode>(n->a);
  Expr bound = n->b;
  BinaryOp op = n->op;
  if (!v) {
    v = As<VarNode>(n->b);
    bound = n->a;
    switch (op) {
      case BinaryOp::kLt: op = BinaryOp::kGt; break;
      case BinaryOp::kLe: op = BinaryOp::kGe; break;
      case BinaryOp::kGt: op = BinaryOp::kLt; break;
      case BinaryOp::kGe: op = BinaryOp::kLe; break;
      default: break;
    }
  }
  if (!v) return;
  const Interval b = EvalInterval(bound, *vars);
  auto it = vars->find(v);
  Interval r = it != vars->end() ? it->second : TypeRange(v->type);
  switch (op) {
    case BinaryOp::kLt: r.hi = std::min(r.hi, b.hi - 1); break;
    case BinaryOp::kLe: r.hi = std::min(r.hi, b.hi); break;
    case BinaryOp::kGt: r.lo = std::max(r.lo, b.lo + 1); break;
    case BinaryOp::kGe: r.lo = std::max(r.lo, b.lo); break;
    case BinaryOp::kEq:
      r.lo = std::max(r.lo, b.lo);
      r.hi = std::min(r.hi, b.hi);
      break;
    default: break;
  }
  (*vars)[v] = r;
}

}  // namespace tinyfuse::loop
