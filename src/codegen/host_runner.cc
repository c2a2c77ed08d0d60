#include "codegen/host_runner.h"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "common/error.h"

namespace tinyfuse::codegen {

namespace {

std::string MainSource(const GeneratedC& c) {
  const std::string& p = c.prefix;
  const size_t n_in = c.inputs.size(), n_out = c.outputs.size();
  std::ostringstream os;
  os << "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include \"" << p << ".h\"\n\n";
  if (n_in > 0) {
    os << "static void *read_file(const char *path, long size) {\n"
        "  FILE *f = fopen(path, \"rb\");\n"
        "  void *buf = malloc(size > 0 ? (size_t)size : 1);\n"
        "  if (!f || !buf || fread(buf, 1, (size_t)size, f) != (size_t)size || fgetc(f) != EOF) {\n"
        "    fprintf(stderr, \"cannot read %ld bytes from %s\\n\", size, path);\n"
        "    exit(3);\n"
        "  }\n"
        "  fclose(f);\n"
        "  return buf;\n"
        "}\n\n";
  }
  if (n_out > 0) {
    os << "static void write_file(const char *path, const void *buf, long size) {\n"
        "  FILE *f = fopen(path, \"wb\");\n"
        "  if (!f || fwrite(buf, 1, (size_t)size, f) != (size_t)size || fclose(f) != 0) {\n"
        "    fprintf(stderr, \"cannot write %s\\n\", path);\n"
        "    exit(3);\n"
        "  }\n"
        "}\n\n";
  }
  os << "int main(int argc, char **argv) {\n";
  if (n_in == 0 && n_out == 0) os << "  (void)argv;\n";
  os << "  uint8_t *arena = (uint8_t *)malloc(" << p << "_ARENA_SIZE > 0 ? " << p << "_ARENA_SIZE : 1);\n";
  os << "  if (argc != " << (1 + n_in + n_out) << " || !arena) return 4;\n";
  // Every arena byte starts as TINYFUSE_ARENA_FILL (HostProgram::Run sets it): a kernel that reads bytes
  // nothing wrote gives outputs that change with the fill.
  os << "  {\n    const char *fill = getenv(\"TINYFUSE_ARENA_FILL\");\n";
  os << "    memset(arena, fill ? atoi(fill) : 0, " << p << "_ARENA_SIZE > 0 ? " << p << "_ARENA_SIZE : 1);\n  }\n";
  for (size_t k = 0; k < n_in; ++k) {
    os << "  void *in" << k << " = read_file(argv[" << (1 + k) << "], " << p << "_INPUT" << k << "_SIZE);\n";
  }
  for (size_t k = 0; k < n_out; ++k) {
    os << "  void *out" << k << " = malloc(" << p << "_OUTPUT" << k << "_SIZE > 0 ? " << p << "_OUTPUT" << k
       << "_SIZE : 1);\n";
  }
  os << "  if (" << p << "_invoke(";
  for (size_t k = 0; k < n_in; ++k) os << "in" << k << ", ";
  for (size_t k = 0; k < n_out; ++k) os << "out" << k << ", ";
  os << "arena) != 0) return 5;\n";
  for (size_t k = 0; k < n_out; ++k) {
    os << "  write_file(argv[" << (1 + n_in + k) << "], out" << k << ", " << p << "_OUTPUT" << k << "_SIZE);\n";
  }
  for (size_t k = 0; k < n_in; ++k) os << "  free(in" << k << ");\n";
  for (size_t k = 0; k < n_out; ++k) os << "  free(out" << k << ");\n";
  os << "  free(arena);\n  return 0;\n}\n";
  return os.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  f.close();
  Check(static_cast<bool>(f), "host runner: cannot write '" + path + "'");
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// Runs a shell command, returns its exit status; its combined output goes to `log`.
int Shell(const std::string& command, const std::string& log) {
  const int status = std::system((command + " >" + log + " 2>&1").c_str());
  if (status == -1) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

}  // namespace

HostProgram HostProgram::Build(const GeneratedC& c, const HostCompileOptions& options) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "tinyfuse_c_XXXXXX").string();
  Check(mkdtemp(tmpl.data()) != nullptr, "host runner: cannot create a temporary directory");
  HostProgram prog;
  prog.dir_ = tmpl;
  prog.keep_dir_ = options.keep_dir;
  for (const loop::IoTensor& t : c.inputs) prog.input_sizes_.push_back(t.bytes);
  for (const loop::IoTensor& t : c.outputs) prog.output_sizes_.push_back(t.bytes);
  WriteGeneratedC(c, prog.dir_);
  WriteFile(prog.dir_ + "/main.c", MainSource(c));
  const std::string log = prog.dir_ + "/compile.log";
  const std::string cmd = options.compiler + " " + options.flags + " -o " + prog.dir_ + "/model " + prog.dir_ +
                          "/main.c " + prog.dir_ + "/" + c.prefix + ".c";
  if (Shell(cmd, log) != 0) {
    std::string out = ReadFile(log);
    if (out.size() > 4000) out = out.substr(0, 4000) + "\n...";
    throw Error("host runner: '" + options.compiler + "' failed on the generated C (" + prog.dir_ + "):\n" + out);
  }
  return prog;
}

HostProgram::HostProgram(HostProgram&& other) noexcept
    : dir_(std::move(other.dir_)),
      input_sizes_(std::move(other.input_sizes_)),
      output_sizes_(std::move(other.output_sizes_)),
      keep_dir_(other.keep_dir_) {
  other.dir_.clear();
}

HostProgram::~HostProgram() {
  if (!dir_.empty() && !keep_dir_) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

std::vector<std::vector<uint8_t>> HostProgram::Run(const std::vector<std::vector<uint8_t>>& inputs,
                                                   uint8_t arena_fill) const {
  Check(inputs.size() == input_sizes_.size(), "host runner: the model has " + std::to_string(input_sizes_.size()) +
                                                  " inputs, got " + std::to_string(inputs.size()));
  std::string cmd = "TINYFUSE_ARENA_FILL=" + std::to_string(arena_fill) + " " + dir_ + "/model";
  for (size_t k = 0; k < inputs.size(); ++k) {
    Check(static_cast<int64_t>(inputs[k].size()) == input_sizes_[k],
          "host runner: input " + std::to_string(k) + " needs " + std::to_string(input_sizes_[k]) + " bytes, got " +
              std::to_string(inputs[k].size()));
    const std::string path = dir_ + "/in" + std::to_string(k) + ".bin";
    WriteFile(path, std::string(inputs[k].begin(), inputs[k].end()));
    cmd += " " + path;
  }
  for (size_t k = 0; k < output_sizes_.size(); ++k) cmd += " " + dir_ + "/out" + std::to_string(k) + ".bin";
  const std::string log = dir_ + "/run.log";
  const int status = Shell(cmd, log);
  Check(status == 0, "host runner: the generated program failed with status " + std::to_string(status) + ": " +
                         ReadFile(log));
  std::vector<std::vector<uint8_t>> outputs;
  for (size_t k = 0; k < output_sizes_.size(); ++k) {
    const std::string bytes = ReadFile(dir_ + "/out" + std::to_string(k) + ".bin");
    Check(static_cast<int64_t>(bytes.size()) == output_sizes_[k], "host runner: output " + std::to_string(k) +
                                                                      " has the wrong size");
    outputs.emplace_back(bytes.begin(), bytes.end());
  }
  return outputs;
}

std::vector<std::vector<uint8_t>> RunGeneratedC(const GeneratedC& c, const std::vector<std::vector<uint8_t>>& inputs,
                                                const HostCompileOptions& options, uint8_t arena_fill) {
  return HostProgram::Build(c, options).Run(inputs, arena_fill);
}

}  // namespace tinyfuse::codegen
