// Helper for the fuzz targets (docs/FUZZING.md):
//   fuzz_tool seeds IMPORT_DIR PIPELINE_DIR   write the seed corpora: every seed model as a .tflite for
//                                             fuzz_import, and one input per seed (and arithmetic) for
//                                             fuzz_pipeline
//   fuzz_tool decode INPUT [OUT.tflite]       show what a fuzz_pipeline input does (seed, edits, outcome)
//                                             and optionally write the edited model, e.g. to turn a crash
//                                             into a plain .tflite reproducer
//   fuzz_tool run FILE.tflite...              run model files through every stage and print the outcome
//   fuzz_tool replay FILE.tflite...           the same with both arithmetic flavours, one line per file;
//                                             the regression tests (tests/regressions) use it: a crash or
//                                             a sanitizer report fails them
//   fuzz_tool cdiff [--max N] [--require] FILE...  differential check of the generated C: for each model file
//                                             or fuzz_pipeline input that compiles and is small, build its
//                                             C with clang -fsanitize=address,undefined, run it on the
//                                             deterministic input and compare every output byte with the
//                                             interpreter. Exit 1 on any mismatch or sanitizer report
//                                             (--require: also when a model is not compiled)
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "codegen/host_runner.h"
#include "common/error.h"
#include "driver/compile.h"
#include "graph/verifier.h"
#include "interp/interpreter.h"
#include "mutator.h"
#include "pipeline_runner.h"
#include "seed_models.h"
#include "tflite/importer.h"
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
  const RunResult r = RunModelFile(file, m.flip_arith);
  PrintResult(r);
  if (!r.internal.empty()) std::printf("BUG: internal error: %s\n", r.internal.c_str());
  return r.internal.empty() ? 0 : 1;
}

int Run(int argc, char** argv) {
  for (int i = 2; i < argc; ++i) {
    std::printf("%s\n", argv[i]);
    PrintResult(RunModelFile(ReadBytes(argv[i]), false));
  }
  return 0;
}

int Replay(int argc, char** argv) {
  bool failed = false;
  for (int i = 2; i < argc; ++i) {
    const std::vector<uint8_t> bytes = ReadBytes(argv[i]);
    for (bool flip : {false, true}) {
      std::printf("%s (%s arithmetic): ", argv[i], flip ? "other" : "chosen");
      std::fflush(stdout);  // a crash in the run must not lose which file and flavour it was
      const RunResult r = RunModelFile(bytes, flip);
      std::printf("%s%s%s\n", OutcomeName(r.outcome), r.error.empty() ? "" : ": ", r.error.c_str());
      if (!r.internal.empty()) {
        std::printf("BUG: internal error: %s\n", r.internal.c_str());
        failed = true;
      }
    }
  }
  return failed ? 1 : 0;
}

// A model file (identifier TFL3 at byte 4), or a fuzz_pipeline input to decode and write.
std::vector<uint8_t> ModelBytes(const std::vector<uint8_t>& bytes, bool* flip) {
  *flip = false;
  if (bytes.size() >= 8 && std::memcmp(bytes.data() + 4, "TFL3", 4) == 0) return bytes;
  const MutatedModel m = DecodeMutatedModel(bytes.data(), bytes.size());
  *flip = m.flip_arith;
  return WriteRawModel(m.model);
}

// "" when the generated C agrees with the interpreter; "skip: ..." when the model does not get that far.
std::string CDiffOne(const std::vector<uint8_t>& file, bool flip) {
  Graph g;
  try {
    g = ImportTflite(file.data(), file.size());
    VerifyGraph(g);
  } catch (const Error& e) {
    return std::string("skip: ") + e.what();
  }
  if (RunWork(g) > kMaxRunWork) return "skip: too large to interpret";
  Arith arith = ChooseArith(g);
  if (flip) arith = arith == Arith::kTflm ? Arith::kTflite : Arith::kTflm;
  const std::vector<std::vector<uint8_t>> inputs = DeterministicInputs(g);
  std::vector<std::vector<uint8_t>> want;
  CompiledModel compiled;
  try {
    Interpreter interp(g, arith);
    for (size_t i = 0; i < inputs.size(); ++i) interp.SetInput(static_cast<int>(i), inputs[i]);
    interp.Invoke();
    for (size_t o = 0; o < g.outputs.size(); ++o) want.push_back(interp.Output(static_cast<int>(o)));
    CompileOptions options;
    options.arith = arith;
    options.prefix = "fz";
    compiled = Compile(g, options);
  } catch (const Error& e) {
    return std::string("skip: ") + e.what();
  }
  codegen::HostCompileOptions cc;
  cc.compiler = "clang";
  cc.flags += " -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer";
  // Twice: on an arena of zeros and on one of 0xff (a read of bytes nothing wrote differs between them).
  try {
    const codegen::HostProgram prog = codegen::HostProgram::Build(compiled.c, cc);
    for (const uint8_t fill : {0x00, 0xff}) {
      const std::vector<std::vector<uint8_t>> got = prog.Run(inputs, fill);
      for (size_t o = 0; o < want.size(); ++o) {
        if (o >= got.size() || got[o].size() != want[o].size()) return "output " + std::to_string(o) + ": wrong size";
        for (size_t i = 0; i < want[o].size(); ++i) {
          if (got[o][i] != want[o][i]) {
            return "output " + std::to_string(o) + " byte " + std::to_string(i) + ": C " + std::to_string(got[o][i]) +
                   ", interpreter " + std::to_string(want[o][i]) + " (" + ArithName(arith) + ", arena filled with " +
                   std::to_string(fill) + ")";
          }
        }
      }
    }
  } catch (const Error& e) {
    return std::string("generated C failed: ") + e.what();
  }
  return "";
}

int CDiff(int argc, char** argv) {
  int first = 2;
  long max = -1;
  bool require = false;
  for (; first < argc && argv[first][0] == '-'; ++first) {
    const std::string flag = argv[first];
    if (flag == "--max" && first + 1 < argc) {
      max = std::stol(argv[++first]);
    } else if (flag == "--require") {
      require = true;
    } else {
      throw Error("cdiff: unknown flag '" + flag + "'");
    }
  }
  std::vector<std::string> files;
  for (int i = first; i < argc; ++i) {
    if (std::filesystem::is_directory(argv[i])) {
      std::vector<std::string> in_dir;
      for (const auto& e : std::filesystem::directory_iterator(argv[i])) in_dir.push_back(e.path().string());
      std::sort(in_dir.begin(), in_dir.end());
      files.insert(files.end(), in_dir.begin(), in_dir.end());
    } else {
      files.push_back(argv[i]);
    }
  }
  long compared = 0, skipped = 0, failed = 0;
  for (const std::string& path : files) {
    if (max >= 0 && compared >= max) break;
    bool flip = false;
    std::vector<uint8_t> file;
    try {
      file = ModelBytes(ReadBytes(path), &flip);
    } catch (const Error&) {
      ++skipped;
      continue;
    }
    const std::string result = CDiffOne(file, flip);
    if (result.rfind("skip: ", 0) == 0) {
      ++skipped;
      if (require) {
        ++failed;
        std::printf("NOT COMPILED %s: %s\n", path.c_str(), result.c_str() + 6);
      }
      continue;
    }
    ++compared;
    if (!result.empty()) {
      ++failed;
      std::string line = result;  // one line per model, for scripts/fuzz.sh's triage
      for (char& c : line) {
        if (c == '\n') c = '|';
      }
      std::printf("MISMATCH %s: %s\n", path.c_str(), line.c_str());
    }
  }
  std::printf(
      "cdiff: %ld models compared, %ld differ or fail, %ld skipped (rejected, not compiled or too large); "
      "generated C built with clang -fsanitize=address,undefined\n",
      compared, failed, skipped);
  return failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string cmd = argc > 1 ? argv[1] : "";
  try {
    if (cmd == "seeds" && argc == 4) return Seeds(argv[2], argv[3]);
    if (cmd == "decode" && (argc == 3 || argc == 4)) return Decode(argv[2], argc == 4 ? argv[3] : nullptr);
    if (cmd == "run" && argc >= 3) return Run(argc, argv);
    if (cmd == "replay" && argc >= 3) return Replay(argc, argv);
    if (cmd == "cdiff" && argc >= 3) return CDiff(argc, argv);
  } catch (const Error& e) {
    std::fprintf(stderr, "fuzz_tool: error: %s\n", e.what());
    return 2;
  }
  std::fprintf(stderr,
               "usage: fuzz_tool seeds IMPORT_DIR PIPELINE_DIR | decode INPUT [OUT.tflite] | run|replay FILE.tflite... "
               "| cdiff [--max N] [--require] FILE|DIR...\n");
  return 2;
}
