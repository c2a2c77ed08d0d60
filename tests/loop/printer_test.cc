#include "loop/printer.h"

#include <gtest/gtest.h>

namespace tinyfuse::loop {
namespace {

TEST(LoopPrinter, KernelLooksLikeTir) {
  Buffer in = ArenaBuffer("input", ScalarType::kUInt8, {1, 4, 8}, 0);
  Buffer out = ArenaBuffer("output", ScalarType::kUInt8, {1, 4, 8}, 1);
  Buffer bias = ConstantBuffer("bias", ScalarType::kInt32, {8}, {0, 1, 2, 3, 4, 5, 6, 7});
  Buffer acc = LocalBuffer("acc", ScalarType::kInt32, {1});
  Var h = MakeVar("h"), c = MakeVar("c"), k = MakeVar("k"), ih = MakeVar("ih");
  Stmt inner = LetStmt(ih, Add(Add(h, k), Imm(-1)),
                       IfThenElse(And(Le(Imm(0), ih), Lt(ih, Imm(4))),
                                  Store(acc, Imm(0),
                                        Add(Load(acc, Imm(0)),
                                            Sub(Cast(ScalarType::kInt32, Load(in, Add(Mul(ih, Imm(8)), c))),
                                                Imm(128))))));
  Stmt body = For(
      h, Imm(0), Imm(4),
      For(c, Imm(0), Imm(8),
          Allocate(acc, Seq({Store(acc, Imm(0), Load(bias, c)), For(k, Imm(0), Imm(3), inner),
                             Store(out, Add(Mul(h, Imm(8)), c),
                                   Cast(ScalarType::kUInt8,
                                        Call(Intrinsic::kClamp, {Load(acc, Imm(0)), Imm(0), Imm(255)})))}))));
  PrimFunc f{"demo", {in, out}, 1, body};
  EXPECT_EQ(PrintPrimFunc(f),
            "primfn demo(input: Buffer(uint8, [1, 4, 8]), output: Buffer(uint8, [1, 4, 8])) {\n"
            "  constants = {bias: Buffer(int32, [8])}\n"
            "  for (h: int32, 0, 4) {\n"
            "    for (c: int32, 0, 8) {\n"
            "      allocate(acc, int32, [1]) {\n"
            "        acc[0] = bias[c]\n"
            "        for (k: int32, 0, 3) {\n"
            "          let ih: int32 = ((h + k) - 1)\n"
            "          if (((0 <= ih) && (ih < 4))) {\n"
            "            acc[0] = (acc[0] + (cast(int32, input[((ih * 8) + c)]) - 128))\n"
            "          }\n"
            "        }\n"
            "        output[((h * 8) + c)] = cast(uint8, @clamp(acc[0], 0, 255))\n"
            "      }\n"
            "    }\n"
            "  }\n"
            "}\n");
}

TEST(LoopPrinter, SelectMinMaxNotAndUnrolledLoops) {
  Var x = MakeVar("x");
  EXPECT_EQ(PrintExpr(Select(Lt(x, Imm(0)), Min(x, Imm(3)), Max(x, Imm(-3)))),
            "select((x < 0), min(x, 3), max(x, -3))");
  EXPECT_EQ(PrintExpr(Not(Eq(x, Imm(1)))), "!(x == 1)");
  Buffer b = LocalBuffer("t", ScalarType::kInt32, {4});
  EXPECT_EQ(PrintStmt(For(x, Imm(0), Imm(4), Store(b, x, x), ForKind::kUnrolled)),
            "for (x: int32, 0, 4, unrolled) {\n  t[x] = x\n}\n");
}

}  // namespace
}  // namespace tinyfuse::loop
