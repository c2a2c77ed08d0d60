/* The tinyfuse Cortex-M harness: runs one generated model once on the target.
 *
 * 1. Reads host files input0.bin .. input{n-1}.bin (semihosting) straight into the arena at
 *    P_INPUTk_OFFSET, checking each length against P_INPUTk_SIZE and that no input{n}.bin exists.
 * 2. Repaints the free stack, then calls tfh_marker_start(), P_invoke(...), tfh_marker_end(): the
 *    qemu-icount plugin counts the instructions between the two markers. Inputs and outputs are passed
 *    as arena + offset, so P_invoke copies nothing (the contract's zero-copy path).
 * 3. Writes output0.bin .. output{m-1}.bin from the arena, then report.txt: "key value" lines
 *    (status, error, num_outputs, arena_bytes, stack_reserved, stack_peak, invoke_stack,
 *    stack_overflow) that the driver parses.
 * Exit status: 0 success, 1 harness I/O or input mismatch, 2 P_invoke returned non-zero,
 * 100 + n an exception (semihost.c). */
#include <stdint.h>
#include <string.h>

#include "model_glue.h"
#include "semihost.h"
#include "tfh_stack.h"

/* One static arena; a zero-size model still gets a valid pointer. */
#define TFH_ARENA_BYTES (TFH_ARENA_SIZE > 0 ? TFH_ARENA_SIZE : 1)
static uint8_t tfh_arena[TFH_ARENA_BYTES]
    __attribute__((aligned(TFH_ARENA_ALIGN), section(".bss.tfh_arena")));

enum { kStatusOk = 0, kStatusHarness = 1, kStatusInvoke = 2 };

/* report.txt, built in memory: a few short lines. */
static char tfh_report[256];
static uint32_t tfh_report_len;

static void ReportText(const char *s) {
  while (*s != '\0' && tfh_report_len + 1 < sizeof(tfh_report)) tfh_report[tfh_report_len++] = *s++;
}

static void ReportNumber(uint32_t v) {
  char digits[11];
  int n = 0;
  do {
    digits[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  char text[12];
  for (int i = 0; i < n; ++i) text[i] = digits[n - 1 - i];
  text[n] = '\0';
  ReportText(text);
}

static void ReportKey(const char *key, uint32_t value) {
  ReportText(key);
  ReportText(" ");
  ReportNumber(value);
  ReportText("\n");
}

static void WriteReport(void) {
  int h = tfh_open("report.txt", 1);
  if (h < 0) {
    tfh_puts("tinyfuse harness: cannot create report.txt\n");
    return;
  }
  (void)tfh_write(h, tfh_report, tfh_report_len);
  tfh_close(h);
}

/* "input" + k + ".bin" into name (k < 10). */
static void FileName(char *name, const char *stem, uint32_t k) {
  size_t n = strlen(stem);
  memcpy(name, stem, n);
  name[n] = (char)('0' + k);
  memcpy(name + n + 1, ".bin", 5);
}

static int Fail(const char *what, uint32_t k) {
  ReportKey("status", kStatusHarness);
  ReportText("error ");
  ReportText(what);
  ReportText(" ");
  ReportNumber(k);
  ReportText("\n");
  WriteReport();
  return kStatusHarness;
}

/* Bytes of stack ever used below __StackTop: the lowest word that lost its paint. */
static uint32_t StackDepth(void) {
  const uint32_t *p = __StackLimit;
  while (p < __StackTop && *p == TFH_STACK_PAINT) ++p;
  return (uint32_t)((uintptr_t)__StackTop - (uintptr_t)p);
}

int main(void) {
  uint8_t *in[TFH_NUM_INPUTS];
  uint8_t *out[TFH_NUM_OUTPUTS];
  char name[16];

  for (uint32_t k = 0; k < TFH_NUM_INPUTS; ++k) {
    in[k] = tfh_arena + tfh_inputs[k].offset;
    FileName(name, "input", k);
    int h = tfh_open(name, 0);
    if (h < 0) return Fail("cannot open input", k);
    int32_t len = tfh_file_length(h);
    if (len < 0 || (uint32_t)len != tfh_inputs[k].size) {
      tfh_close(h);
      ReportKey("expected_bytes", tfh_inputs[k].size);
      ReportKey("got_bytes", (uint32_t)len);
      return Fail("wrong size of input", k);
    }
    int rc = tfh_read(h, in[k], tfh_inputs[k].size);
    tfh_close(h);
    if (rc != 0) return Fail("cannot read input", k);
  }
  FileName(name, "input", TFH_NUM_INPUTS);
  int extra = tfh_open(name, 0);
  if (extra >= 0) {
    tfh_close(extra);
    return Fail("too many inputs: the model takes", TFH_NUM_INPUTS);
  }
  for (uint32_t k = 0; k < TFH_NUM_OUTPUTS; ++k) out[k] = tfh_arena + tfh_outputs[k].offset;

  /* Peak so far, then repaint below this frame so the invoke's own depth can be told apart. */
  uint32_t peak = StackDepth();
  uintptr_t sp_at_call = tfh_paint_stack(__StackLimit);

  tfh_marker_start();
  int status = TFH_INVOKE(TFH_IN_ARGS(in), TFH_OUT_ARGS(out), tfh_arena);
  tfh_marker_end();

  uint32_t depth = StackDepth();
  uint32_t lowest = (uint32_t)((uintptr_t)__StackTop - depth);
  uint32_t invoke_stack = lowest < sp_at_call ? (uint32_t)(sp_at_call - lowest) : 0;
  if (depth > peak) peak = depth;

  if (status != 0) {
    ReportKey("status", kStatusInvoke);
    ReportKey("invoke_returned", (uint32_t)status);
    WriteReport();
    return kStatusInvoke;
  }
  for (uint32_t k = 0; k < TFH_NUM_OUTPUTS; ++k) {
    FileName(name, "output", k);
    int h = tfh_open(name, 1);
    if (h < 0) return Fail("cannot create output", k);
    int rc = tfh_write(h, out[k], tfh_outputs[k].size);
    tfh_close(h);
    if (rc != 0) return Fail("cannot write output", k);
  }

  uint32_t final_depth = StackDepth();
  if (final_depth > peak) peak = final_depth;
  uint32_t reserved = (uint32_t)((uintptr_t)__StackTop - (uintptr_t)__StackLimit);
  ReportKey("status", kStatusOk);
  ReportKey("num_outputs", TFH_NUM_OUTPUTS);
  ReportKey("arena_bytes", TFH_ARENA_SIZE);
  ReportKey("stack_reserved", reserved);
  ReportKey("stack_peak", peak);
  ReportKey("invoke_stack", invoke_stack);
  ReportKey("stack_overflow", peak >= reserved ? 1u : 0u);
  WriteReport();
  return kStatusOk;
}
