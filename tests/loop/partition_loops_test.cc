#include "loop/partition_loops.h"

#include <gtest/gtest.h>

#include "loop/printer.h"
#include "loop/verifier.h"

namespace tinyfuse::loop {
namespace {

// out[o] = sum_k in[o + k - 1] over the taps inside [0, 8): a 1-D window with one element of padding.
PrimFunc Window1D() {
  Buffer in = ArenaBuffer("in", ScalarType::kInt32, {8}, 0);
  Buffer out = ArenaBuffer("out", ScalarType::kInt32, {8}, 1);
  Buffer acc = LocalBuffer("acc", ScalarType::kInt32, {1});
  Var o = MakeVar("o"), k = MakeVar("k"), i = MakeVar("i");
  Stmt tap = LetStmt(i, Add(Add(o, k), Imm(-1)),
                     IfThenElse(And(Le(Imm(0), i), Lt(i, Imm(8))),
                                Store(acc, Imm(0), Add(Load(acc, Imm(0)), Load(in, i)))));
  Stmt body = For(o, Imm(0), Imm(8),
                  Allocate(acc, Seq({Store(acc, Imm(0), Imm(0)), For(k, Imm(0), Imm(3), tap),
                                     Store(out, o, Load(acc, Imm(0)))})));
  return {"window", {in, out}, 1, body};
}

TEST(PartitionLoops, SplitsBorderAndInteriorAndDropsInteriorTests) {
  const PrimFunc f = PartitionLoops(Window1D());
  VerifyPrimFunc(f);
  EXPECT_EQ(PrintStmt(f.body),
            "for (o: int32, 0, 1) {\n"
            "  allocate(acc, int32, [1]) {\n"
            "    acc[0] = 0\n"
            "    for (k: int32, 0, 3) {\n"
            "      let i: int32 = ((o + k) - 1)\n"
            "      if (((0 <= i) && (i < 8))) {\n"
            "        acc[0] = (acc[0] + in[i])\n"
            "      }\n"
            "    }\n"
            "    out[o] = acc[0]\n"
            "  }\n"
            "}\n"
            "for (o: int32, 1, 6) {\n"
            "  allocate(acc, int32, [1]) {\n"
            "    acc[0] = 0\n"
            "    for (k: int32, 0, 3) {\n"
            "      let i: int32 = ((o + k) - 1)\n"
            "      acc[0] = (acc[0] + in[i])\n"
            "    }\n"
            "    out[o] = acc[0]\n"
            "  }\n"
            "}\n"
            "for (o: int32, 7, 1) {\n"
            "  allocate(acc, int32, [1]) {\n"
            "    acc[0] = 0\n"
            "    for (k: int32, 0, 3) {\n"
            "      let i: int32 = ((o + k) - 1)\n"
            "      if (((0 <= i) && (i < 8))) {\n"
            "        acc[0] = (acc[0] + in[i])\n"
            "      }\n"
            "    }\n"
            "    out[o] = acc[0]\n"
            "  }\n"
            "}\n");
}

TEST(PartitionLoops, LeavesLoopsWithoutDependentTestsAlone) {
  Buffer in = ArenaBuffer("in", ScalarType::kInt32, {8}, 0);
  Buffer out = ArenaBuffer("out", ScalarType::kInt32, {8}, 1);
  Var o = MakeVar("o");
  const PrimFunc f{"copy", {in, out}, 1, For(o, Imm(0), Imm(8), Store(out, o, Load(in, o)))};
  EXPECT_EQ(PrintStmt(PartitionLoops(f).body), PrintStmt(f.body));
}

TEST(PartitionLoops, DropsProvablyFalseBranchesAndKeepsElse) {
  Buffer out = ArenaBuffer("out", ScalarType::kInt32, {8}, 0);
  Var o = MakeVar("o");
  // o < 100 is always true for o in [0, 8): the else branch goes, the then branch stays without a test.
  const PrimFunc f{"k", {out}, 0,
                   For(o, Imm(0), Imm(8), IfThenElse(Lt(o, Imm(100)), Store(out, o, Imm(1)), Store(out, o, Imm(2))))};
  EXPECT_EQ(PrintStmt(PartitionLoops(f).body), "for (o: int32, 0, 8) {\n  out[o] = 1\n}\n");
  // o >= 100 is never true: only the else branch is left.
  const PrimFunc g{"k", {out}, 0,
                   For(o, Imm(0), Imm(8), IfThenElse(Ge(o, Imm(100)), Store(out, o, Imm(1)), Store(out, o, Imm(2))))};
  EXPECT_EQ(PrintStmt(PartitionLoops(g).body), "for (o: int32, 0, 8) {\n  out[o] = 2\n}\n");
}

TEST(PartitionLoops, NonContiguousTrueSetIsNotSplit) {
  Buffer out = ArenaBuffer("out", ScalarType::kInt32, {8}, 0);
  Var o = MakeVar("o");
  // o != 3 holds for [0, 3) and (3, 8): two ranges, so no split.
  const PrimFunc f{"k", {out}, 0, For(o, Imm(0), Imm(8), IfThenElse(Ne(o, Imm(3)), Store(out, o, Imm(1))))};
  EXPECT_EQ(PrintStmt(PartitionLoops(f).body), PrintStmt(f.body));
}

}  // namespace
}  // namespace tinyfuse::loop
