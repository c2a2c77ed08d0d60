#include "driver/goldens.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"

namespace tinyfuse {

std::string GoldenManifestPath(const std::string& shared_dir) { return shared_dir + "/goldens/MANIFEST.tsv"; }

std::map<std::string, std::vector<GoldenCase>> ReadGoldenManifest(const std::string& shared_dir) {
  const std::string path = GoldenManifestPath(shared_dir);
  std::ifstream f(path);
  if (!f) throw Error("cannot read the golden manifest '" + path + "'");
  std::map<std::string, std::vector<GoldenCase>> cases;
  std::string line;
  std::getline(f, line);  // header
  while (std::getline(f, line)) {
    std::vector<std::string> cols;
    std::stringstream row(line);
    for (std::string col; std::getline(row, col, '\t');) cols.push_back(col);
    if (cols.size() >= 4) cases[cols[0]].push_back({cols[1], cols[2], cols[3]});
  }
  return cases;
}

std::string SharedDirFromEnv() {
  const char* env = std::getenv("TINYFUSE_SHARED_DIR");
  if (env == nullptr || *env == '\0') return "";
  std::error_code ec;
  return std::filesystem::is_regular_file(GoldenManifestPath(env), ec) ? env : "";
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

}  // namespace tinyfuse
