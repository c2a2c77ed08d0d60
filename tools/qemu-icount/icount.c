/* tinyfuse-icount: a QEMU TCG plugin that counts, exactly, the guest instructions executed between
 * entering a start address and entering an end address (the harness's tfh_marker_start and
 * tfh_marker_end).
 *
 * Usage: -plugin libtinyfuse_icount.so,start=0xADDR,end=0xADDR[,out=FILE]
 *   start, end  guest addresses (bit 0, the Thumb bit of an ELF symbol, is ignored); both or neither.
 *   out         file to write results to; default: QEMU's plugin log (stderr unless -D is given).
 *   ranges      profile mode (needs start and end): a file of "LO HI OWNER" lines (hex addresses, half-open
 *               [LO, HI), OWNER a small number >= 0), e.g. the address ranges of each kernel function.
 * Output, one line each:
 *   "region N"  at every entry of end after an entry of start: N instructions were executed from the
 *               first instruction at start (included) to the first instruction at end (excluded);
 *   "total N"   at exit: all instructions executed by the guest.
 * In profile mode, before each "region" line, one line per owner 0..max:
 *   "owner K insns N loadstore L multiply M divide D branch B taken T cycles C"
 *               what the region executed on behalf of owner K. An instruction inside a range belongs to
 *               that range's owner; one outside every range (a library routine, a helper) to the owner of
 *               the last ranged instruction executed before it (so memcpy called by a kernel is that
 *               kernel's); before the first ranged one, to owner 0. The owners' insns sum to the region.
 *               Classes and the estimated cycles C follow thumb_class.h; a branch counts as taken when the
 *               next instruction executed is not the one after it.
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
 * the markers. One vCPU only (the counter is not atomic): all Cortex-M boards used are single core.
 *
 * Profile mode cuts each block into segments of one owner, splitting at markers too, and
 * calls back once per executed segment; the same exactness argument holds for segments. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_plugin_api.h"
#include "thumb_class.h"

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

/* ---- Profile mode ---- */

enum { kMaxOwners = 4096 };

typedef struct {
  uint64_t lo, hi; /* [lo, hi) */
  int owner;
} Range;

/* What one owner executed inside the region. */
typedef struct {
  uint64_t insns;
  uint64_t by_class[kThumbNumClasses];
  uint64_t taken;
  uint64_t cycles;
} Tally;

/* A run of instructions of one translation block that share an owner (-1: none) and hold no marker
 * except possibly at their first instruction. Allocated at translation, never freed: a retranslated
 * block gets new segments, and the few kilobytes leaked per translation are bounded by the code size. */
typedef struct {
  int owner;
  int marker; /* 0, or kMarkerStart / kMarkerEnd at the first instruction */
  uint64_t vaddr;
  uint64_t fallthrough;  /* address after the last instruction */
  bool ends_in_branch;
  uint32_t insns;
  uint32_t by_class[kThumbNumClasses];
  uint32_t cycles;       /* untaken cost */
} Segment;

enum { kMarkerStart = 1, kMarkerEnd = 2 };

typedef struct {
  bool on;
  Range *ranges; /* sorted by lo, disjoint */
  size_t num_ranges;
  int num_owners;
  Tally tally[kMaxOwners];
  int current;             /* owner of what executes now */
  const Segment *previous; /* the segment executed last, to tell taken branches */
  int previous_owner;
  bool previous_in_region;
} Profile;

static Profile g_profile;

static void EmitLine(const char *line) {
  if (g_counter.out != NULL) {
    fputs(line, g_counter.out);
    fflush(g_counter.out);
  } else {
    qemu_plugin_outs(line);
  }
}

static void Emit(const char *label, uint64_t value) {
  char line[64];
  snprintf(line, sizeof(line), "%s %" PRIu64 "\n", label, value);
  EmitLine(line);
}

static void EmitOwners(void) {
  for (int k = 0; k < g_profile.num_owners; ++k) {
    const Tally *t = &g_profile.tally[k];
    char line[320];
    snprintf(line, sizeof(line),
             "owner %d insns %" PRIu64 " loadstore %" PRIu64 " multiply %" PRIu64 " divide %" PRIu64
             " branch %" PRIu64 " taken %" PRIu64 " cycles %" PRIu64 "\n",
             k, t->insns, t->by_class[kThumbLoadStore], t->by_class[kThumbMultiply],
             t->by_class[kThumbDivide], t->by_class[kThumbBranch], t->taken, t->cycles);
    EmitLine(line);
  }
}

static void OnStart(unsigned int vcpu_index, void *userdata) {
  (void)vcpu_index;
  (void)userdata;
  g_counter.region_start = g_counter.counter;
  g_counter.in_region = true;
  if (g_profile.on) {
    memset(g_profile.tally, 0, sizeof(g_profile.tally));
    g_profile.current = 0;
  }
}

static void OnEnd(unsigned int vcpu_index, void *userdata) {
  (void)vcpu_index;
  (void)userdata;
  if (!g_counter.in_region) return;
  g_counter.in_region = false;
  if (g_profile.on) EmitOwners();
  Emit("region", g_counter.counter - g_counter.region_start);
}

static bool IsMarker(uint64_t vaddr) {
  return g_counter.have_markers && (vaddr == g_counter.start || vaddr == g_counter.end);
}

/* The owner of the range holding vaddr, or -1. */
static int OwnerOf(uint64_t vaddr) {
  size_t lo = 0, hi = g_profile.num_ranges;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const Range *r = &g_profile.ranges[mid];
    if (vaddr < r->lo) {
      hi = mid;
    } else if (vaddr >= r->hi) {
      lo = mid + 1;
    } else {
      return r->owner;
    }
  }
  return -1;
}

/* Runs at the first instruction of each executed segment, before it. */
static void OnSegment(unsigned int vcpu_index, void *userdata) {
  const Segment *seg = (const Segment *)userdata;
  const Segment *prev = g_profile.previous;
  if (prev != NULL && prev->ends_in_branch && seg->vaddr != prev->fallthrough && g_profile.previous_in_region) {
    Tally *t = &g_profile.tally[g_profile.previous_owner];
    t->taken += 1;
    t->cycles += THUMB_TAKEN_BRANCH_REFILL;
  }
  if (seg->marker == kMarkerStart) OnStart(vcpu_index, NULL);
  if (seg->marker == kMarkerEnd) OnEnd(vcpu_index, NULL);
  if (seg->owner >= 0) g_profile.current = seg->owner;
  g_counter.counter += seg->insns;
  g_profile.previous = seg;
  g_profile.previous_owner = g_profile.current;
  g_profile.previous_in_region = g_counter.in_region;
  if (!g_counter.in_region) return;
  Tally *t = &g_profile.tally[g_profile.current];
  t->insns += seg->insns;
  for (int c = 0; c < kThumbNumClasses; ++c) t->by_class[c] += seg->by_class[c];
  t->cycles += seg->cycles;
}

static int MarkerAt(uint64_t vaddr) {
  if (vaddr == g_counter.start) return kMarkerStart;
  if (vaddr == g_counter.end) return kMarkerEnd;
  return 0;
}

/* Adds one instruction to seg: its class and estimated cost from its bytes. */
static void AddToSegment(Segment *seg, const struct qemu_plugin_insn *insn) {
  const uint8_t *bytes = (const uint8_t *)qemu_plugin_insn_data(insn);
  size_t size = qemu_plugin_insn_size(insn);
  uint16_t hw1 = (uint16_t)(bytes[0] | (bytes[1] << 8));
  uint16_t hw2 = size >= 4 ? (uint16_t)(bytes[2] | (bytes[3] << 8)) : 0;
  ThumbInsnClass c = ClassifyThumb(hw1, hw2, (unsigned)size);
  seg->insns += 1;
  seg->by_class[c.cls] += 1;
  seg->cycles += c.cycles;
  seg->ends_in_branch = c.cls == kThumbBranch;
  seg->fallthrough = qemu_plugin_insn_vaddr(insn) + size;
}

static void ProfileTranslate(struct qemu_plugin_tb *tb) {
  size_t n = qemu_plugin_tb_n_insns(tb);
  Segment *seg = NULL;
  for (size_t i = 0; i < n; ++i) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
    uint64_t vaddr = qemu_plugin_insn_vaddr(insn);
    int owner = OwnerOf(vaddr);
    int marker = MarkerAt(vaddr);
    if (seg == NULL || owner != seg->owner || marker != 0) {
      seg = (Segment *)calloc(1, sizeof(Segment));
      if (seg == NULL) abort();
      seg->owner = owner;
      seg->marker = marker;
      seg->vaddr = vaddr;
      qemu_plugin_register_vcpu_insn_exec_cb(insn, OnSegment, kTfiCbNoRegs, seg);
    }
    AddToSegment(seg, insn);
  }
}

static void OnTranslate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  if (g_profile.on) {
    ProfileTranslate(tb);
    return;
  }
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

static int CompareRanges(const void *a, const void *b) {
  const Range *x = (const Range *)a;
  const Range *y = (const Range *)b;
  return x->lo < y->lo ? -1 : x->lo > y->lo ? 1 : 0;
}

/* Reads "LO HI OWNER" lines (addresses in hex, Thumb bit dropped) into g_profile; false on any error. */
static bool LoadRanges(const char *path) {
  FILE *f = fopen(path, "r");
  if (f == NULL) return false;
  size_t cap = 64;
  g_profile.ranges = (Range *)malloc(cap * sizeof(Range));
  unsigned long long lo = 0, hi = 0;
  int owner = 0;
  bool ok = g_profile.ranges != NULL;
  while (ok && fscanf(f, "%llx %llx %d", &lo, &hi, &owner) == 3) {
    ok = owner >= 0 && owner < kMaxOwners && (lo & ~1ull) < (hi & ~1ull);
    if (ok && g_profile.num_ranges == cap) {
      cap *= 2;
      Range *grown = (Range *)realloc(g_profile.ranges, cap * sizeof(Range));
      ok = grown != NULL;
      if (ok) g_profile.ranges = grown;
    }
    if (!ok) break;
    Range r = {lo & ~1ull, hi & ~1ull, owner};
    g_profile.ranges[g_profile.num_ranges++] = r;
    if (owner + 1 > g_profile.num_owners) g_profile.num_owners = owner + 1;
  }
  ok = ok && feof(f);
  fclose(f);
  if (!ok) return false;
  qsort(g_profile.ranges, g_profile.num_ranges, sizeof(Range), CompareRanges);
  for (size_t i = 1; i < g_profile.num_ranges; ++i) {
    if (g_profile.ranges[i].lo < g_profile.ranges[i - 1].hi) return false; /* overlap */
  }
  if (g_profile.num_owners == 0) g_profile.num_owners = 1;
  g_profile.on = true;
  return true;
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
    } else if (strncmp(arg, "ranges=", 7) == 0) {
      if (!LoadRanges(arg + 7)) {
        Complain("cannot read ranges (want LO HI OWNER lines, hex, disjoint)", arg + 7);
        return -1;
      }
    } else {
      Complain("unknown argument (want start=, end=, out=, ranges=)", arg);
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
  if (g_profile.on && !have_start) {
    Complain("ranges= needs start= and end=", "markers missing");
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
