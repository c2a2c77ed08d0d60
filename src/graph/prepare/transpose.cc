#include "graph/prepare/transpose.h"

#include <string>

#include "common/error.h"
#include "common/text.h"
#include "graph/prepare/common.h"

namespace tinyfuse {

TransposeParams PrepareTranspose(const Graph& g, const Op& op) {
  const std::string what = OpLabel(g, op);
  Check(op.inputs.size() == 2 && op.outputs.size() == 1, what + ": needs an input, a permutation and one output");
  const Tensor& in = g.tensor(op.inputs[0]);
  const Tensor& perm = g.tensor(op.inputs[1]);
  const Tensor& out = g.tensor(op.outputs[0]);
  Check(in.dtype == DType::kInt8 || in.dtype == DType::kUInt8,
        what + ": input " + QuoteName(in.name) + " is " + DTypeName(in.dtype) + ", only int8 and uint8 are supported");
  Check(out.dtype == in.dtype, what + ": input and output dtypes differ");
  const int rank = in.rank();
  Check(rank <= 6, what + ": rank " + std::to_string(rank) + " is above the supported 6");
  Check(perm.is_const && perm.dtype == DType::kInt32 && perm.num_elements() == rank,
        what + ": the permutation must be a constant int32 tensor of " + std::to_string(rank) + " elements");
  Check(out.rank() == rank, what + ": input and output ranks differ");

  TransposeParams p;
  p.dtype = in.dtype;
  p.input_shape = in.shape;
  std::vector<int64_t> in_strides(static_cast<size_t>(rank), 1);
  for (int i = rank - 2; i >= 0; --i) in_strides[static_cast<size_t>(i)] = in_strides[static_cast<size_t>(i + 1)] * in.dim(i + 1);
  std::vector<bool> seen(static_cast<size_t>(rank), false);
  for (int i = 0; i < rank; ++i) {
    int a = perm.ConstInt(i);
    if (a < 0) a += rank;
    Check(a >= 0 && a < rank && !seen[static_cast<size_t>(a)], what + ": the permutation is not a permutation of 0.." +
                                                                   std::to_string(rank - 1));
    seen[static_cast<size_t>(a)] = true;
    p.perm.push_back(a);
    p.output_shape.push_back(in.dim(a));
    p.input_strides_out.push_back(in_strides[static_cast<size_t>(a)]);
  }
  Check(p.output_shape == out.shape, what + ": the output shape does not match the permuted input shape");
  return p;
}

MoveMap TransposeMap(const TransposeParams& p) {
  return StridedMap(p.dtype, p.output_shape, p.input_strides_out);
}

}  // namespace tinyfuse
