/* See big.h. The weights are read at an index taken from the input, so all of them stay in flash. */
#include "big.h"

#include <string.h>

static const int8_t big_weights[300000] = {[1171] = 1, [2342] = 2, [3513] = 3, [4684] = 4, [299999] = 9};

int big_invoke(const int8_t *input0, int8_t *output0, uint8_t *arena) {
  int8_t *in = (int8_t *)(arena + big_INPUT0_OFFSET);
  int8_t *out = (int8_t *)(arena + big_OUTPUT0_OFFSET);
  if (input0 != in) memcpy(in, input0, big_INPUT0_SIZE);
  for (int i = 0; i < big_OUTPUT0_SIZE; ++i) {
    out[i] = (int8_t)(in[i] + big_weights[(uint8_t)in[i] * 1171u]);
  }
  if (output0 != out) memcpy(output0, out, big_OUTPUT0_SIZE);
  return 0;
}
