// TRANSPOSE against naive nested loops written here: every rank-4 permutation, and ranks 1, 2, 3, 6.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "common/error.h"
#include "graph/graph.h"
#include "interp/interpreter.h"
#include "test_util.h"

namespace tinyfuse {
namespace {

std::vector<uint8_t> RunTranspose(DType dtype, const std::vector<int32_t>& shape, const std::vector<int32_t>& perm,
                                  const std::vector<uint8_t>& x) {
  Graph g;
  std::vector<int32_t> out_shape;
  for (int32_t p : perm) out_shape.push_back(shape[static_cast<size_t>(p < 0 ? p + int(shape.size()) : p)]);
  const int in = g.AddActivation(dtype, shape, Quantization{{0.5f}, {3}, 0});
  const int pm = g.AddConstant(DType::kInt32, {static_cast<int32_t>(perm.size())}, {}, BytesOf(perm));
  const int out = g.AddActivation(dtype, out_shape, Quantization{{0.5f}, {3}, 0});
  testing::AddOnlyOp(g, OpKind::kTranspose, {in, pm}, {out});
  return testing::RunGraph(g, Arith::kTflm, {x}, /*round_trip=*/false);
}

std::vector<uint8_t> Iota(size_t n) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 13 + 5);
  return v;
}

TEST(Transpose, EveryRank4Permutation) {
  const std::vector<int32_t> shape = {2, 3, 4, 5};
  const std::vector<uint8_t> x = Iota(2 * 3 * 4 * 5);
  std::vector<int32_t> perm = {0, 1, 2, 3};
  int count = 0;
  do {
    const std::vector<uint8_t> got = RunTranspose(DType::kInt8, shape, perm, x);
    int od[4];
    for (int i = 0; i < 4; ++i) od[i] = shape[static_cast<size_t>(perm[static_cast<size_t>(i)])];
    size_t k = 0;
    for (int a = 0; a < od[0]; ++a) {
      for (int b = 0; b < od[1]; ++b) {
        for (int c = 0; c < od[2]; ++c) {
          for (int d = 0; d < od[3]; ++d, ++k) {
            int src[4];
            const int o[4] = {a, b, c, d};
            for (int i = 0; i < 4; ++i) src[perm[static_cast<size_t>(i)]] = o[i];
            const size_t s = static_cast<size_t>(((src[0] * 3 + src[1]) * 4 + src[2]) * 5 + src[3]);
            ASSERT_EQ(got[k], x[s]) << "perm " << perm[0] << perm[1] << perm[2] << perm[3];
          }
        }
      }
    }
    ++count;
  } while (std::next_permutation(perm.begin(), perm.end()));
  EXPECT_EQ(count, 24);
}

TEST(Transpose, NchwToNhwcAsInThePytorchModel) {
  const std::vector<uint8_t> x = Iota(3 * 2 * 2);  // [1, 3, 2, 2]
  const std::vector<uint8_t> got = RunTranspose(DType::kInt8, {1, 3, 2, 2}, {0, 2, 3, 1}, x);
  const std::vector<uint8_t> want = {x[0], x[4], x[8], x[1], x[5], x[9], x[2], x[6], x[10], x[3], x[7], x[11]};
  EXPECT_EQ(got, want);
}

TEST(Transpose, OtherRanks) {
  const std::vector<uint8_t> x = Iota(6);
  EXPECT_EQ(RunTranspose(DType::kUInt8, {6}, {0}, x), x);
  EXPECT_EQ(RunTranspose(DType::kUInt8, {2, 3}, {1, 0}, x), (std::vector<uint8_t>{x[0], x[3], x[1], x[4], x[2], x[5]}));
  EXPECT_EQ(RunTranspose(DType::kUInt8, {2, 3}, {-1, 0}, x), (std::vector<uint8_t>{x[0], x[3], x[1], x[4], x[2], x[5]}));
  // Rank 3 and rank 6: reversing the axes.
  const std::vector<uint8_t> y = Iota(2 * 3 * 2);
  const std::vector<uint8_t> got3 = RunTranspose(DType::kInt8, {2, 3, 2}, {2, 1, 0}, y);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 2; ++k) EXPECT_EQ(got3[static_cast<size_t>((k * 3 + j) * 2 + i)], y[static_cast<size_t>((i * 3 + j) * 2 + k)]);
  const std::vector<uint8_t> z = Iota(2 * 1 * 3 * 1 * 2 * 2);
  const std::vector<uint8_t> got6 = RunTranspose(DType::kInt8, {2, 1, 3, 1, 2, 2}, {5, 4, 3, 2, 1, 0}, z);
  size_t k = 0;
  for (int f = 0; f < 2; ++f)
    for (int e = 0; e < 2; ++e)
      for (int c = 0; c < 3; ++c)
        for (int a = 0; a < 2; ++a, ++k) EXPECT_EQ(got6[k], z[static_cast<size_t>(((a * 3 + c) * 2 + e) * 2 + f)]);
}

TEST(Transpose, RejectsARepeatedAxis) {
  EXPECT_THROW(RunTranspose(DType::kInt8, {2, 2}, {0, 0}, Iota(4)), Error);
}

}  // namespace
}  // namespace tinyfuse
