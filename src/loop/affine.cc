#include "loop/affine.h"

#include <utility>

#include "loop/mutator.h"

namespace tinyfuse::loop {

namespace {

bool IsAffineOp(BinaryOp op) { return op == BinaryOp::kAdd || op == BinaryOp::kSub || op == BinaryOp::kMul; }

// x * y where one side has no variables.
std::optional<Affine> Product(Affine x, Affine y) {
  if (!x.coef.empty() && !y.coef.empty()) return std::nullopt;
  if (!x.coef.empty()) std::swap(x, y);  // x is the constant factor
  Affine r;
  for (const auto& [v, c] : y.coef) {
    if (c * x.constant != 0) r.coef[v] = c * x.constant;
  }
  r.constant = y.constant * x.constant;
  return r;
}

// x + sign * y
Affine Sum(Affine x, const Affine& y, int64_t sign) {
  for (const auto& [v, c] : y.coef) {
    const int64_t s = x.Coef(v) + sign * c;
    if (s == 0) {
      x.coef.erase(v);
    } else {
      x.coef[v] = s;
    }
  }
  x.constant += sign * y.constant;
  return x;
}

}  // namespace

std::optional<Affine> AffineOf(const Expr& e, const LetValues* lets) {
  Affine r;
  if (IsConst(e, &r.constant)) return r;
  if (const VarNode* x = As<VarNode>(e)) {
    if (lets) {
      auto it = lets->find(x);
      if (it != lets->end()) return AffineOf(it->second, lets);
    }
    r.coef[x] = 1;
    return r;
  }
  const BinaryNode* b = As<BinaryNode>(e);
  if (!b || !IsAffineOp(b->op)) return std::nullopt;
  const std::optional<Affine> x = AffineOf(b->a, lets), y = AffineOf(b->b, lets);
  if (!x || !y) return std::nullopt;
  if (b->op == BinaryOp::kMul) return Product(*x, *y);
  return Sum(*x, *y, b->op == BinaryOp::kAdd ? 1 : -1);
}

std::optional<int64_t> CoefficientOf(const Expr& e, const VarNode* v) {
  if (const VarNode* x = As<VarNode>(e)) return x == v ? 1 : 0;
  if (As<IntImmNode>(e)) return 0;
  if (const BinaryNode* b = As<BinaryNode>(e); b && IsAffineOp(b->op)) {
    const std::optional<int64_t> ca = CoefficientOf(b->a, v), cb = CoefficientOf(b->b, v);
    if (!ca || !cb) return std::nullopt;
    if (b->op == BinaryOp::kAdd) return *ca + *cb;
    if (b->op == BinaryOp::kSub) return *ca - *cb;
    int64_t k = 0;
    if (IsConst(b->a, &k)) return k * *cb;
    if (IsConst(b->b, &k)) return k * *ca;
    if (*ca == 0 && *cb == 0) return 0;
    return std::nullopt;
  }
  Substitution probe;
  probe.vars[v] = Imm(0);
  return probe.Touches(e) ? std::nullopt : std::optional<int64_t>(0);
}

std::optional<int64_t> ConstantDistance(const Expr& a, const Expr& b) {
  const std::optional<Affine> x = AffineOf(a), y = AffineOf(b);
  if (!x || !y || x->coef != y->coef) return std::nullopt;
  return y->constant - x->constant;
}

}  // namespace tinyfuse::loop
