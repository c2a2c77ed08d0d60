// The golden cases of the shared corpus: <shared>/goldens/MANIFEST.tsv, a header line, then one tab-separated
// row a case (model, case, input_files, output_files, engine, output_sha256). The paths are relative to
// <shared>/goldens. One reader for the benchmark and for every golden test.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace tinyfuse {

struct GoldenCase {
  std::string name;    // the case, e.g. "in1"
  std::string input;   // path relative to <shared>/goldens
  std::string output;  // likewise
};

// <shared_dir>/goldens/MANIFEST.tsv.
std::string GoldenManifestPath(const std::string& shared_dir);

// Model -> its cases in file order. Rows with fewer than four columns (blank lines) are skipped. Throws
// Error when the manifest cannot be read.
std::map<std::string, std::vector<GoldenCase>> ReadGoldenManifest(const std::string& shared_dir);

// The shared directory named by TINYFUSE_SHARED_DIR when it holds goldens/MANIFEST.tsv; "" otherwise (tests
// then skip loudly).
std::string SharedDirFromEnv();

// The models the goldens cover, fixed here rather than read from the manifest because ctest lists the
// golden tests without the corpus present (interp's GoldenManifest.ListsTheseModels keeps the two in step).
const std::vector<std::string>& GoldenModelNames();

}  // namespace tinyfuse
