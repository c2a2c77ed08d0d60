// The in-place analysis (loop/in_place.h) on hand-built kernels: each proof accepts the safe shape and
// rejects each way of breaking it (read after the write, another element, a broadcast read, a store that
// is not injective, wider elements, the stage order reversed, an index outside its residue class).
#include "loop/in_place.h"

#include <gtest/gtest.h>

namespace tinyfuse::loop {
namespace {

constexpr int64_t kN = 12;

struct Kernel2 {
  Buffer in = ArenaBuffer("in", ScalarType::kInt8, {kN}, 0);
  Buffer out = ArenaBuffer("out", ScalarType::kInt8, {kN}, 1);
  PrimFunc Func(Stmt body) const {
    PrimFunc f;
    f.name = "k";
    f.params = {in, out};
    f.num_inputs = 1;
    f.body = std::move(body);
    return f;
  }
};

Expr Plus1(const Expr& x) { return Cast(ScalarType::kInt8, Add(Cast(ScalarType::kInt32, x), Imm(1))); }

TEST(InPlace, PointwiseAcceptsSameElementReadBeforeWrite) {
  Kernel2 k;
  const Var i = MakeVar("i");
  const PrimFunc f = k.Func(For(i, Imm(0), Imm(kN), Store(k.out, i, Plus1(Load(k.in, i)))));
  EXPECT_EQ(ProveInPlace(f, 0, 1), InPlaceProof::kPointwise);
  ASSERT_EQ(InPlacePairs(f).size(), 1u);
}

TEST(InPlace, PointwiseSeesThroughLetsAndTwoLoops) {
  Kernel2 k;
  const Var a = MakeVar("a"), b = MakeVar("b"), idx = MakeVar("idx");
  const Stmt body = LetStmt(idx, Add(Mul(a, Imm(4)), b), Store(k.out, idx, Plus1(Load(k.in, Add(b, Mul(a, Imm(4)))))));
  const PrimFunc f = k.Func(For(a, Imm(0), Imm(3), For(b, Imm(0), Imm(4), body)));
  EXPECT_EQ(ProveInPlace(f, 0, 1), InPlaceProof::kPointwise);
}

TEST(InPlace, RejectsReadOfAnotherElement) {
  Kernel2 k;
  const Var i = MakeVar("i");
  const PrimFunc f = k.Func(For(i, Imm(0), Imm(kN - 1), Store(k.out, i, Load(k.in, Add(i, Imm(1))))));
  std::string why;
  EXPECT_EQ(ProveInPlace(f, 0, 1, &why), InPlaceProof::kNone);
  EXPECT_NE(why.find("same iteration"), std::string::npos) << why;
}

TEST(InPlace, RejectsBroadcastRead) {
  Kernel2 k;
  const Var a = MakeVar("a"), b = MakeVar("b");
  // out[a * 4 + b] = in[b]: in[b] is read again by later values of a after out[b] overwrote it.
  const PrimFunc f =
      k.Func(For(a, Imm(0), Imm(3), For(b, Imm(0), Imm(4), Store(k.out, Add(Mul(a, Imm(4)), b), Load(k.in, b)))));
  EXPECT_EQ(ProveInPlace(f, 0, 1), InPlaceProof::kNone);
}

TEST(InPlace, RejectsReadAfterWrite) {
  Kernel2 k;
  const Var i = MakeVar("i");
  const Buffer t = LocalBuffer("t", ScalarType::kInt8, {1});
  const Stmt body = Allocate(t, Seq({Store(k.out, i, Imm(0, ScalarType::kInt8)), Store(t, Imm(0), Load(k.in, i)),
                                     Store(k.out, i, Load(t, Imm(0)))}));
  const PrimFunc f = k.Func(For(i, Imm(0), Imm(kN), body));
  EXPECT_EQ(ProveInPlace(f, 0, 1), InPlaceProof::kNone);
}

TEST(InPlace, RejectsStoreThatIsNotInjective) {
  Kernel2 k;
  const Var a = MakeVar("a"), b = MakeVar("b");
  // out[a + b] = in[a + b]: iteration (1, 0) reads in[1], which iteration (0, 1) already overwrote.
  const Expr idx = Add(a, b);
  const PrimFunc f = k.Func(For(a, Imm(0), Imm(3), For(b, Imm(0), Imm(3), Store(k.out, idx, Load(k.in, idx)))));
  std::string why;
  EXPECT_EQ(ProveInPlace(f, 0, 1, &why), InPlaceProof::kNone);
  EXPECT_NE(why.find("injective"), std::string::npos) << why;
}

TEST(InPlace, RejectsDifferentElementSizes) {
  Kernel2 k;
  k.out = ArenaBuffer("out", ScalarType::kInt16, {kN / 2}, 1);
  const Var i = MakeVar("i");
  const PrimFunc f =
      k.Func(For(i, Imm(0), Imm(kN / 2), Store(k.out, i, Cast(ScalarType::kInt16, Load(k.in, i)))));
  std::string why;
  EXPECT_EQ(ProveInPlace(f, 0, 1, &why), InPlaceProof::kNone);
  EXPECT_EQ(why, "element sizes differ");
}

// The depthwise shape: per channel c of 3, copy the input plane (4 elements at stride 3) to a workspace,
// then write the channel's outputs from it.
PrimFunc Staged(const Kernel2& k, bool copy_first, int64_t in_offset) {
  const Var c = MakeVar("c"), i = MakeVar("i"), o = MakeVar("o");
  const Buffer plane = LocalBuffer("plane", ScalarType::kInt8, {4});
  const Stmt copy = For(i, Imm(0), Imm(4), Store(plane, i, Load(k.in, Add(Add(Mul(i, Imm(3)), c), Imm(in_offset)))));
  const Stmt compute = For(o, Imm(0), Imm(4), Store(k.out, Add(Mul(o, Imm(3)), c), Plus1(Load(plane, Sub(Imm(3), o)))));
  return k.Func(Allocate(plane, For(c, Imm(0), Imm(3), copy_first ? Seq({copy, compute}) : Seq({compute, copy}))));
}

TEST(InPlace, StagedAcceptsCopyThenCompute) {
  Kernel2 k;
  EXPECT_EQ(ProveInPlace(Staged(k, true, 0), 0, 1), InPlaceProof::kStaged);
}

TEST(InPlace, StagedRejectsComputeBeforeCopy) {
  Kernel2 k;
  std::string why;
  EXPECT_EQ(ProveInPlace(Staged(k, false, 0), 0, 1, &why), InPlaceProof::kNone);
  EXPECT_NE(why.find("precede"), std::string::npos) << why;
}

TEST(InPlace, StagedRejectsReadOfAnotherChannel) {
  Kernel2 k;
  k.in = ArenaBuffer("in", ScalarType::kInt8, {kN + 1}, 0);
  std::string why;
  EXPECT_EQ(ProveInPlace(Staged(k, true, 1), 0, 1, &why), InPlaceProof::kNone);
  EXPECT_NE(why.find("multiple of its extent"), std::string::npos) << why;
}

TEST(InPlace, RejectsLoadOfTheOutput) {
  Kernel2 k;
  const Var i = MakeVar("i");
  const PrimFunc f = k.Func(For(i, Imm(0), Imm(kN), Store(k.out, i, Load(k.out, i))));
  std::string why;
  EXPECT_EQ(ProveInPlace(f, 0, 1, &why), InPlaceProof::kNone);
  EXPECT_EQ(why, "the output is loaded");
}

}  // namespace
}  // namespace tinyfuse::loop
