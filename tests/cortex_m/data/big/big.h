/* Contract-shaped test model with 300000 bytes of weights and a 200000-byte arena, to overflow
 * --flash-size / --ram-size limits. output0[i] = input0[i] + weights[(uint8_t)input0[i] * 1171]
 * (weights[1171 * k] == k for k = 1..4). */
#ifndef BIG_H_
#define BIG_H_

#include <stdint.h>

#define big_ARENA_SIZE 200000
#define big_ARENA_ALIGN 16
#define big_NUM_INPUTS 1
#define big_NUM_OUTPUTS 1
#define big_INPUT0_SIZE 4
#define big_INPUT0_TYPE int8_t
#define big_INPUT0_SCALE 1.0f
#define big_INPUT0_ZERO_POINT 0
#define big_INPUT0_OFFSET 0
#define big_INPUT0_RANK 1
#define big_INPUT0_DIMS {4}
#define big_OUTPUT0_SIZE 4
#define big_OUTPUT0_TYPE int8_t
#define big_OUTPUT0_SCALE 1.0f
#define big_OUTPUT0_ZERO_POINT 0
#define big_OUTPUT0_OFFSET 199984
#define big_OUTPUT0_RANK 1
#define big_OUTPUT0_DIMS {4}

int big_invoke(const int8_t *input0, int8_t *output0, uint8_t *arena);

#endif /* BIG_H_ */
