#include <cstdio>
#include <exception>
#include <string>

#include "common/error.h"
#include "tools/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"tinyfuse: ahead-of-time compiler from quantized TFLite models to C for microcontrollers"};
  app.set_version_flag("--version", std::string("tinyfuse ") + TINYFUSE_VERSION);
  app.require_subcommand(1);
  tinyfuse::cli::RegisterInspect(app);
  tinyfuse::cli::RegisterRun(app);
  tinyfuse::cli::RegisterCompile(app);
  tinyfuse::cli::RegisterLower(app);
  tinyfuse::cli::RegisterPlan(app);
  tinyfuse::cli::RegisterDemo(app);
  tinyfuse::cli::RegisterBench(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line, status 2, as for every other error.
    std::fprintf(stderr, "tinyfuse: error: %s (see 'tinyfuse --help')\n", e.what());
    return 2;
  } catch (const tinyfuse::Error& e) {
    std::fprintf(stderr, "tinyfuse: error: %s\n", e.what());
    return 2;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "tinyfuse: error: out of memory\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tinyfuse: internal error: %s\n", e.what());
    return 3;
  }
  return 0;
}
