#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/text.h"
#include "tools/commands.h"

namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string CommandNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
  return Join(names);
}

// "--json, -o/--output-dir, ...": the flags and options `cmd` accepts.
std::string OptionNames(const CLI::App& cmd) {
  std::vector<std::string> names;
  for (const CLI::Option* o : cmd.get_options()) {
    if (!o->nonpositional()) continue;
    std::string name;
    for (const std::string& s : o->get_snames()) name += (name.empty() ? "-" : "/-") + s;
    for (const std::string& l : o->get_lnames()) name += (name.empty() ? "--" : "/--") + l;
    names.push_back(name);
  }
  return Join(names);
}

// The deepest command the parse entered ("tinyfuse compile") that was left arguments it did not expect.
const CLI::App* WithExtras(const CLI::App& app) {
  const CLI::App* found = nullptr;
  for (const CLI::App* at = &app; at; at = at->get_subcommands().empty() ? nullptr : at->get_subcommands().front()) {
    if (!at->remaining().empty()) found = at;
  }
  return found;
}

// The message for a command line CLI11 rejected: names what was typed and what is valid.
std::string ParseErrorMessage(const CLI::App& app, const CLI::ParseError& e, int argc, char** argv) {
  if (app.get_subcommands().empty() && !dynamic_cast<const CLI::ExtrasError*>(&e)) {
    if (argc < 2) return "no command given; the commands are: " + CommandNames(app);
    const std::string first = argv[1];
    const char* what = !first.empty() && first[0] == '-' ? "option" : "command";
    return "unknown " + std::string(what) + " '" + first + "'; the commands are: " + CommandNames(app);
  }
  const CLI::App* with_extras = dynamic_cast<const CLI::ExtrasError*>(&e) ? WithExtras(app) : nullptr;
  if (with_extras) {
    const CLI::App& cmd = *with_extras;
    const std::vector<std::string> extras = cmd.remaining();
    const std::string name = &cmd == &app ? "tinyfuse" : "tinyfuse " + cmd.get_name();
    std::string what;
    for (const std::string& x : extras) what += (what.empty() ? "'" : " '") + x + "'";
    std::string msg = "unexpected argument" + std::string(extras.size() == 1 ? " " : "s ") + what + " for '" + name +
                      "'; its options are: " + OptionNames(cmd);
    if (&cmd == &app) msg += "; its commands: " + CommandNames(app);
    return msg;
  }
  return e.what();
}

}  // namespace

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
    std::fprintf(stderr, "tinyfuse: error: %s (see 'tinyfuse --help')\n",
                 tinyfuse::PrintableMessage(ParseErrorMessage(app, e, argc, argv)).c_str());
    return 2;
  } catch (const tinyfuse::Error& e) {
    // Messages quote names from the model file through QuoteName; this keeps anything that slipped
    // through (a path, a name quoted raw) from breaking the one line or reaching the terminal as a control.
    std::fprintf(stderr, "tinyfuse: error: %s\n", tinyfuse::PrintableMessage(e.what()).c_str());
    return 2;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "tinyfuse: error: out of memory\n");
    return 2;
  } catch (const std::filesystem::filesystem_error& e) {
    // The file system refused something (a full disk, a vanished directory): the user's environment, not a
    // bug. Its message names the path(s).
    std::fprintf(stderr, "tinyfuse: error: %s\n", tinyfuse::PrintableMessage(e.what()).c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tinyfuse: internal error: %s\n", tinyfuse::PrintableMessage(e.what()).c_str());
    return 3;
  } catch (...) {
    std::fprintf(stderr, "tinyfuse: internal error: an exception that is not a std::exception\n");
    return 3;
  }
  return 0;
}
