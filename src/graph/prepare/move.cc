#include "graph/prepare/move.h"

namespace tinyfuse {

int64_t MoveMap::elements() const {
  int64_t n = 1;
  for (const MoveAxis& a : axes) n *= a.extent;
  return n;
}

std::vector<int64_t> RowMajorStrides(const std::vector<int32_t>& shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;) s[i - 1] = s[i] * shape[i];
  return s;
}

MoveMap StridedMap(DType dtype, const std::vector<int32_t>& extents, const std::vector<int64_t>& in_strides,
                   int64_t in_offset) {
  MoveMap m;
  m.dtype = dtype;
  m.in_offset = in_offset;
  const std::vector<int64_t> out_strides = RowMajorStrides(extents);
  for (size_t k = 0; k < extents.size(); ++k) {
    MoveAxis a;
    a.extent = extents[k];
    a.size = extents[k];
    a.in_stride = in_strides[k];
    a.out_stride = out_strides[k];
    m.axes.push_back(a);
  }
  return m;
}

bool IsIdentity(const MoveMap& m) {
  if (m.in_offset != 0 || m.out_offset != 0) return false;
  int64_t expected = 1;
  for (size_t k = m.axes.size(); k-- > 0;) {
    const MoveAxis& a = m.axes[k];
    if (a.padded() || !a.table.empty()) return false;
    if (a.extent == 1) continue;  // a unit axis never moves
    if (a.in_stride != expected || a.out_stride != expected) return false;
    expected *= a.extent;
  }
  return true;
}

}  // namespace tinyfuse
