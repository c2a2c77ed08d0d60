/* Marker functions and stack painting for the tinyfuse Cortex-M harness.
 *
 * tfh_marker_start / tfh_marker_end do nothing; their addresses are what the qemu-icount plugin
 * watches. The plugin counts the instructions executed from the first instruction of
 * tfh_marker_start (included) to the first instruction of tfh_marker_end (excluded). They are written
 * in assembly so that the compiler can neither inline them nor fold the two into one address
 * (gcc's -fipa-icf merges identical empty C functions), and each sits on its own 8-byte boundary.
 *
 * tfh_paint_stack(limit) fills [limit, sp) with TFH_STACK_PAINT using registers only, and returns
 * the sp it was called with, so that the caller can measure how deep the next call goes. */

        .syntax unified
        .thumb
        .text

        .equ    TFH_STACK_PAINT, 0x5AA5F00D   /* keep in sync with tfh_stack.h */

        .align  3
        .globl  tfh_marker_start
        .type   tfh_marker_start, %function
        .thumb_func
tfh_marker_start:
        bx      lr
        .size   tfh_marker_start, . - tfh_marker_start

        .align  3
        .globl  tfh_marker_end
        .type   tfh_marker_end, %function
        .thumb_func
tfh_marker_end:
        bx      lr
        .size   tfh_marker_end, . - tfh_marker_end

        .align  2
        .globl  tfh_paint_stack
        .type   tfh_paint_stack, %function
        .thumb_func
tfh_paint_stack:
        mov     r1, sp
        ldr     r2, =TFH_STACK_PAINT
1:      cmp     r0, r1
        bhs     2f
        str     r2, [r0], #4
        b       1b
2:      mov     r0, sp
        bx      lr
        .size   tfh_paint_stack, . - tfh_paint_stack
        .pool
