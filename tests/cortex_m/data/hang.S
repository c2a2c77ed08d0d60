/* main never returns: for the emulator timeout test. */
        .syntax unified
        .thumb
        .text
        .align  2
        .globl  main
        .type   main, %function
        .thumb_func
main:
        b       main
        .size   main, . - main
