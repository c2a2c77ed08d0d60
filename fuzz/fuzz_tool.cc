// Helper for the fuzz targets (docs/FUZZING.md):
//   fuzz_tool seeds IMPORT_DIR PIPELINE_DIR   write the seed corpora: every seed model as a .tflite for
//                                             fuzz_import, and one input per seed (and arithmetic) for
//                                             fuzz_pipeline
//   fuzz_tool decode INPUT [OUT.tflite]       show what a fuzz_pipeline input does (seed, edits, outcome)
//                                             and optionally write the edited model, e.g. to turn a crash
//                                             into a plain .tflite reproducer
//   fuzz_tool run FILE.tflite...              run model files through every stage and print the outcome
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "common/error.h"
#include "mutator.h"
#include "pipeline_runner.h"
#include "seed_models.h"
#include "tflite/raw_model.h"
#include "tflite/writer.h"

namespace {

using namespace tinyfuse;
using namespace tinyfuse::fuzz;

std::vector<uint8_t> ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read '" + path + "'");
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void WriteBytes(const std::filesystem::path& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw Error("cannot write '" + path.string() + "'");
}

void PrintResult(const RunResult& r) {
  std::printf("outcome: %s%s%s\n", OutcomeName(r.outcome), r.error.empty() ? "" : ": ", r.error.c_str());
  std::printf("interpreted: %s\n", r.interpreted ? "yes" : "no");
}

int Seeds(const std::string& import_dir, const std::string& pipeline_dir) {
  std::filesystem::create_directories(import_dir);
  std::filesystem::create_directories(pipeline_dir);
  const std::vector<SeedModel>& seeds = SeedModels();
  for (size_t i = 0; i < seeds.size(); ++i) {
    WriteBytes(std::filesystem::path(import_dir) / (seeds[i].name + ".tflite"), WriteTflite(seeds[i].graph));
    for (uint8_t flags : {0, 1}) {
      // An input of two bytes (seed, flags) decodes to the unedited seed.
      const std::vector<uint8_t> input = {static_cast<uint8_t>(i), flags};
      WriteBytes(std::filesystem::path(pipeline_dir) / (seeds[i].name + (flags ? "_other_arith" : "")), input);
    }
  }
  std::printf("%zu seed models -> %s, %zu inputs -> %s\n", seeds.size(), import_dir.c_str(), 2 * seeds.size(),
              pipeline_dir.c_str());
  return 0;
}

int Decode(const std::string& input, const char* out_path) {
  const std::vector<uint8_t> bytes = ReadBytes(input);
  const MutatedModel m = DecodeMutatedModel(bytes.data(), bytes.size(), true);
  std::fputs(m.log.c_str(), stdout);
  std::vector<uint8_t> file;
  try {
    file = WriteRawModel(m.model);
  } catch (const Error& e) {
    std::printf("outcome: %s: %s\n", OutcomeName(Outcome::kWriterError), e.what());
    return 0;
  }
  if (out_path != nullptr) {
    WriteBytes(out_path, file);
    std::printf("wrote %s (%zu bytes)\n", out_path, file.size());
  }
  std::fflush(stdout);  // before the run: a crash there must not lose the log
  PrintResult(RunModelFile(file, m.flip_arith));
  return 0;
}

int Run(int argc, char** argv) {
  for (int i = 2; i < argc; ++i) {
    std::printf("%s\n", argv[i]);
    PrintResult(RunModelFile(ReadBytes(argv[i]), false));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string cmd = argc > 1 ? argv[1] : "";
  try {
    if (cmd == "seeds" && argc == 4) return Seeds(argv[2], argv[3]);
    if (cmd == "decode" && (argc == 3 || argc == 4)) return Decode(argv[2], argc == 4 ? argv[3] : nullptr);
    if (cmd == "run" && argc >= 3) return Run(argc, argv);
  } catch (const Error& e) {
    std::fprintf(stderr, "fuzz_tool: error: %s\n", e.what());
    return 2;
  }
  std::fprintf(stderr,
               "usage: fuzz_tool seeds IMPORT_DIR PIPELINE_DIR | decode INPUT [OUT.tflite] | run FILE.tflite...\n");
  return 2;
}
