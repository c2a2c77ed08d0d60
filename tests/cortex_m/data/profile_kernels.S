/* A program with known per-function counts for the plugin's profile mode (ranges=), linked with the
 * harness runtime in place of main.c. The test gives main owner 0, kernel_a owner 1, kernel_b owner 2;
 * helper has no range, so it belongs to its caller kernel_a. Classes and cycles follow
 * tools/qemu-icount/thumb_class.h (a taken branch adds 2 cycles).
 *
 * owner 0 (glue): tfh_marker_start's bx lr, main's bl kernel_a, bl kernel_b, bl tfh_marker_end:
 *   4 instructions, 4 branches, all taken; cycles 4 x (1 + 2) = 12.
 * owner 1 (kernel_a + helper):
 *   push {r4, lr}      load/store  1 + N = 3
 *   movs r0, #10       alu         1
 *   bl helper          branch      1 + 2 (taken)
 *   udiv r4, r0, r0    divide      7
 *   bx lr              branch      1 + 2 (taken)
 *   10 x (ldr r1, [sp]     load/store 2
 *         mla r3, r1, r1, r3  multiply 1
 *         subs r0, r0, #1     alu 1
 *         bne 1b)             branch 1, + 2 the 9 times it is taken
 *   pop {r4, pc}       branch      1 + N = 3, + 2 (taken)
 *   46 instructions: 11 load/store, 10 multiply, 1 divide, 13 branches of which 12 taken;
 *   cycles 3 + 1 + 1 + 7 + 1 + 10 x 5 + 3 = 66, + 12 x 2 = 90.
 * owner 2 (kernel_b):
 *   vmul.f32 s0, s0, s0   multiply 1
 *   vdiv.f32 s1, s0, s0   divide 14
 *   vldr s2, [sp]         load/store 2
 *   bx lr                 branch 1 + 2 (taken)
 *   4 instructions; cycles 20.
 * Region: 54 instructions. */
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
        bl      kernel_a
        bl      kernel_b
        bl      tfh_marker_end
        movs    r0, #0
        pop     {r4, pc}
        .size   main, . - main

        .align  2
        .type   kernel_a, %function
        .thumb_func
kernel_a:
        push    {r4, lr}
        movs    r0, #10
        bl      helper
1:      ldr     r1, [sp]
        mla     r3, r1, r1, r3
        subs    r0, r0, #1
        bne     1b
        pop     {r4, pc}
        .size   kernel_a, . - kernel_a

        .align  2
        .type   kernel_b, %function
        .thumb_func
kernel_b:
        vmul.f32 s0, s0, s0
        vdiv.f32 s1, s0, s0
        vldr    s2, [sp]
        bx      lr
        .size   kernel_b, . - kernel_b

        .align  2
        .type   helper, %function
        .thumb_func
helper:
        udiv    r4, r0, r0
        bx      lr
        .size   helper, . - helper
