// Runs generated C on an emulated Cortex-M and measures it there.
//
// RunOnCortexM builds the generated P.c/P.h with the harness in targets/cortex-m (startup, vector table,
// linker script, semihosting I/O, main) into an ELF with arm-none-eabi-gcc, runs it once under
// qemu-system-arm with -icount shift=0, semihosting and the qemu-icount plugin, and returns the outputs,
// the instructions executed by P_invoke (counted between two marker functions), and flash and RAM
// figures from the linker and the run. QEMU always runs under `timeout` and a wall clock of our own.
// Every failure (tool missing, compile error, model too big for --flash-size/--ram-size, fault or
// timeout on the target) throws tinyfuse::Error with a one-line message.
//
// Where things are found at run time:
//   harness sources  $TINYFUSE_TARGETS_DIR/cortex-m, else the source tree (compile-time definition);
//   counting plugin  $TINYFUSE_QEMU_ICOUNT_PLUGIN, else the build tree (tools/qemu-icount);
//   tools            arm-none-eabi-gcc, arm-none-eabi-nm, qemu-system-arm and timeout on PATH.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tinyfuse {

// A Cortex-M core, the QEMU board that emulates it, and the memories the harness uses on that board.
struct CortexMBoard {
  std::string cpu;                     // "cortex-m4"
  std::string machine;                 // qemu-system-arm -M, e.g. "mps2-an386"
  std::vector<std::string> cpu_flags;  // arm-none-eabi-gcc flags selecting the core and its FPU
  uint32_t flash_origin = 0;           // boot address: vector table, code, weights
  int64_t flash_max = 0;
  uint32_t ram_origin = 0;  // data, bss (arena), stack
  int64_t ram_max = 0;
  uint32_t large_ram_origin = 0;  // used instead when --ram-size exceeds ram_max; 0 if none
  int64_t large_ram_max = 0;
};

// The board for `cpu` ("cortex-m4", "cortex-m7", "cortex-m55"). Throws Error naming the known cores.
const CortexMBoard& CortexMBoardFor(const std::string& cpu);

struct CortexMOptions {
  std::string cpu = "cortex-m4";
  int64_t flash_size = 0;          // link limit in bytes; 0: all the board has (4 MiB on mps2-an386)
  int64_t ram_size = 0;            // link limit in bytes, stack reservation included; 0: board's RAM
  int64_t stack_size = 16 * 1024;  // stack reservation; the run fails if the stack fills it
  int timeout_s = 300;             // wall clock for one QEMU run
  int build_timeout_s = 600;       // wall clock for one compiler run (large weight arrays are slow)
  std::string work_dir;            // where to build and run; empty: a temporary directory, removed
  bool keep_work_dir = false;      // keep the temporary directory (ELF, map file, logs)
};

// What the linker placed (from symbols the linker script defines; the map file has the detail).
struct CortexMSizes {
  int64_t flash_bytes = 0;   // vector table + .text + .rodata + initial values of .data
  int64_t text_bytes = 0;    // vector table + .text (code)
  int64_t rodata_bytes = 0;  // .rodata (weights, tables, strings)
  int64_t data_bytes = 0;    // .data (RAM, initialised from flash)
  int64_t bss_bytes = 0;     // .bss (RAM, zeroed), the model arena included
};

// A function of the linked program (arm-none-eabi-nm -S: a t/T symbol with a size).
struct CortexMFunction {
  std::string name;
  uint64_t address = 0;  // Thumb bit clear
  uint64_t size = 0;     // code bytes
};

// An ELF built by BuildCortexMProgram (CortexMModel::Build builds one too).
struct CortexMProgram {
  std::string cpu;
  std::string elf_path;
  std::string map_path;
  bool has_markers = false;   // false when the program never calls the markers
  uint64_t marker_start = 0;  // addresses of tfh_marker_start / tfh_marker_end (Thumb bit clear)
  uint64_t marker_end = 0;
  CortexMSizes sizes;
  int64_t arena_bytes = 0;  // size of the harness's tfh_arena symbol, 0 if absent
  std::vector<CortexMFunction> functions;  // every sized function symbol, by address
};

// Profile mode of the counting plugin: code in [begin, end) belongs to `owner` (0 .. 4095). Code outside
// every range belongs to the owner of the last ranged code executed (a library routine is its caller's);
// before any ranged code runs in the region, to owner 0.
struct CortexMRange {
  uint64_t begin = 0;
  uint64_t end = 0;
  int owner = 0;
};

// What the counted region executed on behalf of one owner. `instructions` is exact and the owners' sum
// is the region's count. The classes (thumb_class.h in tools/qemu-icount) count instructions;
// cycles_estimate is an ESTIMATE from the Cortex-M4 TRM's instruction timing table, not a measurement.
struct CortexMOwnerCounts {
  uint64_t instructions = 0;
  uint64_t load_store = 0;
  uint64_t multiply = 0;
  uint64_t divide = 0;
  uint64_t branch = 0;
  uint64_t taken_branch = 0;
  uint64_t cycles_estimate = 0;
};

struct CortexMResult {
  std::vector<std::vector<uint8_t>> outputs;
  // Instructions executed from entering the start marker to entering the end marker: P_invoke plus
  // the call sequence around it (7 instructions with one input and one output, one more per argument).
  uint64_t instructions = 0;
  int64_t flash_bytes = 0;  // sizes.flash_bytes
  int64_t text_bytes = 0;
  int64_t rodata_bytes = 0;
  int64_t ram_bytes = 0;           // .data + .bss (arena included) + stack_bytes
  int64_t arena_bytes = 0;         // P_ARENA_SIZE as linked
  int64_t stack_bytes = 0;         // stack high-water mark of the whole run (painted stack)
  int64_t invoke_stack_bytes = 0;  // of which below the caller of P_invoke
  std::string work_dir;            // set when the work directory was kept
  std::vector<CortexMOwnerCounts> owners;  // with ranges: per owner, summing to `instructions`
};

// Builds and runs the model `prefix` generated into `generated_dir` (prefix.h, prefix.c and any
// prefix_*.c) on the emulated core, with inputs[k] as the bytes of input k.
CortexMResult RunOnCortexM(const std::string& generated_dir, const std::string& prefix,
                           const std::vector<std::vector<uint8_t>>& inputs, const CortexMOptions& options);

// The same in two steps, to run one build on many inputs (like codegen::HostProgram). Build compiles and
// links (throwing Error when the program does not fit); each Run is one fresh emulator run, one inference.
// The work directory (a temporary one unless options.work_dir is set) lives as long as the object.
class CortexMModel {
 public:
  static CortexMModel Build(const std::string& generated_dir, const std::string& prefix,
                            const CortexMOptions& options);
  CortexMModel(CortexMModel&& other) noexcept;
  CortexMModel& operator=(CortexMModel&&) = delete;
  CortexMModel(const CortexMModel&) = delete;
  ~CortexMModel();

  // With `ranges`, the plugin also attributes the count to their owners (CortexMResult::owners).
  CortexMResult Run(const std::vector<std::vector<uint8_t>>& inputs,
                    const std::vector<CortexMRange>& ranges = {}) const;
  const CortexMProgram& program() const { return program_; }
  const std::string& dir() const { return dir_; }

 private:
  CortexMModel() = default;
  CortexMOptions options_;
  std::string prefix_;
  CortexMProgram program_;
  std::string dir_;
  bool remove_dir_ = false;
};

// Parses a --flash-size / --ram-size value: bytes, or a number with K, KiB, M or MiB (powers of 1024),
// e.g. "1MiB", "320K", "65536". Throws Error naming the text otherwise.
int64_t ParseMemorySize(const std::string& text);

// Throws Error, as building would, when options.cpu is not a known core or its board lacks the flash or
// RAM that options.flash_size / ram_size ask for: the CLI checks this before it writes anything.
void CheckCortexMOptions(const CortexMOptions& options);

// True when the cross compiler (with newlib-nano), nm, QEMU, timeout, the harness sources and the
// counting plugin are all present; otherwise false and *why names what is missing.
bool CortexMToolchainAvailable(std::string* why);

// ---- Lower level, for tests and tools that bring their own target program ----

// Compiles and links `sources` (.c, .S) with the harness runtime (startup.S, markers.S, semihost.c; not
// main.c) into build_dir/app.elf, with the memory limits of `options`. `sources` must define main().
CortexMProgram BuildCortexMProgram(const std::vector<std::string>& sources,
                                   const std::vector<std::string>& include_dirs, const std::string& build_dir,
                                   const CortexMOptions& options);

struct CortexMRun {
  int exit_status = 0;            // main()'s return value, 100 + n for exception n, as the harness sets
  std::vector<uint64_t> regions;  // instruction count of each start..end marker region, in order
  std::vector<CortexMOwnerCounts> owners;  // with ranges: per owner, of the last region
  uint64_t total_instructions = 0;
  std::string log;  // QEMU's console output (semihosting text, errors)
};

// Runs `program` under QEMU with the counting plugin, in run_dir (semihosting file names are relative
// to it). Throws Error on a timeout or when QEMU itself fails to start.
CortexMRun RunCortexMProgram(const CortexMProgram& program, const std::string& run_dir,
                             const CortexMOptions& options, const std::vector<CortexMRange>& ranges = {});

// Path of the harness sources (targets/cortex-m) and of the counting plugin, as located at run time.
std::string CortexMHarnessDir();
std::string CortexMPluginPath();

}  // namespace tinyfuse
