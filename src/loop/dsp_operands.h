// The pattern the DSP passes (dsp_reduce.h, dsp_lanes.h) rewrite, and the packed reads they emit.
//  - An update is `acc = acc + a * b` (or @wrapping_add(acc, a * b)) on a one-element int32 local, where
//    each factor is an 8-bit load cast to int32 plus an optional constant offset whose lane value fits int16.
//  - PairLoader reads an operand's four bytes at an index as one word (@pack4 of four consecutive loads)
//    and splits it into two pairs of int16 lanes (bytes 0,2 and bytes 1,3, plus the offset in each lane),
//    binding each to a variable once per operand; Wrap puts those bindings around the statement using them.
#pragma once

#include <map>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "loop/ir.h"

namespace tinyfuse::loop::dsp {

struct Operand {
  Buffer buffer;
  Expr index;
  int64_t offset = 0;
};

struct Update {
  Buffer acc;
  Operand a, b;
};

// `s` as an update, or nullopt. With a loop variable `v`, both operand indices must advance by one per
// iteration of v.
std::optional<Update> ParseUpdate(const Stmt& s, const VarNode* v);

class PairLoader {
 public:
  // The (bytes 0,2; bytes 1,3) lane pairs of operand `o` read at `index`.
  std::pair<Expr, Expr> Of(const Operand& o, const Expr& index);
  Stmt Wrap(Stmt s) const;

 private:
  using Key = std::tuple<const BufferNode*, const ExprNode*, int64_t>;
  std::map<Key, std::pair<Expr, Expr>> lanes_;
  std::vector<std::pair<Var, Expr>> lets_;
};

}  // namespace tinyfuse::loop::dsp
