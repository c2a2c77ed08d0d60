// The golden cases of the two shared corpora, one reader for the benchmark and for every golden test:
//  classifier: <shared>/goldens/MANIFEST.tsv, models in <shared>/models (every case must stay byte-identical);
//  breadth:    <shared>/breadth/goldens/MANIFEST.tsv, models in <shared>/breadth/models (the models the
//              compiler is learning; the checked-in claims file names those it must pass).
// A manifest is a header line, then one tab-separated row a case (model, case, input_files, output_files,
// engine, output_sha256); a model with several inputs or outputs lists its files comma-separated, in the
// order of the subgraph's inputs/outputs. Paths are relative to the manifest's directory.
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace tinyfuse {

enum class GoldenCorpus { kClassifier, kBreadth };
const char* GoldenCorpusName(GoldenCorpus c);  // "classifier", "breadth"

struct GoldenCase {
  std::string name;                 // the case, e.g. "in1"
  std::vector<std::string> inputs;  // one file a model input, relative to the manifest's directory
  std::vector<std::string> outputs; // likewise, one a model output
  std::string input;                // inputs[0]
  std::string output;               // outputs[0]
};

// <shared>/goldens or <shared>/breadth/goldens.
std::string GoldenDir(const std::string& shared_dir, GoldenCorpus corpus = GoldenCorpus::kClassifier);
// <shared>/goldens/MANIFEST.tsv.
std::string GoldenManifestPath(const std::string& shared_dir, GoldenCorpus corpus = GoldenCorpus::kClassifier);
// The .tflite file of `model` in its corpus.
std::string GoldenModelPath(const std::string& shared_dir, GoldenCorpus corpus, const std::string& model);

// Model -> its cases in file order. Rows with fewer than four columns (blank lines) are skipped. Throws
// Error when the manifest cannot be read.
std::map<std::string, std::vector<GoldenCase>> ReadGoldenManifest(const std::string& shared_dir,
                                                                  GoldenCorpus corpus = GoldenCorpus::kClassifier);

// The shared directory named by TINYFUSE_SHARED_DIR when it holds goldens/MANIFEST.tsv; "" otherwise (tests
// then skip loudly).
std::string SharedDirFromEnv();
// Whether TINYFUSE_REQUIRE_SHARED=1 (CI): a missing corpus is then a failure, not a skip.
bool SharedRequired();

// The models the classifier goldens cover, fixed here rather than read from the manifest because ctest
// lists the golden tests without the corpus present (interp's GoldenManifest.ListsTheseModels keeps the
// two in step).
const std::vector<std::string>& GoldenModelNames();

// The breadth models the compiler claims: one name a line of a claims file ('#' starts a comment, blank
// lines are skipped). Throws Error when the file cannot be read.
std::vector<std::string> ReadGoldenClaims(const std::string& path);

// A model of either corpus with its place: classifier models are always claimed.
struct GoldenModel {
  GoldenCorpus corpus = GoldenCorpus::kClassifier;
  std::string name;
};
// "breadth/model_runner_model" (how test names print a parameter).
std::ostream& operator<<(std::ostream& os, const GoldenModel& m);
// Every classifier model, then every claimed breadth model (the golden tests' parameters).
std::vector<GoldenModel> ClaimedGoldenModels(const std::string& claims_path);

}  // namespace tinyfuse
