#include "codegen/arena_layout.h"

#include <string>

#include "common/error.h"

namespace tinyfuse::codegen {

int64_t ArenaLayout::OffsetOf(const loop::LoweredModel& m, int tensor_id) const {
  const int storage = m.StorageOf(tensor_id);
  auto it = offsets.find(storage);
  if (it == offsets.end()) throw Error("arena layout: no offset for tensor " + std::to_string(storage));
  return it->second;
}

ArenaLayout SequentialLayout(const loop::LoweredModel& m, int64_t alignment) {
  ArenaLayout layout;
  layout.alignment = alignment;
  int64_t offset = 0;
  for (const auto& [id, bytes] : m.storage_bytes) {
    layout.offsets[id] = offset;
    offset += (bytes + alignment - 1) / alignment * alignment;
  }
  layout.size = offset;
  return layout;
}

void CheckLayout(const loop::LoweredModel& m, const ArenaLayout& layout) {
  Check(layout.alignment >= 1, "arena layout: alignment must be at least 1");
  for (const auto& [id, bytes] : m.storage_bytes) {
    auto it = layout.offsets.find(id);
    Check(it != layout.offsets.end(), "arena layout: no offset for tensor " + std::to_string(id));
    Check(it->second >= 0 && it->second % layout.alignment == 0,
          "arena layout: tensor " + std::to_string(id) + " at offset " + std::to_string(it->second) +
              " is not aligned to " + std::to_string(layout.alignment));
    Check(it->second + bytes <= layout.size, "arena layout: tensor " + std::to_string(id) + " ends past the arena (" +
                                                 std::to_string(it->second + bytes) + " > " +
                                                 std::to_string(layout.size) + ")");
  }
}

}  // namespace tinyfuse::codegen
