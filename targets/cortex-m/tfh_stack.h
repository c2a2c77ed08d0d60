/* Stack reservation and the paint pattern shared by startup.S, markers.S and main.c. */
#ifndef TINYFUSE_TARGETS_CORTEX_M_TFH_STACK_H_
#define TINYFUSE_TARGETS_CORTEX_M_TFH_STACK_H_

#include <stdint.h>

/* Word written over unused stack; keep in sync with startup.S and markers.S. */
#define TFH_STACK_PAINT 0x5AA5F00Du

/* Bounds of the stack reservation, from the linker script: [__StackLimit, __StackTop). */
extern uint32_t __StackLimit[];
extern uint32_t __StackTop[];

/* Paints [limit, sp) and returns the caller's sp (markers.S). */
uintptr_t tfh_paint_stack(uint32_t *limit);
void tfh_marker_start(void);
void tfh_marker_end(void);

#endif /* TINYFUSE_TARGETS_CORTEX_M_TFH_STACK_H_ */
