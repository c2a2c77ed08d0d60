#include "codegen/arena_layout.h"

#include <algorithm>
#include <string>

#include "common/error.h"
#include "loop/workspace.h"

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
  for (size_t k = 0; k < m.kernels.size(); ++k) {
    const loop::KernelWorkspace w = loop::AnalyzeWorkspace(m.kernels[k].func);
    if (w.scratch_bytes == 0) continue;
    const int64_t align = std::max(alignment, w.scratch_alignment);
    offset = (offset + align - 1) / align * align;
    layout.workspace_offsets[static_cast<int>(k)] = offset;
    offset += w.scratch_bytes;
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
  for (size_t k = 0; k < m.kernels.size(); ++k) {
    const std::string name = m.kernels[k].func.name;
    const loop::KernelWorkspace w = loop::AnalyzeWorkspace(m.kernels[k].func);
    auto it = layout.workspace_offsets.find(static_cast<int>(k));
    if (w.scratch_bytes == 0) {
      Check(it == layout.workspace_offsets.end(), "arena layout: kernel " + name + " has no workspace but an offset for one");
      continue;
    }
    Check(it != layout.workspace_offsets.end(), "arena layout: no offset for the workspace of kernel " + name);
    const int64_t align = std::max(layout.alignment, w.scratch_alignment);
    Check(it->second >= 0 && it->second % align == 0,
          "arena layout: the workspace of kernel " + name + " at offset " + std::to_string(it->second) +
              " is not aligned to " + std::to_string(align) + " bytes (its elements are " +
              std::to_string(w.scratch_alignment) + " bytes wide; raise --alignment)");
    Check(it->second + w.scratch_bytes <= layout.size,
          "arena layout: the workspace of kernel " + name + " ends past the arena (" +
              std::to_string(it->second + w.scratch_bytes) + " > " + std::to_string(layout.size) + ")");
  }
}

}  // namespace tinyfuse::codegen
