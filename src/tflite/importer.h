// The TFLite importer: a quantized .tflite model in, the graph IR out.
//
// What it checks (each failure is an Error whose one-line message names the tensor or op index):
//  - the file: size, identifier "TFL3", flatbuffers verification (before anything is read), schema
//    version 3, exactly one subgraph, no external buffers;
//  - tensors: type int8/uint8/int16/int32 (others rejected by name), no sparse/variable/external tensors,
//    non-negative dims, rank <= kMaxImportRank, at most ImportLimits::max_tensor_bytes bytes (and all
//    tensors together at most ImportLimits::max_total_bytes), constant data of exactly the
//    tensor's byte size, consistent quantization (as many zero points as scales; per-channel scales as many
//    as the quantized dimension is long);
//  - operators: the code is one of graph/ops.def (unsupported and custom operators rejected by name), the
//    version at most OpMaxVersion, tensor indices in range (-1 only for omitted inputs), options of the
//    operator's own table with supported values (no TANH/SIGN_BIT activation, default FC weights format).
//
// What holds after: tensor ids equal the subgraph's tensor indices, ops keep the file's order with
// source_index set, every id in the graph is in range. Op-level semantics (input counts, shapes, dtypes,
// quantization of activations) are NOT checked here: run VerifyGraph (graph/verifier.h) before trusting the
// graph. One normalisation: a rank-1 tensor whose quantized_dimension is out of range gets axis 0 (TFLite
// Micro's person_detect model has such biases, and TFLite Micro accepts them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "graph/graph.h"
#include "tflite/raw_model.h"

namespace tinyfuse {

constexpr int kMaxImportRank = 8;
constexpr int64_t kMaxTensorBytes = 0x7fffffff;  // so that every byte offset fits in int32

// Resource limits, checked on the shapes before any tensor memory exists (the interpreter and the arena
// planner allocate or lay out what passes). A hostile file can declare a 2 GiB activation in a few bytes;
// these keep such files from turning into an out-of-memory kill. Both count constants and activations;
// the total is an upper bound of what the interpreter allocates and of any arena. Limits above
// kMaxTensorBytes per tensor act as kMaxTensorBytes.
struct ImportLimits {
  int64_t max_tensor_bytes = int64_t{64} << 20;  // one tensor
  int64_t max_total_bytes = int64_t{256} << 20;  // all tensors of the model together
};

Graph ImportTflite(const uint8_t* data, size_t size, const ImportLimits& limits = {});
Graph ImportTfliteFile(const std::string& path, const ImportLimits& limits = {});
// The semantic half of ImportTflite, for callers that already hold a RawModel (tests, fuzzers).
Graph ImportRawModel(RawModel model, const ImportLimits& limits = {});

}  // namespace tinyfuse
