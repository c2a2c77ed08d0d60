// Lowering of arg_min_max (ARG_MAX, ARG_MIN): the input viewed as [outer, axis_size, inner]; per output
// element (outer, inner loops) a running best value and its index in registers, the best starting at
// element 0, then a loop over elements 1.. of the axis that moves both only on a strict improvement (ties
// keep the lowest index, as the reference). The index is stored as the output's int32 or int64 (a cast of
// an int32: indices are below 2^31). No workspace.
#include <string>

#include "common/error.h"
#include "loop/lower_util.h"

namespace tinyfuse::loop::lowering {

Kernel LowerArgMinMax(GroupLowerer& l) {
  const ArgMinMaxParams& p = std::get<ArgMinMaxParams>(l.anchor().attrs);
  const Buffer in = l.Input(l.anchor().inputs[0], "input");
  const Buffer out = l.Output();
  const Dim o = MakeDim("o", p.outer);
  const Dim i = MakeDim("i", p.inner);
  const Dim a = MakeDim("a", p.axis_size - 1, 1);
  auto x = [&](const Expr& at) {
    return Cast(ScalarType::kInt32, Load(in, Add(Mul(Add(Mul(o.index, Imm(p.axis_size)), at), Imm(p.inner)), i.index)));
  };
  const Buffer best = LocalBuffer("best", ScalarType::kInt32, {1});
  const Buffer index = LocalBuffer("index", ScalarType::kInt32, {1});
  const Var v = MakeVar("x");
  const Expr better = p.is_max ? Gt(v, Load(best, Imm(0))) : Lt(v, Load(best, Imm(0)));
  const Stmt step = LetStmt(v, x(a.index), IfThenElse(better, Seq({Store(best, Imm(0), v), Store(index, Imm(0), a.index)})));
  const Expr out_index = Add(Mul(o.index, Imm(p.inner)), i.index);
  // A 1-element axis: every index is 0 and nothing is compared.
  const Stmt body =
      p.axis_size == 1
          ? Store(out, out_index, Imm(0, out->dtype))
          : Allocate(best, Allocate(index, Seq({Store(best, Imm(0), x(Imm(0))), Store(index, Imm(0), Imm(0)),
                                                Nest({a}, step),
                                                Store(out, out_index, Cast(out->dtype, Load(index, Imm(0))))})));
  return l.Finish(Nest({o, i}, body), std::string(p.is_max ? "max" : "min") + " over " + std::to_string(p.axis_size));
}

}  // namespace tinyfuse::loop::lowering
