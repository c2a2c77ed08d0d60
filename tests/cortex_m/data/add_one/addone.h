/* A hand-written stand-in for generated code, following the generated C contract of docs/DEVELOPING.md
 * exactly: prefix "addone", two inputs, two outputs, one arena.
 *   output0[i] = input0[i] + 1, saturated to int8   (16 values)
 *   output1[i] = input1[i] + 1, modulo 256 (uint8)   (5 values) */
#ifndef ADDONE_H_
#define ADDONE_H_

#include <stdint.h>

#define addone_ARENA_SIZE 48
#define addone_ARENA_ALIGN 16
#define addone_NUM_INPUTS 2
#define addone_NUM_OUTPUTS 2

#define addone_INPUT0_SIZE 16
#define addone_INPUT0_TYPE int8_t
#define addone_INPUT0_SCALE 0.5f
#define addone_INPUT0_ZERO_POINT -3
#define addone_INPUT0_OFFSET 0
#define addone_INPUT0_RANK 2
#define addone_INPUT0_DIMS {1, 16}

#define addone_INPUT1_SIZE 5
#define addone_INPUT1_TYPE uint8_t
#define addone_INPUT1_SCALE 1.0f
#define addone_INPUT1_ZERO_POINT 128
#define addone_INPUT1_OFFSET 16
#define addone_INPUT1_RANK 1
#define addone_INPUT1_DIMS {5}

#define addone_OUTPUT0_SIZE 16
#define addone_OUTPUT0_TYPE int8_t
#define addone_OUTPUT0_SCALE 0.5f
#define addone_OUTPUT0_ZERO_POINT -3
#define addone_OUTPUT0_OFFSET 24
#define addone_OUTPUT0_RANK 2
#define addone_OUTPUT0_DIMS {1, 16}

#define addone_OUTPUT1_SIZE 5
#define addone_OUTPUT1_TYPE uint8_t
#define addone_OUTPUT1_SCALE 1.0f
#define addone_OUTPUT1_ZERO_POINT 128
#define addone_OUTPUT1_OFFSET 40
#define addone_OUTPUT1_RANK 1
#define addone_OUTPUT1_DIMS {5}

int addone_invoke(const int8_t *input0, const uint8_t *input1, int8_t *output0, uint8_t *output1,
                  uint8_t *arena);

#endif /* ADDONE_H_ */
