/* A program with a known instruction count between the markers, for the qemu-icount plugin test.
 * Linked with the harness runtime (startup.S, markers.S, semihost.c) in place of main.c.
 *
 * The plugin counts from the first instruction of tfh_marker_start (included) to the first
 * instruction of tfh_marker_end (excluded). Region 1:
 *   tfh_marker_start: bx lr                       1
 *   mov r4, #1000                                 1
 *   1000 x (bl leaf; adds; bx lr; subs; bne)   5000
 *   bl tfh_marker_end                             1     = 5003
 * Region 2:
 *   tfh_marker_start: bx lr                       1
 *   movs r0, #7                                   1
 *   7 x (subs; bne)                              14
 *   bl tfh_marker_end                             1     = 17
 * main returns 0, so the emulator exits with status 0. */
        .syntax unified
        .thumb
        .text

        .align  2
        .globl  main
        .type   main, %function
        .thumb_func
main:
        push    {r4, lr}
        bl      tfh_marker_start
        mov     r4, #1000
1:      bl      leaf
        subs    r4, r4, #1
        bne     1b
        bl      tfh_marker_end

        bl      tfh_marker_start
        movs    r0, #7
2:      subs    r0, r0, #1
        bne     2b
        bl      tfh_marker_end

        movs    r0, #0
        pop     {r4, pc}
        .size   main, . - main

        .align  2
        .type   leaf, %function
        .thumb_func
leaf:
        adds    r0, r0, #1
        bx      lr
        .size   leaf, . - leaf
