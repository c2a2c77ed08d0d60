/* Arm semihosting for the tinyfuse Cortex-M harness: host files, console text and the exit status.
 *
 * Every call traps with BKPT 0xAB; the emulator (QEMU with -semihosting-config enable=on,target=native)
 * performs it on the host, with file names relative to the emulator's working directory. Only the
 * operations the harness needs are wrapped. C99. */
#ifndef TINYFUSE_TARGETS_CORTEX_M_SEMIHOST_H_
#define TINYFUSE_TARGETS_CORTEX_M_SEMIHOST_H_

#include <stdint.h>

/* Opens a host file for binary reading (write == 0) or binary writing, truncating (write != 0).
 * Returns a handle >= 0, or -1. */
int tfh_open(const char *name, int write);
void tfh_close(int handle);
/* Length of an open file in bytes, or -1. */
int32_t tfh_file_length(int handle);
/* Reads/writes exactly len bytes; returns 0 on success, -1 when fewer were transferred. */
int tfh_read(int handle, void *buf, uint32_t len);
int tfh_write(int handle, const void *buf, uint32_t len);
/* Writes a NUL-terminated string to the emulator's console. */
void tfh_puts(const char *s);
/* Ends the emulation with the given process exit status. Never returns. */
void tfh_exit(int status) __attribute__((noreturn));
/* Handler of every exception but reset: reports the exception number, exits with 100 + it. */
void tfh_fault_handler(void) __attribute__((noreturn));

#endif /* TINYFUSE_TARGETS_CORTEX_M_SEMIHOST_H_ */
