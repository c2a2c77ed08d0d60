/* Contract-shaped test model whose invoke writes a 3000-byte local buffer: a known stack depth.
 * output0[i] = input0[i] + 2. */
#ifndef DEEP_H_
#define DEEP_H_

#include <stdint.h>

#define deep_ARENA_SIZE 8192
#define deep_ARENA_ALIGN 8
#define deep_NUM_INPUTS 1
#define deep_NUM_OUTPUTS 1
#define deep_INPUT0_SIZE 8
#define deep_INPUT0_TYPE int8_t
#define deep_INPUT0_SCALE 1.0f
#define deep_INPUT0_ZERO_POINT 0
#define deep_INPUT0_OFFSET 0
#define deep_INPUT0_RANK 1
#define deep_INPUT0_DIMS {8}
#define deep_OUTPUT0_SIZE 8
#define deep_OUTPUT0_TYPE int8_t
#define deep_OUTPUT0_SCALE 1.0f
#define deep_OUTPUT0_ZERO_POINT 0
#define deep_OUTPUT0_OFFSET 8
#define deep_OUTPUT0_RANK 1
#define deep_OUTPUT0_DIMS {8}

int deep_invoke(const int8_t *input0, int8_t *output0, uint8_t *arena);

#endif /* DEEP_H_ */
