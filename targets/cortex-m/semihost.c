/* Arm semihosting calls (see semihost.h) and the harness's exception handler. */
#include "semihost.h"

#include <stddef.h>
#include <string.h>

/* Operation numbers of the Arm semihosting specification. */
enum {
  kSysOpen = 0x01,
  kSysClose = 0x02,
  kSysWrite0 = 0x04,
  kSysWrite = 0x05,
  kSysRead = 0x06,
  kSysFlen = 0x0C,
  kSysExit = 0x18,
  kSysExitExtended = 0x20
};
/* SYS_OPEN modes (ISO C fopen modes by index): 1 = "rb", 5 = "wb". */
enum { kModeReadBinary = 1, kModeWriteBinary = 5 };
/* Reason code of a normal application exit. */
#define TFH_ADP_STOPPED_APPLICATION_EXIT 0x20026u

static int32_t SemihostCall(int32_t op, const void *arg) {
  register int32_t r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

int tfh_open(const char *name, int write) {
  uint32_t block[3];
  block[0] = (uint32_t)(uintptr_t)name;
  block[1] = write ? kModeWriteBinary : kModeReadBinary;
  block[2] = (uint32_t)strlen(name);
  return (int)SemihostCall(kSysOpen, block);
}

void tfh_close(int handle) {
  uint32_t block[1];
  block[0] = (uint32_t)handle;
  (void)SemihostCall(kSysClose, block);
}

int32_t tfh_file_length(int handle) {
  uint32_t block[1];
  block[0] = (uint32_t)handle;
  return SemihostCall(kSysFlen, block);
}

/* SYS_READ and SYS_WRITE return the number of bytes NOT transferred. */
int tfh_read(int handle, void *buf, uint32_t len) {
  uint32_t block[3];
  block[0] = (uint32_t)handle;
  block[1] = (uint32_t)(uintptr_t)buf;
  block[2] = len;
  return SemihostCall(kSysRead, block) == 0 ? 0 : -1;
}

int tfh_write(int handle, const void *buf, uint32_t len) {
  uint32_t block[3];
  block[0] = (uint32_t)handle;
  block[1] = (uint32_t)(uintptr_t)buf;
  block[2] = len;
  return SemihostCall(kSysWrite, block) == 0 ? 0 : -1;
}

void tfh_puts(const char *s) { (void)SemihostCall(kSysWrite0, s); }

void tfh_exit(int status) {
  /* SYS_EXIT_EXTENDED carries the status; plain SYS_EXIT (0 or 1 only) is the fallback. */
  uint32_t block[2];
  block[0] = TFH_ADP_STOPPED_APPLICATION_EXIT;
  block[1] = (uint32_t)status;
  (void)SemihostCall(kSysExitExtended, block);
  (void)SemihostCall(kSysExit, (const void *)(uintptr_t)TFH_ADP_STOPPED_APPLICATION_EXIT);
  for (;;) {
  }
}

/* Every exception but reset lands here (see startup.S). Exit status 100 + exception number. */
void tfh_fault_handler(void) {
  uint32_t ipsr;
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  ipsr &= 0x1FFu;
  char msg[] = "tinyfuse harness: exception 00 (fault) on the target\n";
  msg[28] = (char)('0' + (ipsr / 10) % 10);
  msg[29] = (char)('0' + ipsr % 10);
  tfh_puts(msg);
  tfh_exit(100 + (int)(ipsr % 100));
}
