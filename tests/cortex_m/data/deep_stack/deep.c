/* See deep.h. The buffer is volatile so that every one of its bytes is really stored. */
#include "deep.h"

#include <string.h>

int deep_invoke(const int8_t *input0, int8_t *output0, uint8_t *arena) {
  volatile uint8_t scratch[3000];
  int8_t *in = (int8_t *)(arena + deep_INPUT0_OFFSET);
  int8_t *out = (int8_t *)(arena + deep_OUTPUT0_OFFSET);
  if (input0 != in) memcpy(in, input0, deep_INPUT0_SIZE);
  for (int i = 0; i < 3000; ++i) scratch[i] = (uint8_t)i;
  for (int i = 0; i < deep_OUTPUT0_SIZE; ++i) {
    out[i] = (int8_t)(in[i] + 1 + scratch[(i * 373) % 3000] - (uint8_t)((i * 373) % 3000));
    out[i] = (int8_t)(out[i] + 1);
  }
  if (output0 != out) memcpy(output0, out, deep_OUTPUT0_SIZE);
  return 0;
}
