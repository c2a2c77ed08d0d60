/* See addone.h. Copies inputs in and outputs out unless the caller already passed the arena slots. */
#include "addone.h"

#include <string.h>

int addone_invoke(const int8_t *input0, const uint8_t *input1, int8_t *output0, uint8_t *output1,
                  uint8_t *arena) {
  int8_t *in0 = (int8_t *)(arena + addone_INPUT0_OFFSET);
  uint8_t *in1 = arena + addone_INPUT1_OFFSET;
  int8_t *out0 = (int8_t *)(arena + addone_OUTPUT0_OFFSET);
  uint8_t *out1 = arena + addone_OUTPUT1_OFFSET;
  if (input0 != in0) memcpy(in0, input0, addone_INPUT0_SIZE);
  if (input1 != in1) memcpy(in1, input1, addone_INPUT1_SIZE);
  for (int i = 0; i < addone_OUTPUT0_SIZE; ++i) {
    int v = in0[i] + 1;
    out0[i] = (int8_t)(v > 127 ? 127 : v);
  }
  for (int i = 0; i < addone_OUTPUT1_SIZE; ++i) out1[i] = (uint8_t)(in1[i] + 1u);
  if (output0 != out0) memcpy(output0, out0, addone_OUTPUT0_SIZE);
  if (output1 != out1) memcpy(output1, out1, addone_OUTPUT1_SIZE);
  return 0;
}
