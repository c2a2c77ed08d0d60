/* Maps one generated model (the contract of docs/DEVELOPING.md, "The generated C contract") onto the
 * prefix-free names main.c uses, with the preprocessor only, for up to 8 inputs and 8 outputs.
 *
 * Needs "tfh_model.h" on the include path: it includes the generated P.h and defines TFH_PREFIX to P.
 * The driver writes it; by hand it is two lines:
 *     #include "P.h"
 *     #define TFH_PREFIX P
 */
#ifndef TINYFUSE_TARGETS_CORTEX_M_MODEL_GLUE_H_
#define TINYFUSE_TARGETS_CORTEX_M_MODEL_GLUE_H_

#include <stdint.h>

#include "tfh_model.h"

#ifndef TFH_PREFIX
#error "tfh_model.h must define TFH_PREFIX to the generated model's prefix"
#endif

#define TFH_CAT2(a, b) a##b
#define TFH_CAT(a, b) TFH_CAT2(a, b)
#define TFH_SYM(suffix) TFH_CAT(TFH_PREFIX, suffix)
/* TFH_IO(_INPUT, 3, _SIZE) is P_INPUT3_SIZE. */
#define TFH_IO(kind, k, field) TFH_SYM(TFH_CAT(TFH_CAT(kind, k), field))

#define TFH_ARENA_SIZE TFH_SYM(_ARENA_SIZE)
#define TFH_ARENA_ALIGN TFH_SYM(_ARENA_ALIGN)
#define TFH_NUM_INPUTS TFH_SYM(_NUM_INPUTS)
#define TFH_NUM_OUTPUTS TFH_SYM(_NUM_OUTPUTS)
#define TFH_INVOKE TFH_SYM(_invoke)

#if TFH_NUM_INPUTS < 1 || TFH_NUM_INPUTS > 8
#error "the harness supports 1 to 8 model inputs"
#endif
#if TFH_NUM_OUTPUTS < 1 || TFH_NUM_OUTPUTS > 8
#error "the harness supports 1 to 8 model outputs"
#endif

/* Where a tensor lives in the arena and how many bytes it has. */
typedef struct {
  uint32_t size;
  uint32_t offset;
} TfhTensor;

#define TFH_TENSOR(kind, k) {TFH_IO(kind, k, _SIZE), TFH_IO(kind, k, _OFFSET)}

static const TfhTensor tfh_inputs[TFH_NUM_INPUTS] = {
    TFH_TENSOR(_INPUT, 0),
#if TFH_NUM_INPUTS > 1
    TFH_TENSOR(_INPUT, 1),
#endif
#if TFH_NUM_INPUTS > 2
    TFH_TENSOR(_INPUT, 2),
#endif
#if TFH_NUM_INPUTS > 3
    TFH_TENSOR(_INPUT, 3),
#endif
#if TFH_NUM_INPUTS > 4
    TFH_TENSOR(_INPUT, 4),
#endif
#if TFH_NUM_INPUTS > 5
    TFH_TENSOR(_INPUT, 5),
#endif
#if TFH_NUM_INPUTS > 6
    TFH_TENSOR(_INPUT, 6),
#endif
#if TFH_NUM_INPUTS > 7
    TFH_TENSOR(_INPUT, 7),
#endif
};

static const TfhTensor tfh_outputs[TFH_NUM_OUTPUTS] = {
    TFH_TENSOR(_OUTPUT, 0),
#if TFH_NUM_OUTPUTS > 1
    TFH_TENSOR(_OUTPUT, 1),
#endif
#if TFH_NUM_OUTPUTS > 2
    TFH_TENSOR(_OUTPUT, 2),
#endif
#if TFH_NUM_OUTPUTS > 3
    TFH_TENSOR(_OUTPUT, 3),
#endif
#if TFH_NUM_OUTPUTS > 4
    TFH_TENSOR(_OUTPUT, 4),
#endif
#if TFH_NUM_OUTPUTS > 5
    TFH_TENSOR(_OUTPUT, 5),
#endif
#if TFH_NUM_OUTPUTS > 6
    TFH_TENSOR(_OUTPUT, 6),
#endif
#if TFH_NUM_OUTPUTS > 7
    TFH_TENSOR(_OUTPUT, 7),
#endif
};

/* Argument lists of P_invoke: p[k] is a uint8_t pointer; void * converts to each tensor's C type. */
#if TFH_NUM_INPUTS == 1
#define TFH_IN_ARGS(p) (void *)(p)[0]
#elif TFH_NUM_INPUTS == 2
#define TFH_IN_ARGS(p) (void *)(p)[0], (void *)(p)[1]
#elif TFH_NUM_INPUTS == 3
#define TFH_IN_ARGS(p) (void *)(p)[0], (void *)(p)[1], (void *)(p)[2]
#elif TFH_NUM_INPUTS == 4
#define TFH_IN_ARGS(p) (void *)(p)[0], (void *)(p)[1], (void *)(p)[2], (void *)(p)[3]
#elif TFH_NUM_INPUTS == 5
#define TFH_IN_ARGS(p) (void *)(p)[0], (void *)(p)[1], (void *)(p)[2], (void *)(p)[3], (void *)(p)[4]
#elif TFH_NUM_INPUTS == 6
#define TFH_IN_ARGS(p) \
  (void *)(p)[0], (void *)(p)[1], (void *)(p)[2], (void *)(p)[3], (void *)(p)[4], (void *)(p)[5]
#elif TFH_NUM_INPUTS == 7
#define TFH_IN_ARGS(p)                                                                              \
  (void *)(p)[0], (void *)(p)[1], (void *)(p)[2], (void *)(p)[3], (void *)(p)[4], (void *)(p)[5], \
      (void *)(p)[6]
#else
#define TFH_IN_ARGS(p)                                                                              \
  (void *)(p)[0], (void *)(p)[1], (void *)(p)[2], (void *)(p)[3], (void *)(p)[4], (void *)(p)[5], \
      (void *)(p)[6], (void *)(p)[7]
#endif

#if TFH_NUM_OUTPUTS == 1
#define TFH_OUT_ARGS(p) (void *)(p)[0]
#elif TFH_NUM_OUTPUTS == 2
#define TFH_OUT_ARGS(p) (void *)(p)[0], (void *)(p)[1]
#elif TFH_NUM_OUTPUTS == 3
#define TFH_OUT_ARGS(p) (void *)(p)[0], (void *)(p)[1], (void *)(p)[2]
#elif TFH_NUM_OUTPUTS == 4
#define TFH_OUT_ARGS(p) (void *)(p)[0], (void *)(p)[1], (void *)(p)[2], (void *)(p)[3]
#elif TFH_NUM_OUTPUTS == 5
#define TFH_OUT_ARGS(p) (void *)(p)[0], (void *)(p)[1], (void *)(p)[2], (void *)(p)[3], (void *)(p)[4]
#elif TFH_NUM_OUTPUTS == 6
#define TFH_OUT_ARGS(p) \
  (void *)(p)[0], (void *)(p)[1], (void *)(p)[2], (void *)(p)[3], (void *)(p)[4], (void *)(p)[5]
#elif TFH_NUM_OUTPUTS == 7
#define TFH_OUT_ARGS(p)                                                                             \
  (void *)(p)[0], (void *)(p)[1], (void *)(p)[2], (void *)(p)[3], (void *)(p)[4], (void *)(p)[5], \
      (void *)(p)[6]
#else
#define TFH_OUT_ARGS(p)                                                                             \
  (void *)(p)[0], (void *)(p)[1], (void *)(p)[2], (void *)(p)[3], (void *)(p)[4], (void *)(p)[5], \
      (void *)(p)[6], (void *)(p)[7]
#endif

#endif /* TINYFUSE_TARGETS_CORTEX_M_MODEL_GLUE_H_ */
