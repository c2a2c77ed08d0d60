// The data-movement walk and the kernels of the family members whose map is all they need.
#include "interp/move.h"

#include <cstring>
#include <vector>

#include "graph/prepare/move_ops.h"
#include "graph/prepare/pad.h"
#include "graph/prepare/reshape.h"
#include "graph/prepare/transpose.h"
#include "interp/kernels.h"

namespace tinyfuse {

void RunMoveMap(const MoveMap& m, const uint8_t* in, uint8_t* out) {
  const size_t esize = static_cast<size_t>(DTypeSize(m.dtype));
  const int64_t n = m.elements();
  // The pad value as little-endian bytes of the element type (two's complement truncation).
  uint8_t pad[4];
  for (size_t b = 0; b < 4; ++b) pad[b] = static_cast<uint8_t>(static_cast<uint32_t>(m.pad_value) >> (8 * b));
  const size_t rank = m.axes.size();
  std::vector<int32_t> o(rank, 0);
  for (int64_t e = 0; e < n; ++e) {
    bool inside = true;
    int64_t src = m.in_offset, dst = m.out_offset;
    for (size_t k = 0; k < rank; ++k) {
      const MoveAxis& a = m.axes[k];
      dst += o[k] * a.out_stride;
      int64_t c = a.table.empty() ? o[k] - a.before : a.table[static_cast<size_t>(o[k])];
      if (c < 0 || c >= a.size) inside = false;
      src += c * a.in_stride;
    }
    std::memcpy(out + static_cast<size_t>(dst) * esize, inside ? in + static_cast<size_t>(src) * esize : pad, esize);
    for (size_t k = rank; k-- > 0;) {
      if (++o[k] < m.axes[k].extent) break;
      o[k] = 0;
    }
  }
}

void Eval_kPad(const KernelContext& ctx) { RunMoveMap(PadMap(PreparePad(ctx.graph, ctx.op)), ctx.in(0), ctx.out(0)); }

void Eval_kTranspose(const KernelContext& ctx) {
  RunMoveMap(TransposeMap(PrepareTranspose(ctx.graph, ctx.op)), ctx.in(0), ctx.out(0));
}

void Eval_kReshape(const KernelContext& ctx) {
  PrepareReshape(ctx.graph, ctx.op);  // element counts and dtypes agree
  const Tensor& out = ctx.output(0);
  RunMoveMap(StridedMap(out.dtype, out.shape, RowMajorStrides(out.shape)), ctx.in(0), ctx.out(0));
}

namespace {

// Every output of a data-movement operator, each from its parts.
void EvalMovePlan(const KernelContext& ctx) {
  const MovePlan plan = PlanMove(ctx.graph, ctx.op);
  for (size_t o = 0; o < plan.parts.size(); ++o) {
    for (const MovePart& part : plan.parts[o]) RunMoveMap(part.map, ctx.in(part.input), ctx.out(static_cast<int>(o)));
  }
}

}  // namespace

void Eval_kConcatenation(const KernelContext& ctx) { EvalMovePlan(ctx); }
void Eval_kPack(const KernelContext& ctx) { EvalMovePlan(ctx); }
void Eval_kSplit(const KernelContext& ctx) { EvalMovePlan(ctx); }
void Eval_kSlice(const KernelContext& ctx) { EvalMovePlan(ctx); }
void Eval_kStridedSlice(const KernelContext& ctx) { EvalMovePlan(ctx); }
void Eval_kSqueeze(const KernelContext& ctx) { EvalMovePlan(ctx); }
void Eval_kExpandDims(const KernelContext& ctx) { EvalMovePlan(ctx); }
void Eval_kResizeNearestNeighbor(const KernelContext& ctx) { EvalMovePlan(ctx); }

// SHAPE: the input's dims as int32 (little-endian).
void Eval_kShape(const KernelContext& ctx) {
  const std::vector<int32_t>& dims = ctx.input(0).shape;
  uint8_t* out = ctx.out(0);
  for (size_t i = 0; i < dims.size(); ++i) {
    for (size_t b = 0; b < 4; ++b) out[4 * i + b] = static_cast<uint8_t>(static_cast<uint32_t>(dims[i]) >> (8 * b));
  }
}

}  // namespace tinyfuse
