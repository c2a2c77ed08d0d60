// Shared machinery of the per-anchor lowerings (lower_*.cc): arena params and constants of a group, the
// epilogue (the steps after the anchor, applied to a scalar inside the anchor's loop nest) and the
// overflow proofs that decide between plain int32 adds and @wrapping_add.
//
// Overflow: the reference kernels accumulate in int32 and wrap; C must not overflow. Each lowering passes
// the range of its value along; an add whose operand ranges provably fit int32 is a plain add, any other
// is a @wrapping_add (same result, no UB).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "graph/passes/fuse.h"
#include "loop/interval.h"
#include "loop/ir.h"
#include "loop/lowered_model.h"

namespace tinyfuse::loop::lowering {

// An int32 expression with a sound range.
struct Ranged {
  Expr e;
  Interval r;
};

// a + b, plain when the sum provably fits int32, else @wrapping_add.
Ranged SafeAdd(const Ranged& a, const Ranged& b);
// a * b of two operands whose product provably fits int32 (checked: throws otherwise).
Ranged CheckedMul(const Ranged& a, const Ranged& b);

// The range of an 8-bit dtype.
Interval DTypeRange(DType t);
ScalarType ToScalar(DType t);

// A loop dimension over [begin, begin + extent): a loop variable, or the constant `begin` when the extent
// is 1 (no loop is made).
struct Dim {
  Expr index;
  int64_t extent = 1;
  int64_t begin = 0;
};
Dim MakeDim(const std::string& name, int64_t extent, int64_t begin = 0);
// Wraps `body` in For loops over `dims`, outermost first; extent-1 dims make no loop.
Stmt Nest(const std::vector<Dim>& dims, Stmt body);

// Row-major flat index of `idx` in `shape`.
Expr FlatIndex(const std::vector<Expr>& idx, const std::vector<int32_t>& shape);

class GroupLowerer {
 public:
  GroupLowerer(const passes::FusedGraph& f, const passes::FusedGroup& g);

  const passes::CanonicalGraph& canonical() const { return f_.canonical; }
  const Graph& graph() const { return *f_.canonical.graph; }
  const passes::FusedGroup& group() const { return g_; }
  const passes::Step& step(int index) const { return f_.canonical.steps.at(static_cast<size_t>(index)); }
  const passes::Step& anchor() const { return step(g_.anchor); }

  // The arena param of graph tensor `tensor` (a group input) or of the group output.
  Buffer Input(int tensor, const std::string& name);
  Buffer Output(const std::string& name = "output");
  // A constant buffer holding graph constant tensor `tensor` (8-bit weights or int32 bias).
  Buffer Constant(int tensor, const std::string& name);
  // A compiler-made constant table.
  Buffer Table(const std::string& name, ScalarType dtype, std::vector<int32_t> values);

  // Applies every step after the anchor to `value` (bias_add, add_constant, requantize, clamp, cast, and a
  // chained QUANTIZE). `channel` indexes per-channel constants (the last axis of the output). Returns the
  // value to store into the output, of the output's dtype.
  Expr Epilogue(Ranged value, const Expr& channel);

  // The kernel: params are the inputs in the order Input() was first called, then the output.
  Kernel Finish(Stmt body, const std::string& description);

 private:
  const passes::FusedGraph& f_;
  const passes::FusedGroup& g_;
  std::vector<Buffer> inputs_;
  std::map<int, Buffer> input_of_tensor_;
  Buffer output_;
  std::map<int, Buffer> constants_;
};

// One lowering per anchor kind (lower_conv.cc, lower_pool.cc, ...). Each returns the whole kernel.
Kernel LowerConv2D(GroupLowerer& l);
Kernel LowerDepthwiseConv2D(GroupLowerer& l, bool in_place = false);  // lower_conv.cc: in_place
Kernel LowerFullyConnected(GroupLowerer& l);
Kernel LowerPool(GroupLowerer& l);
Kernel LowerAdd(GroupLowerer& l);
Kernel LowerElementwise(GroupLowerer& l);
Kernel LowerSoftmax(GroupLowerer& l);
Kernel LowerReduce(GroupLowerer& l);  // reduce_sum, reduce_max, reduce_min
Kernel LowerTranspose(GroupLowerer& l);
Kernel LowerArgMinMax(GroupLowerer& l);
Kernel LowerResizeBilinear(GroupLowerer& l);
Kernel LowerPad(GroupLowerer& l);

}  // namespace tinyfuse::loop::lowering
