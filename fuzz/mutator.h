// The structure-aware half of fuzz_pipeline: a fuzz input read as "start from seed model K, then apply
// these edits" to the model's RawModel (tflite/raw_model.h), so that the fuzzer explores files the
// importer and verifier mostly accept instead of random bytes the flatbuffers verifier rejects at once.
//
// Input layout (every byte sequence is valid; see byte_reader.h):
//   byte 0      seed model index (modulo the number of seeds, seed_models.h)
//   byte 1      flags: bit 0 runs the other arithmetic flavour than ChooseArith picks; bit 1 recomputes
//               every output shape after the edits (shape_infer.h), so geometry edits stay consistent
//   then        up to kMaxMutations records: one byte naming the mutation (weighted towards edits that
//               keep the file importable), then its arguments
//
// Mutations touch what a hostile or broken file can hold: tensor shapes and ranks, dtypes, buffer indices
// and constant data (sizes, int32 values such as paddings, perms and axes), quantization (scales, zero
// points, per-channel counts, axis, custom details), operator options (padding, stride, dilation, filter,
// depth multiplier, activation, beta, keep_dims, option table type), operator codes and versions, op
// input/output lists, graph inputs/outputs, op order and duplication, extra subgraphs, external buffers,
// sparsity, and splicing a second seed after the first. Two mutations repair rather than break: one
// resizes a constant together with its data and per-channel scales, one recomputes output shapes the way
// TFLite does (shape_infer.h), so geometry changes (stride 3, 5x5 kernels, odd sizes) reach code generation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "tflite/raw_model.h"

namespace tinyfuse::fuzz {

constexpr int kMaxMutations = 16;

struct MutatedModel {
  RawModel model;
  int seed = 0;
  bool flip_arith = false;
  bool repair_shapes = false;
  std::string log;  // one line per applied mutation, for reproducers
};

// `with_log` fills MutatedModel::log (off while fuzzing: it costs time).
MutatedModel DecodeMutatedModel(const uint8_t* data, size_t size, bool with_log = false);

}  // namespace tinyfuse::fuzz
