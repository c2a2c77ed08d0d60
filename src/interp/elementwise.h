// The interpreter's scalar functions of the elementwise families (graph/prepare/elementwise.h): the
// executable specification of one output element. The compiler's 256-entry tables are built by calling
// EvalUnary on every 8-bit input (loop/lower_util.cc), so a table and the interpreter cannot disagree.
#pragma once

#include <cstdint>
#include <vector>

#include "graph/prepare/add.h"
#include "graph/prepare/elementwise.h"

namespace tinyfuse {

// One output of a unary op for the stored input value x (in the dtype's range); the result is clamped.
int32_t EvalUnary(const UnaryParams& p, int32_t x);

// One output of a binary op for the stored input values x1, x2; the result is clamped.
int32_t EvalBinary(const BinaryParams& p, int32_t x1, int32_t x2);

// Calls fn(out_index, offset1, offset2) for every output element in row-major order, with each input's
// element offset under the broadcast maps (an odometer over the output index).
template <typename Fn>
void ForEachBroadcast(const BroadcastMaps& m, Fn fn) {
  int64_t size = 1;
  for (int32_t d : m.output_shape) size *= d;
  const size_t rank = m.output_shape.size();
  std::vector<int32_t> index(rank, 0);
  int64_t off1 = 0, off2 = 0;
  for (int64_t i = 0; i < size; ++i) {
    fn(i, off1, off2);
    for (size_t d = rank; d-- > 0;) {
      ++index[d];
      off1 += m.input1_strides[d];
      off2 += m.input2_strides[d];
      if (index[d] < m.output_shape[d]) break;
      off1 -= m.input1_strides[d] * index[d];
      off2 -= m.input2_strides[d] * index[d];
      index[d] = 0;
    }
  }
}

}  // namespace tinyfuse
