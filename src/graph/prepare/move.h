// The data-movement family as one description: an index map from output coordinates to input elements.
// Every member (TRANSPOSE, PAD, and the slicing, stacking and resizing operators) is a shape rule plus a
// MoveMap; one interpreter walk (interp/move.h) and one lowering (loop/lower_move.cc) serve them all.
//
// A map walks `axes` in row-major order (their extents need not be the output tensor's shape: DEPTH_TO_SPACE
// walks its output as [N, H, b, W, b, C']). For axis k and walk coordinate o_k the source coordinate is
//   table[o_k]            when the axis has a table (nearest resize), else
//   o_k - before          which is inside the input when 0 <= o_k - before < size; outside, the element is
//                         the pad value (PAD), and
// the input element is in_offset + sum_k source_k * in_stride_k (strides may be 0 or negative). The element
// is written at out_offset + sum_k o_k * out_stride_k: row-major over `axes` unless a CONCATENATION part
// writes its slice of a larger output. Elements move unchanged; any element size.
#pragma once

#include <cstdint>
#include <vector>

#include "graph/graph.h"

namespace tinyfuse {

struct MoveAxis {
  int32_t extent = 1;            // walk extent (>= 1)
  int64_t in_stride = 0;         // input elements per unit of source coordinate; 0 = broadcast
  int64_t out_stride = 0;        // output elements per unit of o
  int32_t before = 0;            // source = o - before
  int32_t size = 1;              // source coordinates [0, size) are inside the input
  std::vector<int32_t> table;    // when not empty: source = table[o], always inside
  bool padded() const { return table.empty() && (before > 0 || before + size < extent); }
};

struct MoveMap {
  DType dtype = DType::kInt8;
  std::vector<MoveAxis> axes;
  int64_t in_offset = 0;
  int64_t out_offset = 0;
  int32_t pad_value = 0;  // written outside the input (in the dtype's range)

  int64_t elements() const;
};

// Row-major element strides of `shape`.
std::vector<int64_t> RowMajorStrides(const std::vector<int32_t>& shape);

// A map over `extents` whose output is row-major over them; axis k reads with `in_strides[k]`, no padding.
MoveMap StridedMap(DType dtype, const std::vector<int32_t>& extents, const std::vector<int64_t>& in_strides,
                   int64_t in_offset = 0);

// Whether the map reads the input in plain row-major order from element 0 with no padding and no tables:
// the output is the input's bytes (a view, e.g. RESHAPE, SQUEEZE, EXPAND_DIMS).
bool IsIdentity(const MoveMap& m);

}  // namespace tinyfuse
