#include "driver/cortex_m.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <thread>
#include <utility>

#include "common/error.h"

extern char** environ;

namespace tinyfuse {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kKiB = 1024;
constexpr int64_t kMiB = 1024 * 1024;

// QEMU 7.2 memory maps (hw/arm/mps2.c, mps3-an547): plain RAM only. On mps3-an547 everything but the
// TCMs sits behind a TrustZone memory protection controller, i.e. is MMIO to QEMU: slow, and -icount
// replays blocks around MMIO, which would break the exact count.
const std::vector<CortexMBoard>& Boards() {
  static const std::vector<CortexMBoard> boards = {
      {.cpu = "cortex-m4",
       .machine = "mps2-an386",
       .cpu_flags = {"-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"},
       .flash_origin = 0x00000000,  // ZBT SSRAM1
       .flash_max = 4 * kMiB,
       .ram_origin = 0x20000000,  // ZBT SSRAM2/3
       .ram_max = 4 * kMiB,
       .large_ram_origin = 0x21000000,  // PSRAM
       .large_ram_max = 16 * kMiB},
      {.cpu = "cortex-m7",
       .machine = "mps2-an500",
       .cpu_flags = {"-mcpu=cortex-m7", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv5-d16"},
       .flash_origin = 0x00000000,  // ZBT SSRAM1
       .flash_max = 4 * kMiB,
       .ram_origin = 0x20000000,  // ZBT SSRAM2/3
       .ram_max = 4 * kMiB,
       .large_ram_origin = 0x60000000,  // PSRAM
       .large_ram_max = 16 * kMiB},
      {.cpu = "cortex-m55",
       .machine = "mps3-an547",
       .cpu_flags = {"-mcpu=cortex-m55", "-mthumb", "-mfloat-abi=hard"},
       .flash_origin = 0x00000000,  // ITCM
       .flash_max = 512 * kKiB,
       .ram_origin = 0x20000000,  // DTCM
       .ram_max = 512 * kKiB},
  };
  return boards;
}

std::string Hex(uint64_t v) {
  std::ostringstream s;
  s << "0x" << std::hex << v;
  return s.str();
}

// ---- Files ----

void WriteText(const fs::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  Check(static_cast<bool>(f), "cannot write " + path.string());
}

void WriteBytes(const fs::path& path, const std::vector<uint8_t>& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  Check(static_cast<bool>(f), "cannot write " + path.string());
}

std::string ReadText(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

std::vector<uint8_t> ReadBytes(const fs::path& path) {
  std::string text = ReadText(path);
  return std::vector<uint8_t>(text.begin(), text.end());
}

// A fresh directory under the system's temporary directory.
std::string MakeTempDir() {
  std::string pattern = (fs::temp_directory_path() / "tinyfuse-cm-XXXXXX").string();
  Check(mkdtemp(pattern.data()) != nullptr,
        "cannot create a temporary directory in " + fs::temp_directory_path().string());
  return pattern;
}

// Removes a temporary directory on scope exit.
class TempDir {
 public:
  TempDir() : path_(MakeTempDir()) {}
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// ---- Processes ----

std::string FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    fs::path candidate = fs::path(dir) / name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

struct ProcessResult {
  int exit_status = -1;  // exit code, or 128 + signal
  bool timed_out = false;
  std::string output;  // stdout and stderr, interleaved
};

// Runs argv (argv[0] looked up on PATH) in `cwd` with stdin from /dev/null and stdout+stderr into
// `log_path`, in its own process group; kills the group after timeout_s seconds of wall clock.
ProcessResult RunProcess(const std::vector<std::string>& argv, const fs::path& cwd, const fs::path& log_path,
                         int timeout_s) {
  std::vector<char*> cargv;
  for (const std::string& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, cargv[0], &actions, &attr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  Check(rc == 0, "cannot start " + argv[0] + ": " + std::strerror(rc));

  ProcessResult result;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  auto pause = std::chrono::milliseconds(1);
  int status = 0;
  for (;;) {
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      result.timed_out = true;
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
  if (WIFEXITED(status)) result.exit_status = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.exit_status = 128 + WTERMSIG(status);
  result.output = ReadText(log_path);
  return result;
}

// The first line of a tool's log that says "error" (or the first line), for one-line messages.
std::string FirstErrorLine(const std::string& log) {
  std::istringstream lines(log);
  std::string line, first;
  while (std::getline(lines, line)) {
    if (first.empty() && !line.empty()) first = line;
    // collect2's "ld returned 1 exit status" only says that ld said something before it.
    if (line.find("collect2") != std::string::npos) continue;
    if (line.find("error") != std::string::npos || line.find("Error") != std::string::npos) {
      return line;
    }
  }
  return first.empty() ? "(no output)" : first;
}

// ---- Building ----

struct MemoryLayout {
  uint32_t flash_origin;
  int64_t flash_length;
  uint32_t ram_origin;
  int64_t ram_length;
};

std::string MiB(int64_t bytes) {
  std::ostringstream s;
  if (bytes % kMiB == 0) {
    s << bytes / kMiB << " MiB";
  } else {
    s << bytes / kKiB << " KiB";
  }
  return s.str();
}

MemoryLayout ResolveMemory(const CortexMBoard& board, const CortexMOptions& options) {
  const std::string where = board.cpu + " (" + board.machine + ")";
  Check(options.flash_size >= 0 && options.ram_size >= 0 && options.stack_size > 0,
        "--flash-size and --ram-size must not be negative, the stack size must be positive");
  MemoryLayout m{board.flash_origin, board.flash_max, board.ram_origin, board.ram_max};
  if (options.flash_size > 0) {
    Check(options.flash_size <= board.flash_max, "--flash-size " + std::to_string(options.flash_size) +
                                                     " exceeds the " + MiB(board.flash_max) +
                                                     " of flash that " + where + " has");
    m.flash_length = options.flash_size;
  }
  if (options.ram_size > 0) {
    if (options.ram_size > board.ram_max) {
      int64_t most = std::max(board.ram_max, board.large_ram_max);
      Check(options.ram_size <= most, "--ram-size " + std::to_string(options.ram_size) + " exceeds the " +
                                          MiB(most) + " of RAM that " + where + " has");
      m.ram_origin = board.large_ram_origin;
    }
    m.ram_length = options.ram_size;
  }
  return m;
}

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

void WriteMemoryScript(const fs::path& harness, const fs::path& build_dir, const MemoryLayout& m,
                       int64_t stack_size) {
  std::string text = ReadText(harness / "memory.ld.in");
  Check(!text.empty(), "missing " + (harness / "memory.ld.in").string());
  text = ReplaceAll(text, "@FLASH_ORIGIN@", Hex(m.flash_origin));
  text = ReplaceAll(text, "@FLASH_LENGTH@", Hex(static_cast<uint64_t>(m.flash_length)));
  text = ReplaceAll(text, "@RAM_ORIGIN@", Hex(m.ram_origin));
  text = ReplaceAll(text, "@RAM_LENGTH@", Hex(static_cast<uint64_t>(m.ram_length)));
  text = ReplaceAll(text, "@STACK_SIZE@", std::to_string(stack_size));
  WriteText(build_dir / "memory.ld", text);
}

// ld's "region `FLASH' overflowed by N bytes" lines, as one sentence; empty if there are none.
std::string OverflowMessage(const std::string& log, const MemoryLayout& m, int64_t stack_size) {
  static const std::regex overflow(R"(region [`'](\w+)' overflowed by (\d+) bytes?)");
  std::map<std::string, std::string> by_region;
  for (std::sregex_iterator it(log.begin(), log.end(), overflow), end; it != end; ++it) {
    by_region[(*it)[1].str()] = (*it)[2].str();
  }
  std::string message;
  if (by_region.count("FLASH")) {
    message += "flash overflowed by " + by_region["FLASH"] + " bytes (limit " +
               std::to_string(m.flash_length) + " bytes)";
  }
  if (by_region.count("RAM")) {
    if (!message.empty()) message += "; ";
    message += "RAM overflowed by " + by_region["RAM"] + " bytes (limit " + std::to_string(m.ram_length) +
               " bytes, " + std::to_string(stack_size) + "-byte stack included)";
  }
  return message;
}

// One arm-none-eabi-gcc run that compiles everything and links app.elf and app.map in `dir`.
std::vector<std::string> CompileAndLinkCommand(const CortexMBoard& board, const fs::path& harness,
                                               const fs::path& dir, const std::vector<std::string>& sources,
                                               const std::vector<std::string>& include_dirs,
                                               const CortexMProgram& program) {
  std::vector<std::string> argv = {"arm-none-eabi-gcc"};
  argv.insert(argv.end(), board.cpu_flags.begin(), board.cpu_flags.end());
  argv.insert(argv.end(), {"-O2", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic",
                           "-ffunction-sections", "-fdata-sections", "-I" + dir.string()});
  for (const std::string& inc : include_dirs) argv.push_back("-I" + inc);
  argv.push_back("-I" + harness.string());
  argv.insert(argv.end(), sources.begin(), sources.end());
  for (const char* runtime : {"startup.S", "markers.S", "semihost.c"}) {
    argv.push_back((harness / runtime).string());
  }
  // -Xlinker, not -Wl: the map path may contain commas.
  argv.insert(argv.end(), {"-nostartfiles", "--specs=nano.specs", "-Wl,--gc-sections", "-Xlinker",
                           "-Map=" + program.map_path, "-L" + dir.string(),
                           "-T" + (harness / "sections.ld").string(), "-o", program.elf_path});
  return argv;
}

struct Symbol {
  uint64_t value = 0;
  uint64_t size = 0;
  char type = '?';
};

// `arm-none-eabi-nm -S` of the ELF: name -> value and size.
std::map<std::string, Symbol> ReadSymbols(const fs::path& elf, const fs::path& dir, int timeout_s) {
  ProcessResult nm = RunProcess({"arm-none-eabi-nm", "-S", elf.string()}, dir, dir / "nm.txt", timeout_s);
  Check(nm.exit_status == 0 && !nm.timed_out,
        "arm-none-eabi-nm failed on " + elf.string() + ": " + FirstErrorLine(nm.output));
  std::map<std::string, Symbol> symbols;
  std::istringstream lines(nm.output);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string word; words >> word;) w.push_back(word);
    Symbol s;
    if (w.size() == 4) {  // value size type name
      s.value = std::stoull(w[0], nullptr, 16);
      s.size = std::stoull(w[1], nullptr, 16);
      s.type = w[2][0];
      symbols[w[3]] = s;
    } else if (w.size() == 3) {  // value type name
      s.value = std::stoull(w[0], nullptr, 16);
      s.type = w[1][0];
      symbols[w[2]] = s;
    }
  }
  return symbols;
}

// ---- Running ----

// The plugin's ranges= file: "LO HI OWNER" lines, hex addresses.
std::string RangesText(const std::vector<CortexMRange>& ranges) {
  std::ostringstream s;
  for (const CortexMRange& r : ranges) {
    Check(r.begin < r.end && r.owner >= 0 && r.owner < 4096, "bad profile range for owner " +
                                                               std::to_string(r.owner));
    s << std::hex << r.begin << " " << r.end << std::dec << " " << r.owner << "\n";
  }
  return s.str();
}

// The rest of an "owner K insns N loadstore L ..." line of the plugin, after "owner K".
CortexMOwnerCounts ParseOwnerCounts(std::istringstream& words) {
  CortexMOwnerCounts c;
  const std::map<std::string, uint64_t*> fields = {
      {"insns", &c.instructions},     {"loadstore", &c.load_store}, {"multiply", &c.multiply},
      {"divide", &c.divide},          {"branch", &c.branch},        {"taken", &c.taken_branch},
      {"cycles", &c.cycles_estimate},
  };
  std::string key;
  uint64_t value = 0;
  while (words >> key >> value) {
    auto it = fields.find(key);
    if (it != fields.end()) *it->second = value;
  }
  return c;
}

// QEMU option values separate fields with commas; a literal comma is written twice.
std::string QemuOptionValue(const std::string& text) { return ReplaceAll(text, ",", ",,"); }

// report.txt of main.c: "key value" lines; "error" takes the rest of its line.
std::map<std::string, std::string> ParseReport(const std::string& text) {
  std::map<std::string, std::string> report;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    size_t space = line.find(' ');
    if (space == std::string::npos) continue;
    report[line.substr(0, space)] = line.substr(space + 1);
  }
  return report;
}

int64_t ReportNumber(const std::map<std::string, std::string>& report, const std::string& key) {
  auto it = report.find(key);
  Check(it != report.end(), "the Cortex-M harness report lacks '" + key + "'");
  return std::stoll(it->second);
}

bool IsIdentifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// The generated sources of `prefix`: prefix.c and prefix_*.c.
std::vector<std::string> GeneratedSources(const fs::path& dir, const std::string& prefix) {
  Check(fs::is_regular_file(dir / (prefix + ".h")),
        "no generated header " + (dir / (prefix + ".h")).string());
  std::vector<std::string> sources;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (e.path().extension() != ".c") continue;
    if (name == prefix + ".c" || name.rfind(prefix + "_", 0) == 0) sources.push_back(e.path());
  }
  std::sort(sources.begin(), sources.end());
  Check(!sources.empty(), "no generated source " + (dir / (prefix + ".c")).string());
  return sources;
}

}  // namespace

const CortexMBoard& CortexMBoardFor(const std::string& cpu) {
  std::string known;
  for (const CortexMBoard& b : Boards()) {
    if (b.cpu == cpu) return b;
    known += (known.empty() ? "" : ", ") + b.cpu;
  }
  throw Error("unknown Cortex-M core '" + cpu + "' (known: " + known + ")");
}

std::string CortexMHarnessDir() {
  if (const char* env = std::getenv("TINYFUSE_TARGETS_DIR"); env != nullptr && *env != '\0') {
    return (fs::path(env) / "cortex-m").string();
  }
#ifdef TINYFUSE_TARGETS_DIR
  return (fs::path(TINYFUSE_TARGETS_DIR) / "cortex-m").string();
#else
  return "targets/cortex-m";
#endif
}

std::string CortexMPluginPath() {
  if (const char* env = std::getenv("TINYFUSE_QEMU_ICOUNT_PLUGIN"); env != nullptr && *env != '\0') {
    return env;
  }
#ifdef TINYFUSE_QEMU_ICOUNT_PLUGIN
  return TINYFUSE_QEMU_ICOUNT_PLUGIN;
#else
  return "";
#endif
}

void CheckCortexMOptions(const CortexMOptions& options) { ResolveMemory(CortexMBoardFor(options.cpu), options); }

int64_t ParseMemorySize(const std::string& text) {
  static const std::regex size(R"((\d+)\s*(|K|KiB|M|MiB))");
  std::smatch m;
  const std::string error = "bad memory size '" + text + "' (want bytes, or a number with K, KiB, M or MiB)";
  Check(std::regex_match(text, m, size) && m[1].length() <= 12, error);
  int64_t n = std::stoll(m[1].str());
  std::string unit = m[2].str();
  if (unit == "K" || unit == "KiB") n *= kKiB;
  if (unit == "M" || unit == "MiB") n *= kMiB;
  Check(n > 0, error);
  return n;
}

bool CortexMToolchainAvailable(std::string* why) {
  std::vector<std::string> missing;
  for (const char* tool : {"arm-none-eabi-gcc", "arm-none-eabi-nm", "qemu-system-arm", "timeout"}) {
    if (FindOnPath(tool).empty()) missing.push_back(std::string(tool) + " (not on PATH)");
  }
  if (!FindOnPath("arm-none-eabi-gcc").empty()) {
    // newlib-nano: gcc prints the bare name back when it cannot find the file.
    TempDir tmp;
    ProcessResult r = RunProcess({"arm-none-eabi-gcc", "-print-file-name=nano.specs"}, tmp.path(),
                                 tmp.path() / "log.txt", 60);
    std::string path = r.output.substr(0, r.output.find('\n'));
    if (r.exit_status != 0 || !fs::path(path).is_absolute()) {
      missing.push_back("newlib-nano for arm-none-eabi (nano.specs)");
    }
  }
  std::string harness = CortexMHarnessDir();
  if (!fs::is_regular_file(fs::path(harness) / "main.c")) {
    missing.push_back("the harness sources at " + harness);
  }
  std::string plugin = CortexMPluginPath();
  if (plugin.empty() || !fs::is_regular_file(plugin)) {
    missing.push_back("the qemu-icount plugin" + (plugin.empty() ? "" : " at " + plugin));
  }
  if (missing.empty()) return true;
  if (why != nullptr) {
    *why = "missing: ";
    for (size_t i = 0; i < missing.size(); ++i) *why += (i ? ", " : "") + missing[i];
  }
  return false;
}

CortexMProgram BuildCortexMProgram(const std::vector<std::string>& sources,
                                   const std::vector<std::string>& include_dirs, const std::string& build_dir,
                                   const CortexMOptions& options) {
  const CortexMBoard& board = CortexMBoardFor(options.cpu);
  const fs::path harness = CortexMHarnessDir();
  const fs::path dir = build_dir;
  Check(fs::is_regular_file(harness / "sections.ld"),
        "Cortex-M harness not found at " + harness.string() + " (set TINYFUSE_TARGETS_DIR)");
  MemoryLayout memory = ResolveMemory(board, options);
  WriteMemoryScript(harness, dir, memory, options.stack_size);

  CortexMProgram program;
  program.cpu = board.cpu;
  program.elf_path = (dir / "app.elf").string();
  program.map_path = (dir / "app.map").string();
  std::vector<std::string> argv = CompileAndLinkCommand(board, harness, dir, sources, include_dirs, program);
  ProcessResult cc = RunProcess(argv, dir, dir / "build.log", options.build_timeout_s);
  const std::string what = board.cpu + ": ";
  Check(!cc.timed_out,
        what + "arm-none-eabi-gcc did not finish within " + std::to_string(options.build_timeout_s) + " s");
  if (cc.exit_status != 0) {
    std::string overflow = OverflowMessage(cc.output, memory, options.stack_size);
    if (!overflow.empty()) throw Error(what + "the program does not fit: " + overflow);
    throw Error(what + "arm-none-eabi-gcc failed: " + FirstErrorLine(cc.output));
  }

  std::map<std::string, Symbol> symbols = ReadSymbols(program.elf_path, dir, 60);
  auto value = [&](const std::string& name) -> uint64_t {
    auto it = symbols.find(name);
    Check(it != symbols.end(), what + "the linked program lacks symbol " + name);
    return it->second.value;
  };
  // A program that never calls the markers has them garbage-collected: it is counted as a whole.
  if (symbols.count("tfh_marker_start") && symbols.count("tfh_marker_end")) {
    program.has_markers = true;
    program.marker_start = value("tfh_marker_start") & ~uint64_t{1};
    program.marker_end = value("tfh_marker_end") & ~uint64_t{1};
  }
  program.sizes.flash_bytes = static_cast<int64_t>(value("__tfh_flash_bytes"));
  program.sizes.text_bytes = static_cast<int64_t>(value("__tfh_text_bytes"));
  program.sizes.rodata_bytes = static_cast<int64_t>(value("__tfh_rodata_bytes"));
  program.sizes.data_bytes = static_cast<int64_t>(value("__tfh_data_bytes"));
  program.sizes.bss_bytes = static_cast<int64_t>(value("__tfh_bss_bytes"));
  if (auto it = symbols.find("tfh_arena"); it != symbols.end()) {
    program.arena_bytes = static_cast<int64_t>(it->second.size);
  }
  for (const auto& [name, s] : symbols) {
    if ((s.type == 't' || s.type == 'T') && s.size > 0) {
      program.functions.push_back({name, s.value & ~uint64_t{1}, s.size});
    }
  }
  std::sort(program.functions.begin(), program.functions.end(),
            [](const CortexMFunction& a, const CortexMFunction& b) { return a.address < b.address; });
  return program;
}

CortexMRun RunCortexMProgram(const CortexMProgram& program, const std::string& run_dir,
                             const CortexMOptions& options, const std::vector<CortexMRange>& ranges) {
  const CortexMBoard& board = CortexMBoardFor(program.cpu);
  const std::string plugin = CortexMPluginPath();
  Check(!plugin.empty() && fs::is_regular_file(plugin),
        "qemu-icount plugin not found" + (plugin.empty() ? "" : " at " + plugin) +
            " (build target tinyfuse_qemu_icount or set TINYFUSE_QEMU_ICOUNT_PLUGIN)");
  const fs::path dir = run_dir;
  const fs::path counts = dir / "icount.txt";
  std::error_code ignored;
  fs::remove(counts, ignored);
  std::string plugin_arg = QemuOptionValue(plugin) + ",out=" + QemuOptionValue(counts.string());
  if (program.has_markers) {
    plugin_arg += ",start=" + Hex(program.marker_start) + ",end=" + Hex(program.marker_end);
  }
  if (!ranges.empty()) {
    Check(program.has_markers, "profiling needs the markers tfh_marker_start/tfh_marker_end in the program");
    const fs::path file = dir / "ranges.txt";
    WriteText(file, RangesText(ranges));
    plugin_arg += ",ranges=" + QemuOptionValue(file.string());
  }
  // `timeout` bounds QEMU even if this process dies; RunProcess's own clock bounds `timeout`.
  std::vector<std::string> argv = {
      "timeout",
      "--kill-after=5",
      std::to_string(options.timeout_s),
      "qemu-system-arm",
      "-M",
      board.machine,
      "-cpu",
      board.cpu,
      "-nographic",
      "-monitor",
      "none",
      "-serial",
      "null",
      "-icount",
      "shift=0",
      "-semihosting-config",
      "enable=on,target=native",
      "-plugin",
      plugin_arg,
      "-kernel",  // taken verbatim, unlike -plugin
      program.elf_path,
  };
  ProcessResult qemu = RunProcess(argv, dir, dir / "qemu.log", options.timeout_s + 10);
  const std::string what = board.cpu + " (" + board.machine + "): ";
  if (qemu.timed_out || qemu.exit_status == 124 || qemu.exit_status == 128 + SIGKILL) {
    throw Error(what + "QEMU did not finish within " + std::to_string(options.timeout_s) +
                " s (raise the timeout, or the program hangs)");
  }
  CortexMRun run;
  run.exit_status = qemu.exit_status;
  run.log = qemu.output;
  std::istringstream lines(ReadText(counts));
  std::string label;
  uint64_t n = 0;
  bool have_total = false;
  std::vector<CortexMOwnerCounts> owners;
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    if (!(words >> label >> n)) continue;
    if (label == "owner") {
      if (n == 0) owners.clear();  // a new region's owners
      owners.push_back(ParseOwnerCounts(words));
    }
    if (label == "region") {
      run.regions.push_back(n);
      run.owners = owners;
    }
    if (label == "total") {
      run.total_instructions = n;
      have_total = true;
    }
  }
  if (!have_total) {
    throw Error(what + "QEMU failed (exit " + std::to_string(qemu.exit_status) +
                "): " + FirstErrorLine(qemu.output));
  }
  return run;
}

CortexMModel CortexMModel::Build(const std::string& generated_dir, const std::string& prefix,
                                 const CortexMOptions& options) {
  Check(IsIdentifier(prefix), "model prefix '" + prefix + "' is not a C identifier");
  CortexMBoardFor(options.cpu);
  const fs::path gen = fs::absolute(generated_dir);
  std::vector<std::string> sources = GeneratedSources(gen, prefix);
  sources.push_back((fs::path(CortexMHarnessDir()) / "main.c").string());

  CortexMModel model;
  model.options_ = options;
  model.prefix_ = prefix;
  if (options.work_dir.empty()) {
    model.dir_ = MakeTempDir();
    model.remove_dir_ = !options.keep_work_dir;
  } else {
    fs::create_directories(options.work_dir);
    model.dir_ = fs::absolute(options.work_dir).string();
  }
  const fs::path dir = model.dir_;
  WriteText(dir / "tfh_model.h", "/* Written by tinyfuse: the model the harness runs. */\n#include \"" +
                                     prefix + ".h\"\n#define TFH_PREFIX " + prefix + "\n");
  model.program_ = BuildCortexMProgram(sources, {gen.string()}, dir.string(), options);
  return model;
}

CortexMModel::CortexMModel(CortexMModel&& other) noexcept
    : options_(std::move(other.options_)),
      prefix_(std::move(other.prefix_)),
      program_(std::move(other.program_)),
      dir_(std::move(other.dir_)),
      remove_dir_(std::exchange(other.remove_dir_, false)) {}

CortexMModel::~CortexMModel() {
  std::error_code ignored;
  if (remove_dir_) fs::remove_all(dir_, ignored);
}

CortexMResult CortexMModel::Run(const std::vector<std::vector<uint8_t>>& inputs,
                                const std::vector<CortexMRange>& ranges) const {
  Check(!inputs.empty() && inputs.size() <= 8,
        "the Cortex-M harness takes 1 to 8 inputs, got " + std::to_string(inputs.size()));
  const CortexMBoard& board = CortexMBoardFor(options_.cpu);
  const fs::path dir = dir_;
  // Files of an earlier run must not be taken for this one's (main.c also checks input<n>.bin is absent).
  std::error_code ignored;
  for (int k = 0; k <= 8; ++k) {
    fs::remove(dir / ("input" + std::to_string(k) + ".bin"), ignored);
    fs::remove(dir / ("output" + std::to_string(k) + ".bin"), ignored);
  }
  fs::remove(dir / "report.txt", ignored);
  for (size_t k = 0; k < inputs.size(); ++k) {
    WriteBytes(dir / ("input" + std::to_string(k) + ".bin"), inputs[k]);
  }
  CortexMRun run = RunCortexMProgram(program_, dir.string(), options_, ranges);

  const std::string what = board.cpu + " (" + board.machine + "): ";
  if (run.exit_status >= 100 && run.exit_status < 200) {
    throw Error(what + "the program took exception " + std::to_string(run.exit_status - 100) +
                " (a fault) on the target");
  }
  std::map<std::string, std::string> report = ParseReport(ReadText(dir / "report.txt"));
  Check(!report.empty(), what + "the harness wrote no report (exit " + std::to_string(run.exit_status) +
                             "): " + FirstErrorLine(run.log));
  int64_t status = ReportNumber(report, "status");
  if (status == 2) {
    throw Error(what + prefix_ + "_invoke returned " + report["invoke_returned"]);
  }
  if (status != 0) {
    std::string detail = report.count("error") ? report["error"] : "status " + report["status"];
    if (report.count("expected_bytes")) {
      detail +=
          " (" + report["got_bytes"] + " bytes given, the model takes " + report["expected_bytes"] + ")";
    }
    throw Error(what + "harness: " + detail);
  }
  Check(run.regions.size() == 1,
        what + "expected one counted region, the plugin saw " + std::to_string(run.regions.size()));
  if (ReportNumber(report, "stack_overflow") != 0) {
    throw Error(what + "the stack overflowed its " + std::to_string(options_.stack_size) +
                "-byte reservation; raise the stack size");
  }

  CortexMResult result;
  int64_t num_outputs = ReportNumber(report, "num_outputs");
  for (int64_t k = 0; k < num_outputs; ++k) {
    result.outputs.push_back(ReadBytes(dir / ("output" + std::to_string(k) + ".bin")));
  }
  result.instructions = run.regions.front();
  result.owners = run.owners;
  if (!ranges.empty()) {
    uint64_t sum = 0;
    for (const CortexMOwnerCounts& o : run.owners) sum += o.instructions;
    Check(sum == result.instructions, what + "the plugin's per-owner counts do not sum to the region's");
  }
  result.flash_bytes = program_.sizes.flash_bytes;
  result.text_bytes = program_.sizes.text_bytes;
  result.rodata_bytes = program_.sizes.rodata_bytes;
  result.arena_bytes = ReportNumber(report, "arena_bytes");
  result.stack_bytes = ReportNumber(report, "stack_peak");
  result.invoke_stack_bytes = ReportNumber(report, "invoke_stack");
  result.ram_bytes = program_.sizes.data_bytes + program_.sizes.bss_bytes + result.stack_bytes;
  if (!remove_dir_) result.work_dir = dir_;
  return result;
}

CortexMResult RunOnCortexM(const std::string& generated_dir, const std::string& prefix,
                           const std::vector<std::vector<uint8_t>>& inputs, const CortexMOptions& options) {
  return CortexMModel::Build(generated_dir, prefix, options).Run(inputs);
}

}  // namespace tinyfuse
