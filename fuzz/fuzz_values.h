// The values the structure-aware mutator (mutator.h) writes into a model: mostly small or "interesting"
// (the edges of int8/uint8/int32/int64, 2^16, sqrt(2^31), zero, negative, NaN, infinities, denormals),
// sometimes arbitrary bits from the input. Each reads one selector byte, then maybe more.
#pragma once

#include <cstddef>
#include <cstdint>

#include "byte_reader.h"

namespace tinyfuse::fuzz {

int32_t AnyInt(ByteReader& r);
// A dimension: mostly 0..16, sometimes interesting (huge, negative), sometimes arbitrary.
int32_t AnyDim(ByteReader& r);
// A scale: interesting floats (0, -0, +-inf, NaN, denormals, FLT_MAX, 1/256, ...), powers of two, or bits.
float AnyFloat(ByteReader& r);
int64_t AnyZeroPoint(ByteReader& r);
// A tensor index for `n` tensors: mostly in range, sometimes -1 or just past the end, rarely arbitrary.
int32_t AnyTensorId(ByteReader& r, size_t n);
// A TensorType value: the four we accept, then floats and the rest (some beyond our schema's enum).
int AnyTensorType(ByteReader& r);
// A builtin operator code: ours (graph/ops.def), then unsupported, custom and out-of-enum ones.
int AnyOperatorCode(ByteReader& r);
// A BuiltinOptions union type: ours (raw_model.h) and a few foreign ones.
int AnyOptionsType(ByteReader& r);

}  // namespace tinyfuse::fuzz
