#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <string>
#include <vector>

#include "driver/bench.h"
#include "tools/commands.h"

namespace tinyfuse::cli {

namespace {
std::string SelfExe() {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}
}  // namespace

void RegisterBench(CLI::App& app) {
  auto* cmd = app.add_subcommand("bench", "Benchmarks over the shared corpus, with ratios to TFLite Micro");
  static std::string what, shared;
  static std::vector<std::string> models;
  static bool no_interp = false;
  const char* env = std::getenv("TINYFUSE_SHARED_DIR");
  shared = env ? env : "../shared";
  cmd->add_option("what", what, "memory | host | cortex-m4 | cortex-m7 | cortex-m55")
      ->required()
      ->check(CLI::IsMember({"memory", "host", "cortex-m4", "cortex-m7", "cortex-m55"}));
  cmd->add_option("--shared", shared, "the shared corpus (models/, goldens/, anchors/); default $TINYFUSE_SHARED_DIR or ../shared");
  cmd->add_option("--model", models, "only these models (name without .tflite); repeatable");
  cmd->add_flag("--no-interpreter", no_interp, "host: skip the interpreter column (it is slow under callgrind)");
  cmd->callback([] {
    BenchOptions o;
    o.shared_dir = shared;
    o.models = models;
    o.self_exe = SelfExe();
    o.skip_interpreter = no_interp;
    if (what == "memory") {
      BenchMemory(o);
    } else if (what == "host") {
      BenchHost(o);
    } else {
      BenchCortexM(o, what);
    }
  });
}

}  // namespace tinyfuse::cli
