#include "tools/output_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "common/error.h"
#include "driver/io.h"

namespace tinyfuse::cli {

namespace fs = std::filesystem;

namespace {

// Absolute and without "." or ".." steps or a trailing separator, so that two spellings of one path meet.
fs::path Normal(const std::string& path) {
  fs::path p = fs::absolute(fs::path(path)).lexically_normal();
  if (!p.has_filename() && p.has_parent_path() && p != p.root_path()) p = p.parent_path();
  return p;
}

void WriteFileBytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  f.flush();
  Check(static_cast<bool>(f), "cannot write '" + path + "'");
}

}  // namespace

OutputFiles::~OutputFiles() {
  std::error_code ec;
  for (const auto& [dir, staging] : staging_dirs_) fs::remove_all(staging, ec);
  if (committed_) return;
  // Only directories this object made, newest first; fs::remove leaves a directory that is not empty.
  for (auto it = created_dirs_.rbegin(); it != created_dirs_.rend(); ++it) fs::remove(*it, ec);
}

void OutputFiles::MakeDir(const std::string& dir) {
  Check(!dir.empty(), "the output directory is an empty string");
  std::vector<fs::path> missing;  // innermost first
  for (fs::path p = Normal(dir);; p = p.parent_path()) {
    std::error_code ec;
    const fs::file_status st = fs::status(p, ec);
    if (fs::exists(st)) {
      Check(fs::is_directory(st), "cannot create directory '" + dir + "': '" + p.string() + "' is not a directory");
      break;
    }
    missing.push_back(p);
    if (p == p.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), 0777) != 0) {
      if (errno == EEXIST && fs::is_directory(*it)) continue;  // made by someone else meanwhile
      throw Error("cannot create directory '" + dir + "': " + std::strerror(errno));
    }
    created_dirs_.push_back(*it);
  }
}

fs::path OutputFiles::StagingDirFor(const fs::path& dir, const std::string& path) {
  auto found = staging_dirs_.find(dir);
  if (found != staging_dirs_.end()) return found->second;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw Error("cannot write '" + path + "': " +
                (fs::exists(dir, ec) ? "'" + dir.string() + "' is not a directory" : "no directory '" + dir.string() + "'"));
  }
  std::string name = (dir / ".tinyfuse-XXXXXX").string();
  if (::mkdtemp(name.data()) == nullptr) throw Error("cannot write '" + path + "': " + std::strerror(errno));
  return staging_dirs_[dir] = fs::path(name);
}

std::string OutputFiles::Stage(const std::string& path) {
  Check(!path.empty(), "an output file name is an empty string");
  const fs::path final_path = Normal(path);
  std::error_code ec;
  const fs::file_status st = fs::status(final_path, ec);
  Check(!fs::is_directory(st), "cannot write '" + path + "': it is a directory");
  // A device or pipe (/dev/null, /dev/stdout) is written to at Commit(); a rename would replace it.
  if (fs::exists(st) && !fs::is_regular_file(st)) streams_.insert(final_path);
  Check(!files_.count(final_path), "'" + path + "' is given as an output twice");
  const fs::path staged = StagingDirFor(final_path.parent_path(), path) / final_path.filename();
  files_[final_path] = staged;
  return staged.string();
}

void OutputFiles::Commit() {
  for (const auto& [final_path, staged] : files_) {
    // A reserved file left unwritten is a bug of the command, not of the user's input.
    if (!fs::exists(staged)) throw std::logic_error("output '" + final_path.string() + "' was reserved but not written");
  }
  for (const auto& [final_path, staged] : files_) {
    if (streams_.count(final_path)) {
      WriteFileBytes(final_path.string(), ReadFileBytes(staged.string()));
      continue;
    }
    std::error_code ec;
    fs::rename(staged, final_path, ec);
    if (ec) throw Error("cannot write '" + final_path.string() + "': " + ec.message());
  }
  committed_ = true;
}

}  // namespace tinyfuse::cli
