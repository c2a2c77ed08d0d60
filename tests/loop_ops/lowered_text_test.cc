// Golden text and shape of the lowered kernels of pooling, ADD, QUANTIZE, SOFTMAX, MEAN, TRANSPOSE and PAD:
//  - literal text (loop::PrintKernel) of four representative kernels: the loop bounds of a clipped pooling
//    window, the row test and plain copy loop of a standalone PAD, and softmax in both flavours;
//  - for every anchor over several configurations: ONE loop nest (a single outermost loop; loops of
//    extent 1 are elided, so the configurations keep the outer extent above 1), every arena access an
//    8-bit load or store, no Allocate beyond one-element register scalars, and a workspace figure of zero
//    (kernel.workspace_bytes and AnalyzeWorkspace agree).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "loop/lower.h"
#include "loop/visitor.h"
#include "loop/workspace.h"
#include "op_models.h"

namespace tinyfuse::loopops {
namespace {

using namespace tinyfuse::loop;  // NOLINT

// The kernel as the lowering writes it, before the schedule passes (partition-loops, register-block),
// which the differential tests cover.
std::string OnlyKernel(const Graph& g, Arith arith) {
  LowerOptions unscheduled;
  unscheduled.schedule = false;
  const LoweredModel m = LowerGraph(g, arith, unscheduled);
  EXPECT_EQ(m.kernels.size(), 1u);
  return m.kernels.empty() ? "" : PrintKernel(m.kernels[0]);
}

TEST(LoweredText, AveragePoolClippedWindowIsLoopBounds) {
  PoolCase c;
  c.height = 5;
  c.width = 4;
  c.channels = 8;
  c.stride_h = 2;
  c.stride_w = 2;
  EXPECT_EQ(OnlyKernel(PoolModel(c), Arith::kTflm), R"(// AVERAGE_POOL_2D #0: average_pool, clamp, cast
// workspace: 0 bytes (1 scalar in registers); arena: 160 bytes in, 48 bytes out
primfn avgpool_n0(input: Buffer(int8, [1, 5, 4, 8]), output: Buffer(int8, [1, 3, 2, 8])) {
  for (oy: int32, 0, 3) {
    let iy_begin: int32 = max(((oy * 2) - 1), 0)
    let iy_end: int32 = min(((oy * 2) + 2), 5)
    for (ox: int32, 0, 2) {
      let ix_begin: int32 = max((ox * 2), 0)
      let ix_end: int32 = min(((ox * 2) + 3), 4)
      let count: int32 = ((iy_end - iy_begin) * (ix_end - ix_begin))
      for (c: int32, 0, 8) {
        allocate(sum, int32, [1]) {
          sum[0] = 0
          for (iy: int32, iy_begin, (iy_end - iy_begin)) {
            for (ix: int32, ix_begin, (ix_end - ix_begin)) {
              sum[0] = (sum[0] + cast(int32, input[((((iy * 4) + ix) * 8) + c)]))
            }
          }
          output[((((oy * 2) + ox) * 8) + c)] = cast(int8, @clamp(((sum[0] + select((sum[0] > 0), (count / 2), (0 - (count / 2)))) / count), -128, 127))
        }
      }
    }
  }
}
)");
}

TEST(LoweredText, StandalonePadTestsRowsOnce) {
  EXPECT_EQ(OnlyKernel(PadModel(DType::kUInt8, {1, 3, 4, 5}, {{0, 0}, {1, 1}, {2, 0}, {0, 0}}, 128), Arith::kTflm),
            R"(// PAD #0: pad
// workspace: 0 bytes (0 scalars in registers); arena: 60 bytes in, 150 bytes out
primfn pad_n0(input: Buffer(uint8, [1, 3, 4, 5]), output: Buffer(uint8, [1, 5, 6, 5])) {
  for (o1: int32, 0, 5) {
    for (o2: int32, 0, 6) {
      if ((((1 <= o1) && (o1 < 4)) && (2 <= o2))) {
        let i1: int32 = (o1 - 1)
        let i2: int32 = (o2 - 2)
        for (j: int32, 0, 5) {
          output[(((o1 * 30) + (o2 * 5)) + j)] = input[(((i1 * 20) + (i2 * 5)) + j)]
        }
      } else {
        for (j_1: int32, 0, 5) {
          output[(((o1 * 30) + (o2 * 5)) + j_1)] = 128u8
        }
      }
    }
  }
}
)");
}

TEST(LoweredText, SoftmaxFixedPoint) {
  SoftmaxCase c;
  c.shape = {2, 10};
  EXPECT_EQ(OnlyKernel(SoftmaxModel(c), Arith::kTflm), R"(// SOFTMAX #0: softmax, clamp, cast (fixed point)
// workspace: 0 bytes (2 scalars in registers); arena: 20 bytes in, 20 bytes out
primfn softmax_n0(input: Buffer(int8, [2, 10]), output: Buffer(int8, [2, 10])) {
  constants = {exp_q31: Buffer(int32, [256])}
  for (row: int32, 0, 2) {
    allocate(max, int32, [1]) {
      max[0] = -128
      for (c: int32, 0, 10) {
        max[0] = max(max[0], cast(int32, input[((row * 10) + c)]))
      }
      allocate(sum, int32, [1]) {
        sum[0] = 0
        for (c: int32, 0, 10) {
          sum[0] = (sum[0] + @rounding_divide_by_pot(exp_q31[(max[0] - cast(int32, input[((row * 10) + c)]))], 12))
        }
        let headroom: int32 = @clz(sum[0])
        let recip: int32 = @one_over_one_plus_x(@wrapping_add(@wrapping_shl(sum[0], headroom), -2147483648))
        let exponent: int32 = (35 - headroom)
        if ((exponent <= 31)) {
          for (c: int32, 0, 10) {
            output[((row * 10) + c)] = cast(int8, @clamp((@rounding_divide_by_pot(@srdhm(recip, exp_q31[(max[0] - cast(int32, input[((row * 10) + c)]))]), exponent) - 128), -128, 127))
          }
        } else {
          for (c: int32, 0, 10) {
            output[((row * 10) + c)] = cast(int8, @clamp(-128, -128, 127))
          }
        }
      }
    }
  }
}
)");
}

TEST(LoweredText, SoftmaxFloatTable) {
  SoftmaxCase c;
  c.shape = {2, 10};
  c.dtype = DType::kUInt8;
  c.input_zp = 128;
  EXPECT_EQ(OnlyKernel(SoftmaxModel(c), Arith::kTflite), R"(// SOFTMAX #0: softmax, clamp, cast (float table)
// workspace: 0 bytes (2 scalars in registers); arena: 20 bytes in, 20 bytes out
primfn softmax_n0(input: Buffer(uint8, [2, 10]), output: Buffer(uint8, [2, 10])) {
  constants = {exp_table: Buffer(float32, [256])}
  for (row: int32, 0, 2) {
    allocate(max, int32, [1]) {
      max[0] = 0
      for (c: int32, 0, 10) {
        max[0] = max(max[0], cast(int32, input[((row * 10) + c)]))
      }
      allocate(sum, float32, [1]) {
        sum[0] = 0f
        for (c: int32, 0, 10) {
          sum[0] = (sum[0] + exp_table[(max[0] - cast(int32, input[((row * 10) + c)]))])
        }
        let inv: float32 = (1f / (sum[0] * 0.00390625f))
        for (c: int32, 0, 10) {
          let prob: float32 = (exp_table[(max[0] - cast(int32, input[((row * 10) + c)]))] * inv)
          output[((row * 10) + c)] = cast(uint8, @clamp(@f32_to_i32_trunc((prob + 0.5f)), 0, 255))
        }
      }
    }
  }
}
)");
}

// Shape facts of one kernel.
class Facts : public IRVisitor {
 public:
  int loops = 0;
  int outermost_loops = 0;
  std::vector<std::string> wide_accesses;  // arena loads/stores that are not 8-bit
  std::vector<std::string> big_allocates;  // Allocates of more than one element

  void VisitStmt(const Stmt& s) override {
    if (As<ForNode>(s)) {
      ++loops;
      if (depth_ == 0) ++outermost_loops;
      ++depth_;
      IRVisitor::VisitStmt(s);
      --depth_;
      return;
    }
    if (const AllocateNode* a = As<AllocateNode>(s); a && a->buffer->extent > 1) big_allocates.push_back(a->buffer->name);
    if (const StoreNode* st = As<StoreNode>(s)) Access(st->buffer);
    IRVisitor::VisitStmt(s);
  }
  void VisitExpr(const Expr& e) override {
    if (const LoadNode* l = As<LoadNode>(e)) Access(l->buffer);
    IRVisitor::VisitExpr(e);
  }

 private:
  void Access(const Buffer& b) {
    if (b->kind != BufferKind::kArena) return;
    if (b->dtype != ScalarType::kInt8 && b->dtype != ScalarType::kUInt8) wide_accesses.push_back(b->name);
  }
  int depth_ = 0;
};

struct Shaped {
  std::string name;
  Graph graph;
  Arith arith;
};

std::vector<Shaped> Configurations() {
  std::vector<Shaped> out;
  for (DType t : {DType::kInt8, DType::kUInt8}) {
    const std::string d = DTypeName(t);
    for (bool average : {true, false}) {
      for (Padding p : {Padding::kSame, Padding::kValid}) {
        PoolCase c;
        c.dtype = t;
        c.average = average;
        c.padding = p;
        c.batches = 2;
        out.push_back({c.Name(), PoolModel(c), Arith::kTflm});
      }
    }
    AddCase a;
    a.dtype = t;
    a.zp1 = a.zp2 = a.zp_out = t == DType::kInt8 ? 0 : 128;
    out.push_back({"add_" + d, AddModel(a), Arith::kTflm});
    out.push_back({"add_xnnpack_" + d, AddModel(a), Arith::kTflite});
    a.shape2 = {3};
    out.push_back({"add_broadcast_" + d, AddModel(a), Arith::kTflm});
    for (Arith ar : {Arith::kTflm, Arith::kTflite}) {
      SoftmaxCase s;
      s.dtype = t;
      s.shape = {3, 1001};
      out.push_back({"softmax_" + d + "_" + ArithName(ar), SoftmaxModel(s), ar});
    }
    for (bool keep : {true, false}) {
      MeanCase m;
      m.dtype = t;
      m.keep_dims = keep;
      if (t == DType::kUInt8) {
        m.in_zp = 133;
        m.out_zp = 121;
      }
      out.push_back({"mean_" + d + (keep ? "_keep" : "_drop"), MeanModel(m), Arith::kTflm});
    }
    out.push_back({"transpose_" + d, TransposeModel(t, {2, 3, 4, 5}, {3, 1, 0, 2}), Arith::kTflm});
    out.push_back({"pad_" + d, PadModel(t, {2, 3, 4, 5}, {{1, 0}, {1, 2}, {0, 3}, {2, 1}}, 7), Arith::kTflm});
    out.push_back({"pad_then_quantize_" + d,
                   PadModel(t, {2, 3, 4, 5}, {{0, 0}, {1, 1}, {1, 1}, {0, 0}}, 7, Requant{true, DType::kInt8, 0.3f, 1}),
                   Arith::kTflm});
  }
  QuantizeCase q;
  out.push_back({"quantize_flip", QuantizeModel(q), Arith::kTflm});
  q.out_scale = 0.03f;
  out.push_back({"quantize_rescale", QuantizeModel(q), Arith::kTflm});
  return out;
}

TEST(LoweredShape, OneNestEightBitAccessesNoWorkspace) {
  int checked = 0;
  for (const Shaped& s : Configurations()) {
    SCOPED_TRACE(s.name);
    const LoweredModel m = LowerGraph(s.graph, s.arith);
    ASSERT_EQ(m.kernels.size(), 1u) << "the op and its epilogue (and a chained QUANTIZE) are one kernel";
    const Kernel& k = m.kernels[0];
    Facts f;
    f.VisitStmt(k.func.body);
    EXPECT_EQ(f.outermost_loops, 1) << PrintKernel(k);
    EXPECT_GE(f.loops, 1);
    EXPECT_TRUE(f.wide_accesses.empty()) << PrintKernel(k);
    EXPECT_TRUE(f.big_allocates.empty()) << PrintKernel(k);
    const KernelWorkspace w = AnalyzeWorkspace(k.func);
    EXPECT_EQ(w.scratch_bytes, 0);
    EXPECT_EQ(k.workspace_bytes, 0);
    EXPECT_LE(w.largest_allocate, 4);
    for (const Buffer& p : k.func.params) {
      EXPECT_TRUE(p->dtype == ScalarType::kInt8 || p->dtype == ScalarType::kUInt8) << p->name;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 30);
}

}  // namespace
}  // namespace tinyfuse::loopops
