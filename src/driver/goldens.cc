#include "driver/goldens.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"

namespace tinyfuse {

namespace {

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::stringstream in(s);
  for (std::string part; std::getline(in, part, sep);) parts.push_back(part);
  return parts;
}

}  // namespace

const char* GoldenCorpusName(GoldenCorpus c) { return c == GoldenCorpus::kClassifier ? "classifier" : "breadth"; }

std::string GoldenDir(const std::string& shared_dir, GoldenCorpus corpus) {
  return shared_dir + (corpus == GoldenCorpus::kClassifier ? "/goldens" : "/breadth/goldens");
}

std::string GoldenManifestPath(const std::string& shared_dir, GoldenCorpus corpus) {
  return GoldenDir(shared_dir, corpus) + "/MANIFEST.tsv";
}

std::string GoldenModelPath(const std::string& shared_dir, GoldenCorpus corpus, const std::string& model) {
  return shared_dir + (corpus == GoldenCorpus::kClassifier ? "/models/" : "/breadth/models/") + model + ".tflite";
}

std::map<std::string, std::vector<GoldenCase>> ReadGoldenManifest(const std::string& shared_dir,
                                                                  GoldenCorpus corpus) {
  const std::string path = GoldenManifestPath(shared_dir, corpus);
  std::ifstream f(path);
  if (!f) throw Error("cannot read the golden manifest '" + path + "'");
  std::map<std::string, std::vector<GoldenCase>> cases;
  std::string line;
  std::getline(f, line);  // header
  while (std::getline(f, line)) {
    const std::vector<std::string> cols = Split(line, '\t');
    if (cols.size() < 4) continue;
    GoldenCase c{cols[1], Split(cols[2], ','), Split(cols[3], ','), "", ""};
    Check(!c.inputs.empty() && !c.outputs.empty(), path + ": case " + cols[0] + " " + cols[1] + " lists no files");
    c.input = c.inputs[0];
    c.output = c.outputs[0];
    cases[cols[0]].push_back(std::move(c));
  }
  return cases;
}

std::string SharedDirFromEnv() {
  const char* env = std::getenv("TINYFUSE_SHARED_DIR");
  if (env == nullptr || *env == '\0') return "";
  std::error_code ec;
  return std::filesystem::is_regular_file(GoldenManifestPath(env), ec) ? env : "";
}

bool SharedRequired() {
  const char* env = std::getenv("TINYFUSE_REQUIRE_SHARED");
  return env != nullptr && std::string(env) == "1";
}

const std::vector<std::string>& GoldenModelNames() {
  static const std::vector<std::string> names = {
      "ad01_int8",
      "hello_world_int8",
      "micro_speech_quantized",
      "mobilenet_v1_0.25_128_quant",
      "mobilenet_v1_0.75_192_quant",
      "mobilenet_v2_1.0_224_quant",
      "mobilenet_v2_quantized_1x3x224x224",
      "person_detect",
      "pretrainedResnet_quant",
      "str_ww_ref_model",
      "tf2_mobilenet_v2_1.0_224_ptq",
      "vww_96_int8",
  };
  return names;
}

std::vector<std::string> ReadGoldenClaims(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw Error("cannot read the claims file '" + path + "'");
  std::vector<std::string> models;
  for (std::string line; std::getline(f, line);) {
    line = line.substr(0, line.find('#'));
    const size_t b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos) continue;
    models.push_back(line.substr(b, line.find_last_not_of(" \t\r") + 1 - b));
  }
  return models;
}

std::ostream& operator<<(std::ostream& os, const GoldenModel& m) {
  return os << GoldenCorpusName(m.corpus) << "/" << m.name;
}

std::vector<GoldenModel> ClaimedGoldenModels(const std::string& claims_path) {
  std::vector<GoldenModel> models;
  for (const std::string& m : GoldenModelNames()) models.push_back({GoldenCorpus::kClassifier, m});
  for (const std::string& m : ReadGoldenClaims(claims_path)) models.push_back({GoldenCorpus::kBreadth, m});
  return models;
}

}  // namespace tinyfuse
