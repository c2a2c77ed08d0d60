// Output-shape inference on a RawModel, for the fuzzer's repair mutation: after an edit to a stride, a
// kernel size or an input shape, recompute every op's output shape (in op order, so changes propagate)
// with TFLite's formulas, so that the edited model is consistent again and reaches the later stages.
//
// Best effort by design: an op whose inputs are out of range, of an unexpected rank, or whose result would
// not fit int32 keeps its output shape (the verifier then rejects the model, which is also fine).
// Only subgraph 0 is touched. Never allocates more than the model's own size.
#pragma once

#include "tflite/raw_model.h"

namespace tinyfuse::fuzz {

void InferOutputShapes(RawModel& m);

}  // namespace tinyfuse::fuzz
