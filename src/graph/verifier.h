// The graph verifier: after it passes, the interpreter, Prepare and the lowering may index every tensor
// without further bounds checks. It throws Error with a one-line message naming the tensor or op index
// (and op name) at the first problem.
//
// What holds after VerifyGraph(g):
//  1. Tensors: dims >= 0, rank <= 8, byte size <= 2^31 - 1; constants hold exactly byte_size() bytes;
//     quantization, where present, has as many zero points as scales, positive finite scales, zero points in
//     the dtype's range, and per-channel scales along an in-range axis, one per index of that axis.
//  2. Ops and ids: every op's kind is in graph/ops.def and its version in 1..OpMaxVersion; every tensor id
//     in ops and graph inputs/outputs is in range; -1 appears only as an omitted optional input
//     (CONV_2D/DEPTHWISE_CONV_2D/FULLY_CONNECTED bias, RESHAPE shape, PAD value).
//  3. Dataflow: the graph has at least one input and one output; graph inputs are distinct non-constant
//     tensors; every non-constant tensor is written by at most one op and never when it is a graph input;
//     ops read only constants, graph inputs and tensors written by EARLIER ops; graph outputs are not
//     constants and are written by an op or are graph inputs (a graph without ops, output = input, is
//     valid; an output may be listed twice).
//  4. Activations (every non-constant tensor the graph reads or writes) are int8 or uint8 with per-tensor
//     quantization (one scale, one zero point) and at least one element (TFLite allows zero-element
//     tensors; we refuse them by name).
//  5. Each op has its input/output counts, the attrs variant of its kind, constant weights/biases/paddings/
//     permutations/axes of the right dtype and shape, and an output shape equal to the one TFLite computes:
//       CONV_2D            input [N,H,W,C], weights [O,KH,KW,I] with C % I == 0 and O % (C/I) == 0 (grouped
//                          convolution), optional bias int32 [O], output [N,OH,OW,O]; int8 weights are
//                          per-tensor or per-channel along axis 0 with zero points 0, uint8 weights per-tensor.
//       DEPTHWISE_CONV_2D  weights [1,KH,KW,O], O a multiple of C; depth_multiplier 0 (derived) or O/C;
//                          per-channel weights along axis 3.
//       FULLY_CONNECTED    weights [O,D], input elements a multiple of D; output [batches,O] or, with
//                          keep_num_dims, the input shape with its last dim (== D) replaced by O; per-channel
//                          weights along axis 0.
//       *_POOL_2D          rank 4, same N and C, window of at most 2^23 taps.
//       ADD                equal shapes, or NumPy broadcasting up to rank 6 (the output has the broadcast shape).
//       SOFTMAX            same shape; output scale 1/256 and zero point -128 (int8) / 0 (uint8); beta > 0.
//       RESHAPE            same element count; an optional shape input must be constant int32.
//       PAD                paddings constant int32 [rank,2], non-negative, rank <= 6; optional constant pad
//                          value of one element of the input's dtype.
//       TRANSPOSE          perm constant int32 [rank], a permutation (negative entries count from the end).
//       MEAN               axes constant int32 in [-rank, rank); output keeps reduced dims as 1 (keep_dims) or
//                          drops them.
//       QUANTIZE           8-bit to 8-bit, same shape.
//     Windowed ops have stride, dilation and filter >= 1 and window arithmetic that fits int32.
//     Conv-like ops have the same 8-bit dtype on input, weights and output.
#pragma once

#include "graph/graph.h"

namespace tinyfuse {

void VerifyGraph(const Graph& g);

}  // namespace tinyfuse
