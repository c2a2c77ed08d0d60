// Compiles generated C with a host C compiler and runs it: the engine behind `tinyfuse run --engine c`
// and the differential tests. HostProgram::Build writes PREFIX.c, PREFIX.h and a small main.c into a
// fresh temporary directory and compiles them; Run feeds input files and reads output files. The main
// allocates the arena with malloc (host only), calls PREFIX_invoke once per Run and checks it returns 0.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "codegen/c_emitter.h"

namespace tinyfuse::codegen {

struct HostCompileOptions {
  std::string compiler = "cc";
  std::string flags = "-std=c99 -O2 -Wall -Wextra -Werror -pedantic";
  bool keep_dir = false;  // keep the temporary directory (its path is HostProgram::dir())
};

class HostProgram {
 public:
  // Throws tinyfuse::Error with the compiler's output when compilation fails.
  static HostProgram Build(const GeneratedC& c, const HostCompileOptions& options = {});
  HostProgram(HostProgram&& other) noexcept;
  HostProgram& operator=(HostProgram&&) = delete;
  HostProgram(const HostProgram&) = delete;
  ~HostProgram();

  // One inference. `inputs` in graph input order, exact sizes. Every arena byte is `arena_fill` before
  // the inference: outputs that change with the fill come from bytes nothing wrote. Throws
  // tinyfuse::Error on a size mismatch or when the program fails.
  std::vector<std::vector<uint8_t>> Run(const std::vector<std::vector<uint8_t>>& inputs,
                                        uint8_t arena_fill = 0) const;

  const std::string& dir() const { return dir_; }

 private:
  HostProgram() = default;
  std::string dir_;
  std::vector<int64_t> input_sizes_, output_sizes_;
  bool keep_dir_ = false;
};

// Build + one Run.
std::vector<std::vector<uint8_t>> RunGeneratedC(const GeneratedC& c, const std::vector<std::vector<uint8_t>>& inputs,
                                                const HostCompileOptions& options = {}, uint8_t arena_fill = 0);

}  // namespace tinyfuse::codegen
