// Text form of loop IR, close to TVM's TIR script so it reads like the seed issue:
//   for (oh: int32, 0, 56) {
//     let ih: int32 = (oh - 1)
//     if ((0 <= ih) && (ih < 56)) { ... }
//     out[((oh*7168) + c)] = cast(uint8, @clamp(...))
// Names come from the hints and are made unique per function (x, x_1, x_2 ...) in order of appearance,
// so the text is deterministic. Used by golden tests and by `tinyfuse lower`.
#pragma once

#include <string>

#include "loop/ir.h"

namespace tinyfuse::loop {

std::string PrintExpr(const Expr& e);
// `indent` spaces before every line.
std::string PrintStmt(const Stmt& s, int indent = 0);
// Header with params and constants, then the body.
std::string PrintPrimFunc(const PrimFunc& f);

}  // namespace tinyfuse::loop
