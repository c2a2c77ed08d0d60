#include "driver/io.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "common/error.h"

namespace tinyfuse {

std::vector<uint8_t> ReadFileBytes(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw Error("cannot read '" + path + "': it is a directory");
  std::ifstream f(path, std::ios::binary);
  if (!f) throw Error("cannot open '" + path + "': " + std::strerror(errno));
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (f.bad()) throw Error("cannot read '" + path + "'");
  return bytes;
}

namespace {
void WriteRaw(const std::string& path, const char* data, size_t size) {
  const std::string tmp = path + ".tinyfuse-tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw Error("cannot write '" + path + "': " + std::strerror(errno));
    f.write(data, static_cast<std::streamsize>(size));
    f.flush();
    if (!f) {
      std::remove(tmp.c_str());
      throw Error("cannot write '" + path + "'");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    throw Error("cannot write '" + path + "': " + why);
  }
}
}  // namespace

void WriteFileAtomic(const std::string& path, const std::vector<uint8_t>& bytes) {
  WriteRaw(path, reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

void WriteFileAtomic(const std::string& path, const std::string& text) { WriteRaw(path, text.data(), text.size()); }

}  // namespace tinyfuse
