#include <cstdio>
#include <exception>
#include <string>

#include "common/error.h"
#include "common/text.h"
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
  tinyfuse::cli::RegisterProfile(app);
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
    std::fprintf(stderr, "tinyfuse: error: %s (see 'tinyfuse --help')\n", tinyfuse::PrintableMessage(e.what()).c_str());
    return 2;
  } catch (const tinyfuse::Error& e) {
    // Messages quote names from the model file through QuoteName; this keeps anything that slipped
    // through (a path, a name quoted raw) from breaking the one line or reaching the terminal as a control.
    std::fprintf(stderr, "tinyfuse: error: %s\n", tinyfuse::PrintableMessage(e.what()).c_str());
    return 2;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "tinyfuse: error: out of memory\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tinyfuse: internal error: %s\n", tinyfuse::PrintableMessage(e.what()).c_str());
    return 3;
  }
  return 0;
}
