// Integer interval analysis over loop IR expressions: a sound [lo, hi] for every value an expression can
// take, given intervals for the variables in scope. The full int32 range means "unknown" (a loaded int32,
// a float conversion); arithmetic on an unknown value stays unknown. Used by the verifier (buffer bounds) and by lowering
// (to prove that sums cannot overflow int32). Not exact: correlations between subexpressions are lost.
#pragma once

#include <cstdint>
#include <map>

#include "loop/ir.h"

namespace tinyfuse::loop {

struct Interval {
  int64_t lo = 0;
  int64_t hi = 0;
  bool Within(int64_t a, int64_t b) const { return lo >= a && hi <= b; }
};

// The full range of type t.
Interval TypeRange(ScalarType t);

// Variable intervals; a variable not in the map takes its type's full range.
using VarRanges = std::map<const VarNode*, Interval>;

// Interval of e. Loads of constant buffers use the min/max of their values; other loads their type range.
Interval EvalInterval(const Expr& e, const VarRanges& vars);

// Narrows `vars` with the facts that hold when `cond` is true: every conjunct of the form
// `v < c`, `v <= c`, `v > c`, `v >= c`, `v == c` (either operand order, c with a known interval).
void RefineWithCondition(const Expr& cond, VarRanges* vars);

}  // namespace tinyfuse::loop
