/* tinyfuse-icount: a QEMU TCG plugin that counts, exactly, the guest instructions executed between
 * entering a start address and entering an end address (the harness's tfh_marker_start and
 * tfh_marker_end).
 *
 * Usage: -plugin libtinyfuse_icount.so,start=0xADDR,end=0xADDR[,out=FILE]
 *   start, end  guest addresses (bit 0, the Thumb bit of an ELF symbol, is ignored); both or neither.
 *   out         file to write results to; default: QEMU's plugin log (stderr unless -D is given).
 * Output, one line each:
 *   "region N"  at every entry of end after an entry of start: N instructions were executed from the
 *               first instruction at start (included) to the first instruction at end (excluded);
 *   "total N"   at exit: all instructions executed by the guest.
 *
 * How: a 64-bit counter is advanced by inline TCG ops (no helper call). A translation block without a
 * marker adds its instruction count once, at its start; a block that contains a marker anywhere
 * adds 1 before each instruction and calls back at the marker instruction, where the counter is
 * sampled. Both samples are taken the same way, so whether QEMU orders the callback before or after
 * that instruction's own increment cancels out of the difference.
 *
 * Exact when each executed block runs to its end, which holds for straight-line code, branches and
 * calls in RAM. Not exact across exceptions or interrupts taken inside a block, or when -icount
 * replays a block to make an MMIO access its last instruction; the harness runs none of these between
 * the markers. One vCPU only (the counter is not atomic): all Cortex-M boards used are single core. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_plugin_api.h"

TFI_EXPORT int qemu_plugin_version = TFI_PLUGIN_API_VERSION;

typedef struct {
  bool have_markers;
  uint64_t start;
  uint64_t end;
  FILE *out; /* NULL: qemu_plugin_outs */
  uint64_t counter;
  uint64_t region_start;
  bool in_region;
} Counter;

static Counter g_counter;

static void Emit(const char *label, uint64_t value) {
  char line[64];
  snprintf(line, sizeof(line), "%s %" PRIu64 "\n", label, value);
  if (g_counter.out != NULL) {
    fputs(line, g_counter.out);
    fflush(g_counter.out);
  } else {
    qemu_plugin_outs(line);
  }
}

static void OnStart(unsigned int vcpu_index, void *userdata) {
  (void)vcpu_index;
  (void)userdata;
  g_counter.region_start = g_counter.counter;
  g_counter.in_region = true;
}

static void OnEnd(unsigned int vcpu_index, void *userdata) {
  (void)vcpu_index;
  (void)userdata;
  if (!g_counter.in_region) return;
  g_counter.in_region = false;
  Emit("region", g_counter.counter - g_counter.region_start);
}

static bool IsMarker(uint64_t vaddr) {
  return g_counter.have_markers && (vaddr == g_counter.start || vaddr == g_counter.end);
}

static void OnTranslate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  size_t n = qemu_plugin_tb_n_insns(tb);
  bool has_marker = false;
  for (size_t i = 0; i < n && !has_marker; ++i) {
    has_marker = IsMarker(qemu_plugin_insn_vaddr(qemu_plugin_tb_get_insn(tb, i)));
  }
  if (!has_marker) {
    qemu_plugin_register_vcpu_tb_exec_inline(tb, kTfiInlineAddU64, &g_counter.counter, n);
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
    uint64_t vaddr = qemu_plugin_insn_vaddr(insn);
    qemu_plugin_register_vcpu_insn_exec_inline(insn, kTfiInlineAddU64, &g_counter.counter, 1);
    if (vaddr == g_counter.start) {
      qemu_plugin_register_vcpu_insn_exec_cb(insn, OnStart, kTfiCbNoRegs, NULL);
    } else if (vaddr == g_counter.end) {
      qemu_plugin_register_vcpu_insn_exec_cb(insn, OnEnd, kTfiCbNoRegs, NULL);
    }
  }
}

static void OnExit(qemu_plugin_id_t id, void *userdata) {
  (void)id;
  (void)userdata;
  Emit("total", g_counter.counter);
  if (g_counter.out != NULL) fclose(g_counter.out);
  g_counter.out = NULL;
}

static void Complain(const char *what, const char *arg) {
  char line[256];
  snprintf(line, sizeof(line), "tinyfuse-icount: %s: %s\n", what, arg);
  fputs(line, stderr);
}

/* Parses "0x..." or decimal into *value, dropping the Thumb bit. */
static bool ParseAddress(const char *text, uint64_t *value) {
  char *end = NULL;
  unsigned long long v = strtoull(text, &end, 0);
  if (end == text || *end != '\0') return false;
  *value = (uint64_t)v & ~(uint64_t)1;
  return true;
}

TFI_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const struct tfi_qemu_info *info, int argc,
                                   char **argv) {
  (void)info;
  bool have_start = false;
  bool have_end = false;
  const char *out_path = NULL;
  for (int i = 0; i < argc; ++i) {
    const char *arg = argv[i];
    if (strncmp(arg, "start=", 6) == 0) {
      have_start = ParseAddress(arg + 6, &g_counter.start);
      if (!have_start) {
        Complain("bad address", arg);
        return -1;
      }
    } else if (strncmp(arg, "end=", 4) == 0) {
      have_end = ParseAddress(arg + 4, &g_counter.end);
      if (!have_end) {
        Complain("bad address", arg);
        return -1;
      }
    } else if (strncmp(arg, "out=", 4) == 0) {
      out_path = arg + 4;
    } else {
      Complain("unknown argument (want start=, end=, out=)", arg);
      return -1;
    }
  }
  if (have_start != have_end) {
    Complain("give both start= and end=, or neither", have_start ? "end missing" : "start missing");
    return -1;
  }
  if (have_start && g_counter.start == g_counter.end) {
    Complain("start and end must differ", "same address twice");
    return -1;
  }
  g_counter.have_markers = have_start;
  if (out_path != NULL) {
    g_counter.out = fopen(out_path, "w");
    if (g_counter.out == NULL) {
      Complain("cannot open output file", out_path);
      return -1;
    }
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, OnTranslate);
  qemu_plugin_register_atexit_cb(id, OnExit, NULL);
  return 0;
}
