// The files a CLI command writes, all or nothing.
//
// A command reserves every output before its real work: MakeDir creates the output directory (and its
// missing parents) and Stage makes a staging directory beside each destination, so a directory that cannot
// be created or written fails at once, as an Error naming the path. The command writes each file at the
// staged path Stage returned; Commit() renames them into place. If anything throws before Commit(), the
// destructor removes the staging directories and every directory MakeDir created: nothing is left behind.
// An existing device or pipe (/dev/null, /dev/stdout) is written to at Commit() rather than replaced.
// Limit: a rename that fails half-way through Commit() (a file of the same name replaced by a directory
// meanwhile) leaves the files renamed before it.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace tinyfuse::cli {

class OutputFiles {
 public:
  OutputFiles() = default;
  OutputFiles(const OutputFiles&) = delete;
  OutputFiles& operator=(const OutputFiles&) = delete;
  ~OutputFiles();

  // Creates `dir` and its missing parents now; they are removed again unless Commit() runs.
  void MakeDir(const std::string& dir);
  // Reserves `path` (its directory must exist) and returns where to write it until Commit(): the same file
  // name in a staging directory beside it. Throws Error when `path` is a directory, its directory is
  // missing or not writable, or `path` is reserved twice.
  std::string Stage(const std::string& path);
  // Moves every staged file to its path. Each one must have been written.
  void Commit();

 private:
  std::filesystem::path StagingDirFor(const std::filesystem::path& dir, const std::string& path);

  std::vector<std::filesystem::path> created_dirs_;                      // in creation order
  std::map<std::filesystem::path, std::filesystem::path> staging_dirs_;  // destination -> staging dir
  std::map<std::filesystem::path, std::filesystem::path> files_;         // final path -> staged path
  std::set<std::filesystem::path> streams_;  // final paths that are devices or pipes: written, not replaced
  bool committed_ = false;
};

}  // namespace tinyfuse::cli
