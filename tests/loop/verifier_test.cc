#include "loop/verifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/error.h"

namespace tinyfuse::loop {
namespace {

using ::testing::HasSubstr;

std::string VerifyError(const PrimFunc& f) {
  try {
    VerifyPrimFunc(f);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

struct Fixture {
  Buffer in = ArenaBuffer("in", ScalarType::kInt8, {10}, 0);
  Buffer out = ArenaBuffer("out", ScalarType::kInt8, {10}, 1);
  Var i = MakeVar("i");
};

TEST(LoopVerifier, AcceptsAGuardedShiftedLoad) {
  Fixture t;
  Var j = MakeVar("j");
  Stmt body = For(t.i, Imm(0), Imm(10),
                  LetStmt(j, Sub(t.i, Imm(1)),
                          IfThenElse(Ge(j, Imm(0)), Store(t.out, t.i, Load(t.in, j)), Store(t.out, t.i, Imm(0, ScalarType::kInt8)))));
  EXPECT_EQ(VerifyError({"k", {t.in, t.out}, 1, body}), "");
}

TEST(LoopVerifier, RejectsAnUnguardedShiftedLoad) {
  Fixture t;
  Stmt body = For(t.i, Imm(0), Imm(10), Store(t.out, t.i, Load(t.in, Sub(t.i, Imm(1)))));
  EXPECT_THAT(VerifyError({"k", {t.in, t.out}, 1, body}),
              HasSubstr("load of 'in' at (i - 1) may leave [0, 10): index range [-1, 8]"));
}

TEST(LoopVerifier, RejectsStoreOutOfBounds) {
  Fixture t;
  Stmt body = For(t.i, Imm(0), Imm(11), Store(t.out, t.i, Load(t.in, Min(t.i, Imm(9)))));
  EXPECT_THAT(VerifyError({"k", {t.in, t.out}, 1, body}), HasSubstr("store of 'out'"));
}

TEST(LoopVerifier, RejectsUnboundVariable) {
  Fixture t;
  Var j = MakeVar("j");
  Stmt body = For(t.i, Imm(0), Imm(10), Store(t.out, t.i, Load(t.in, j)));
  EXPECT_THAT(VerifyError({"k", {t.in, t.out}, 1, body}), HasSubstr("uses variable 'j' before binding it"));
}

TEST(LoopVerifier, RejectsRebindingInsideScope) {
  Fixture t;
  Stmt body = For(t.i, Imm(0), Imm(10), For(t.i, Imm(0), Imm(10), Store(t.out, t.i, Load(t.in, t.i))));
  EXPECT_THAT(VerifyError({"k", {t.in, t.out}, 1, body}), HasSubstr("re-binds variable 'i'"));
}

TEST(LoopVerifier, AllowsSiblingLoopsSharingAVar) {
  Fixture t;
  Stmt loop = For(t.i, Imm(0), Imm(10), Store(t.out, t.i, Load(t.in, t.i)));
  EXPECT_EQ(VerifyError({"k", {t.in, t.out}, 1, Seq({loop, loop})}), "");
}

TEST(LoopVerifier, RejectsTypeMismatches) {
  Fixture t;
  Stmt wrong_store = For(t.i, Imm(0), Imm(10), Store(t.out, t.i, Cast(ScalarType::kInt32, Load(t.in, t.i))));
  EXPECT_THAT(VerifyError({"k", {t.in, t.out}, 1, wrong_store}), HasSubstr("stores int32 into int8 buffer 'out'"));
  Stmt mixed = For(t.i, Imm(0), Imm(10), Store(t.out, t.i, Binary(BinaryOp::kAdd, Load(t.in, t.i), Imm(1))));
  EXPECT_THAT(VerifyError({"k", {t.in, t.out}, 1, mixed}), HasSubstr("mixes types"));
  Stmt int_cond = For(t.i, Imm(0), Imm(10), IfThenElse(t.i, Store(t.out, t.i, Load(t.in, t.i))));
  EXPECT_THAT(VerifyError({"k", {t.in, t.out}, 1, int_cond}), HasSubstr("an if condition must be bool"));
}

TEST(LoopVerifier, RejectsStoresToInputsAndConstants) {
  Fixture t;
  Buffer c = ConstantBuffer("w", ScalarType::kInt8, {10}, std::vector<int32_t>(10, 1));
  Stmt to_input = For(t.i, Imm(0), Imm(10), Store(t.in, t.i, Load(c, t.i)));
  EXPECT_THAT(VerifyError({"k", {t.in, t.out}, 1, to_input}), HasSubstr("stores to input 'in'"));
  Stmt to_const = For(t.i, Imm(0), Imm(10), Store(c, t.i, Load(t.in, t.i)));
  EXPECT_THAT(VerifyError({"k", {t.in, t.out}, 1, to_const}), HasSubstr("stores to constant 'w'"));
}

TEST(LoopVerifier, RejectsLocalUsedOutsideItsAllocate) {
  Fixture t;
  Buffer acc = LocalBuffer("acc", ScalarType::kInt8, {1});
  Stmt body = Seq({Allocate(acc, Store(acc, Imm(0), Imm(0, ScalarType::kInt8))),
                   Store(t.out, Imm(0), Load(acc, Imm(0)))});
  EXPECT_THAT(VerifyError({"k", {t.in, t.out}, 1, body}), HasSubstr("local buffer 'acc' outside its allocate"));
}

TEST(LoopVerifier, RejectsConstantValuesOutsideTheirType) {
  Fixture t;
  Buffer c = ConstantBuffer("w", ScalarType::kInt8, {1}, {300});
  Stmt body = Store(t.out, Imm(0), Load(c, Imm(0)));
  EXPECT_THAT(VerifyError({"k", {t.in, t.out}, 1, body}), HasSubstr("holds 300, outside int8"));
}

TEST(LoopVerifier, ChecksIntrinsicArity) {
  Fixture t;
  Stmt body = Store(t.out, Imm(0), Cast(ScalarType::kInt8, Call(Intrinsic::kClamp, {Imm(1), Imm(2)})));
  EXPECT_THAT(VerifyError({"k", {t.in, t.out}, 1, body}), HasSubstr("calls @clamp with 2 args"));
}

}  // namespace
}  // namespace tinyfuse::loop
