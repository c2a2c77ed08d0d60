/* main executes a permanently undefined instruction: a UsageFault, escalated to HardFault
 * (exception 3) because the harness does not enable UsageFault. The harness exits with 103. */
        .syntax unified
        .thumb
        .text
        .align  2
        .globl  main
        .type   main, %function
        .thumb_func
main:
        udf     #0
        b       main
        .size   main, . - main
