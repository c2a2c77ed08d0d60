// Resource limits of the importer (tflite/importer.h, ImportLimits): shapes are checked against them before
// any tensor memory exists, per tensor and for all tensors together, with a one-line message naming the
// tensor and the limit. Also the overflow cases of the shape arithmetic.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "common/error.h"
#include "graph/verifier.h"
#include "test_graphs.h"
#include "tflite/importer.h"
#include "tflite/raw_model.h"
#include "tflite/writer.h"

namespace tinyfuse {
namespace {

using ::testing::HasSubstr;

// x [shape] -> QUANTIZE -> y [shape], int8 -> int8: two activations of the given shape.
std::vector<uint8_t> TwoTensors(const std::vector<int32_t>& shape) {
  RawModel m = RawModelFromGraph(testing::QuantizeGraph(DType::kInt8, DType::kInt8));
  for (RawTensor& t : m.subgraphs[0].tensors) t.shape = shape;
  return WriteRawModel(m);
}

std::string ImportError(const std::vector<uint8_t>& bytes, const ImportLimits& limits = {}) {
  try {
    const Graph g = ImportTflite(bytes.data(), bytes.size(), limits);
    VerifyGraph(g);
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    return msg;
  }
  return "";
}

TEST(ImportLimits, DefaultsAreDocumented) {
  const ImportLimits limits;
  EXPECT_EQ(limits.max_tensor_bytes, 64 << 20);
  EXPECT_EQ(limits.max_total_bytes, 256 << 20);
}

TEST(ImportLimits, PerTensorDefault) {
  EXPECT_EQ(ImportError(TwoTensors({1, 4096, 4096, 4})), "");  // exactly 64 MiB each, 128 MiB in all
  EXPECT_THAT(
      ImportError(TwoTensors({1, 4096, 4096, 5})),
      HasSubstr("tensor 0 'x': shape [1,4096,4096,5] of int8 is too large (over the per-tensor limit of 64 MiB)"));
}

TEST(ImportLimits, TotalDefault) {
  // QUANTIZE x -> y of 48 MiB each, plus unused 48 MiB activations: five in all pass (240 MiB), six do not.
  const std::vector<int32_t> shape = {1, 4096, 4096, 3};
  Graph g = testing::QuantizeGraph(DType::kInt8, DType::kInt8);
  for (Tensor& t : g.tensors) t.shape = shape;
  for (int i = 0; i < 3; ++i) g.AddActivation(DType::kInt8, shape, testing::ActQuant(DType::kInt8), "spare");
  EXPECT_EQ(ImportError(WriteTflite(g)), "");
  g.AddActivation(DType::kInt8, shape, testing::ActQuant(DType::kInt8), "spare");
  EXPECT_THAT(ImportError(WriteTflite(g)),
              HasSubstr("tensor 5 'spare' brings the model's tensors to 288 MiB, over the limit of 256 MiB"));
}

TEST(ImportLimits, Configurable) {
  const std::vector<uint8_t> bytes = TwoTensors({1, 32, 32, 2});  // 2 KiB each
  EXPECT_EQ(ImportError(bytes, {2048, 4096}), "");
  EXPECT_THAT(ImportError(bytes, {2047, 1 << 20}), HasSubstr("over the per-tensor limit of 2047 bytes"));
  EXPECT_THAT(ImportError(bytes, {4096, 4095}),
              HasSubstr("tensor 1 'y' brings the model's tensors to 4096 bytes, over the limit of 4095 bytes"));
}

TEST(ImportLimits, NeverAboveTheFormatLimit) {
  // A per-tensor limit above 2^31 - 1 acts as 2^31 - 1: byte offsets must fit int32.
  const ImportLimits huge{std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::max()};
  EXPECT_THAT(ImportError(TwoTensors({1 << 16, 1 << 15}), huge), HasSubstr("is too large"));
}

TEST(ImportLimits, ShapeArithmeticOverflow) {
  // Products that overflow int32 and int64 are refused, never wrapped into something small.
  const int32_t max = std::numeric_limits<int32_t>::max();
  EXPECT_THAT(ImportError(TwoTensors({65536, 65536, 65536, 65536})), HasSubstr("is too large"));
  EXPECT_THAT(ImportError(TwoTensors({max, max, max, max})), HasSubstr("is too large"));
  EXPECT_THAT(ImportError(TwoTensors({max, -1, max, -1})), HasSubstr("tensor 0 'x'"));
  EXPECT_THAT(ImportError(TwoTensors({1, -1})), HasSubstr("negative dimension"));
}

}  // namespace
}  // namespace tinyfuse
