// File I/O for the driver and CLI: whole-file reads with clear errors, and writes that never leave a
// half-written file behind (write to a temporary beside the target, then rename).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tinyfuse {

std::vector<uint8_t> ReadFileBytes(const std::string& path);
void WriteFileAtomic(const std::string& path, const std::vector<uint8_t>& bytes);
void WriteFileAtomic(const std::string& path, const std::string& text);

}  // namespace tinyfuse
