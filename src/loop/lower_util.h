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

// The range of an integer dtype (float32: the int32 range; no float value is ranged).
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

// The loops of a two-input elementwise op over broadcast index maps: without broadcasting one flat loop
// (every index is i); with it one loop per output dimension, each input indexed by its own strides (0
// along broadcast dimensions). `channel` is the last output axis (0 for the flat loop).
struct BroadcastNest {
  std::vector<Dim> dims;
  Expr index1, index2, out_index, channel;
};
BroadcastNest MakeBroadcastNest(const BroadcastMaps& maps);

// An 8-bit stored value read as int32, minus its zero point, with its range.
Ranged Centered(const Expr& loaded, DType dtype, int32_t zero_point);
// Requantize((x - zp) * 2^left_shift, m): one input of ADD, SUB or SQUARED_DIFFERENCE rescaled to the
// common scale. The shift is a plain multiply: |x - zp| <= 255 and left_shift <= 20 keep it inside int32
// (checked).
Ranged RescaledInput(const Expr& loaded, DType dtype, int32_t zero_point, int left_shift, const QuantizedMultiplier& m,
                     Rounding rounding);
// a - b, checked to fit int32.
Ranged CheckedSub(const Ranged& a, const Ranged& b);

// The 256-entry table of an 8-bit unary op: entry i is the interpreter's EvalUnary of the i-th value of the
// dtype (from its minimum up).
std::vector<int32_t> UnaryTable(const UnaryParams& p);

class GroupLowerer {
 public:
  GroupLowerer(const passes::FusedGraph& f, const passes::FusedGroup& g);

  const passes::CanonicalGraph& canonical() const { return f_.canonical; }
  const Graph& graph() const { return *f_.canonical.graph; }
  const passes::FusedGroup& group() const { return g_; }
  const passes::Step& step(int index) const { return f_.canonical.steps.at(static_cast<size_t>(index)); }
  const passes::Step& anchor() const { return step(g_.anchor); }

  // The arena param of graph tensor `tensor` (a group input; a constant tensor is a constant buffer instead)
  // or of the group output.
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
Kernel LowerElementwise(GroupLowerer& l);       // lower_elementwise.cc, also DEQUANTIZE
Kernel LowerQuantizeFloat(GroupLowerer& l);     // lower_elementwise.cc
Kernel LowerSoftmax(GroupLowerer& l);
Kernel LowerReduce(GroupLowerer& l);  // reduce_sum, reduce_max, reduce_min
Kernel LowerArgMinMax(GroupLowerer& l);
Kernel LowerResizeBilinear(GroupLowerer& l);
// lower_move.cc: the data-movement family (TRANSPOSE, PAD and every MoveParams step).
Kernel LowerMove(GroupLowerer& l);
// One loop nest moving `in` into `out` as `m` says; `tag` prefixes the names of its tables.
Stmt MoveNest(GroupLowerer& l, MoveMap m, const Buffer& in, const Buffer& out, const std::string& tag);
Kernel LowerBinary(GroupLowerer& l);

}  // namespace tinyfuse::loop::lowering
