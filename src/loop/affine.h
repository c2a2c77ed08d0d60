// Affine analysis of integer index expressions: the one place that reads an index as
// sum coef[v] * v + constant. The schedule passes (unroll-and-jam, the DSP passes) and the in-place proof
// use it.
//  - AffineOf: the whole expression as an affine form over its variables (sums, differences, and products
//    where one side is a constant); let-bound variables are expanded through `lets` when given.
//    Zero coefficients are dropped, so two forms are equal exactly when they denote the same function.
//  - CoefficientOf: how far `e` moves per unit step of one variable, when it is affine in that variable
//    (the other terms may be anything that does not mention it).
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "loop/ir.h"

namespace tinyfuse::loop {

struct Affine {
  std::map<const VarNode*, int64_t> coef;  // no zero entries
  int64_t constant = 0;
  int64_t Coef(const VarNode* v) const {
    auto it = coef.find(v);
    return it == coef.end() ? 0 : it->second;
  }
  bool operator==(const Affine& o) const { return coef == o.coef && constant == o.constant; }
};

using LetValues = std::map<const VarNode*, Expr>;

std::optional<Affine> AffineOf(const Expr& e, const LetValues* lets = nullptr);
std::optional<int64_t> CoefficientOf(const Expr& e, const VarNode* v);
// b - a when the two indices differ by a constant, else nullopt.
std::optional<int64_t> ConstantDistance(const Expr& a, const Expr& b);

}  // namespace tinyfuse::loop
