/* Reset and exception entry for the tinyfuse Cortex-M harness (ARMv7-M / ARMv8-M Mainline, Thumb-2).
 *
 * Reset_Handler, in order: enables the FPU (CPACR CP10/CP11 full access; harmless when no code uses it),
 * copies .data from its load address, zeroes .bss, paints the whole stack reservation with
 * TFH_STACK_PAINT so that main can measure the stack high-water mark, calls main() and hands its
 * return value to tfh_exit() (semihosting exit; never returns).
 *
 * The vector table holds only the 16 system entries: the harness enables no interrupt. Every exception
 * other than reset goes to tfh_fault_handler (semihost.c), which reports the exception number and exits.
 * Symbols used from the linker script: __StackTop, __StackLimit, __data_start, __data_end, __data_load,
 * __bss_start, __bss_end. */

        .syntax unified
        .thumb

        .equ    TFH_STACK_PAINT, 0x5AA5F00D   /* keep in sync with tfh_stack.h */
        .equ    CPACR, 0xE000ED88

        .section .vectors, "a", %progbits
        .align  7                              /* VTOR alignment for up to 32 entries */
        .globl  tfh_vectors
tfh_vectors:
        .word   __StackTop                     /* 0: initial main stack pointer */
        .word   Reset_Handler                  /* 1: reset */
        .rept   14                             /* 2..15: NMI, faults, SVC, PendSV, SysTick */
        .word   tfh_fault_handler
        .endr
        .size   tfh_vectors, . - tfh_vectors

        .text
        .align  2
        .globl  Reset_Handler
        .type   Reset_Handler, %function
        .thumb_func
Reset_Handler:
        /* FPU on before any C code: -mfloat-abi=hard code may touch s-registers. */
        ldr     r0, =CPACR
        ldr     r1, [r0]
        orr     r1, r1, #(0xF << 20)
        str     r1, [r0]
        dsb
        isb

        /* .data: copy from flash. */
        ldr     r0, =__data_start
        ldr     r1, =__data_end
        ldr     r2, =__data_load
1:      cmp     r0, r1
        bhs     2f
        ldr     r3, [r2], #4
        str     r3, [r0], #4
        b       1b
2:
        /* .bss: zero. */
        ldr     r0, =__bss_start
        ldr     r1, =__bss_end
        movs    r3, #0
3:      cmp     r0, r1
        bhs     4f
        str     r3, [r0], #4
        b       3b
4:
        /* Stack: paint [__StackLimit, sp). Nothing is on the stack yet. */
        ldr     r0, =__StackLimit
        mov     r1, sp
        ldr     r3, =TFH_STACK_PAINT
5:      cmp     r0, r1
        bhs     6f
        str     r3, [r0], #4
        b       5b
6:
        bl      main
        bl      tfh_exit
7:      b       7b
        .size   Reset_Handler, . - Reset_Handler
        .pool
