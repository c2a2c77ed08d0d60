#include "loop/ir.h"

#include <gtest/gtest.h>

#include "loop/printer.h"

namespace tinyfuse::loop {
namespace {

TEST(LoopIr, VarsHaveIdentityNotNames) {
  Var a = MakeVar("i");
  Var b = MakeVar("i");
  EXPECT_NE(a.get(), b.get());
  // The printer keeps them apart.
  EXPECT_EQ(PrintExpr(Add(a, b)), "(i + i_1)");
}

TEST(LoopIr, BuildersFoldConstantsAndIdentities) {
  Var x = MakeVar("x");
  EXPECT_EQ(PrintExpr(Add(Imm(2), Imm(3))), "5");
  EXPECT_EQ(PrintExpr(Add(x, Imm(0))), "x");
  EXPECT_EQ(PrintExpr(Mul(x, Imm(1))), "x");
  EXPECT_EQ(PrintExpr(Mul(x, Imm(0))), "0");
  EXPECT_EQ(PrintExpr(Add(Add(x, Imm(2)), Imm(-3))), "(x - 1)");
  EXPECT_EQ(PrintExpr(Sub(x, Imm(4))), "(x - 4)");
  EXPECT_EQ(PrintExpr(Lt(Imm(1), Imm(2))), "True");
  EXPECT_EQ(PrintExpr(And(nullptr, Lt(x, Imm(3)))), "(x < 3)");
  EXPECT_EQ(PrintExpr(And(Bool(true), Lt(x, Imm(3)))), "(x < 3)");
  EXPECT_EQ(PrintExpr(Cast(ScalarType::kInt32, x)), "x");
  EXPECT_EQ(PrintExpr(Cast(ScalarType::kUInt8, Imm(200))), "200u8");
}

TEST(LoopIr, FoldingNeverOverflows) {
  // 2^31 - 1 + 1 does not fit int32: the add is kept, not folded into a wrong immediate.
  EXPECT_EQ(PrintExpr(Add(Imm(2147483647), Imm(1))), "(2147483647 + 1)");
}

TEST(LoopIr, SeqFlattensAndDropsNulls) {
  Buffer b = LocalBuffer("acc", ScalarType::kInt32, {2});
  Stmt s = Seq({Store(b, Imm(0), Imm(1)), nullptr, Seq({Store(b, Imm(1), Imm(2))})});
  ASSERT_NE(As<SeqNode>(s), nullptr);
  EXPECT_EQ(As<SeqNode>(s)->stmts.size(), 2u);
  EXPECT_EQ(Seq({Store(b, Imm(0), Imm(1))})->kind, StmtKind::kStore);
}

TEST(LoopIr, CollectConstantsInFirstUseOrder) {
  Buffer w = ConstantBuffer("w", ScalarType::kInt8, {2}, {1, 2});
  Buffer bias = ConstantBuffer("bias", ScalarType::kInt32, {1}, {7});
  Buffer out = ArenaBuffer("out", ScalarType::kInt32, {2}, 0);
  Var i = MakeVar("i");
  PrimFunc f{"k", {out}, 0,
             For(i, Imm(0), Imm(2),
                 Store(out, i, Add(Load(bias, Imm(0)), Cast(ScalarType::kInt32, Load(w, i)))))};
  std::vector<Buffer> c = CollectConstants(f);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0]->name, "bias");
  EXPECT_EQ(c[1]->name, "w");
}

}  // namespace
}  // namespace tinyfuse::loop
