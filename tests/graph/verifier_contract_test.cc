// The verifier's contract: a graph that passes VerifyGraph can be run by the interpreter without reading
// or writing out of bounds. Random mutations of valid graphs (shapes, dtypes, quantization, attrs, ids,
// constant contents) are verified; every graph that passes is run with both arithmetic flavours on random
// inputs. Kernels may still reject a verified graph with tinyfuse::Error (e.g. a limit of one flavour), but
// nothing else may happen. Meaningful mostly under -DTINYFUSE_SANITIZE=ON, where an out-of-bounds access
// aborts the test.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "common/error.h"
#include "graph/printer.h"
#include "graph/verifier.h"
#include "interp/interpreter.h"
#include "test_graphs.h"

namespace tinyfuse {
namespace {

using namespace ::tinyfuse::testing;

class Mutator {
 public:
  explicit Mutator(uint32_t seed) : rng_(seed) {}

  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Coin() { return Int(0, 1) == 1; }

  void Mutate(Graph& g) {
    if (g.tensors.empty() || g.ops.empty()) return;
    switch (Int(0, 9)) {
      case 0:
      case 1:
        MutateShape(g.tensors[Pick(g.tensors.size())]);
        break;
      case 2:
        MutateQuant(g.tensors[Pick(g.tensors.size())]);
        break;
      case 3:
        MutateDType(g.tensors[Pick(g.tensors.size())]);
        break;
      case 4:
      case 5:
        MutateAttrs(g.ops[Pick(g.ops.size())]);
        break;
      case 6:
        MutateIds(g, g.ops[Pick(g.ops.size())]);
        break;
      case 7:
      case 8:
        MutateConstant(g);
        break;
      default:
        MutateVersion(g.ops[Pick(g.ops.size())]);
        break;
    }
  }

 private:
  // An index below n; n must be positive.
  size_t Pick(size_t n) { return static_cast<size_t>(Int(0, static_cast<int>(n) - 1)); }

  // A shape change keeps constants consistent half of the time (so the op checks, not the tensor
  // checks, get exercised).
  void MutateShape(Tensor& t) {
    if (t.shape.empty() || Int(0, 5) == 0) {
      t.shape.push_back(Int(0, 4));
    } else if (Int(0, 5) == 0) {
      t.shape.pop_back();
    } else {
      t.shape[Pick(t.shape.size())] = Int(-1, 12);
    }
    if (t.is_const && Coin()) {
      int64_t n = 1;
      for (int32_t d : t.shape) n *= std::max(d, 0);
      if (n < 4096) t.data.resize(static_cast<size_t>(n * DTypeSize(t.dtype)), 1);
    }
  }

  void MutateQuant(Tensor& t) {
    Quantization& q = t.quant;
    switch (Int(0, 5)) {
      case 0:
        q = Quantization();
        break;
      case 1:
        if (!q.scale.empty()) q.scale[Pick(q.scale.size())] = Coin() ? 0.0f : -1.0f;
        break;
      case 2:
        if (!q.zero_point.empty()) q.zero_point[Pick(q.zero_point.size())] = Int(-300, 300);
        break;
      case 3:
        q.axis = Int(-1, 4);
        break;
      case 4: {
        const int n = Int(1, 8);
        q.scale.assign(static_cast<size_t>(n), 0.05f);
        q.zero_point.assign(static_cast<size_t>(n), Coin() ? 0 : Int(-3, 3));
        break;
      }
      default:
        // Large but plausible. Extreme ratios are arithmetic, not bounds: a requantization multiplier
        // of ~5000 saturates and the kernels' "+ output zero point" overflows int32 (seen with an output
        // scale of 1e-6), and a ratio of 1e30 gives shifts of ~100 in WrappingShiftLeft. Those belong to
        // the kernels and fixed-point helpers, not to the verifier.
        if (!q.scale.empty()) q.scale[0] = Coin() ? 1e-3f : 1e3f;
        break;
    }
  }

  void MutateDType(Tensor& t) {
    static constexpr DType kTypes[] = {DType::kInt8, DType::kUInt8, DType::kInt16, DType::kInt32};
    t.dtype = kTypes[Int(0, 3)];
    if (t.is_const && Coin())
      t.data.resize(static_cast<size_t>(std::max<int64_t>(0, t.num_elements())) * DTypeSize(t.dtype), 2);
  }

  void MutateAttrs(Op& op) {
    const int v = Int(-1, 5);
    std::visit(
        [&](auto& a) {
          using A = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<A, Conv2DAttrs> || std::is_same_v<A, DepthwiseConv2DAttrs>) {
            switch (Int(0, 5)) {
              case 0:
                a.stride_h = v;
                break;
              case 1:
                a.stride_w = v;
                break;
              case 2:
                a.dilation_h = v;
                break;
              case 3:
                a.dilation_w = v;
                break;
              case 4:
                a.padding = Coin() ? Padding::kSame : Padding::kValid;
                break;
              default:
                if constexpr (std::is_same_v<A, DepthwiseConv2DAttrs>) a.depth_multiplier = v;
                break;
            }
          } else if constexpr (std::is_same_v<A, Pool2DAttrs>) {
            switch (Int(0, 4)) {
              case 0:
                a.stride_h = v;
                break;
              case 1:
                a.stride_w = v;
                break;
              case 2:
                a.filter_h = v;
                break;
              case 3:
                a.filter_w = v;
                break;
              default:
                a.padding = Coin() ? Padding::kSame : Padding::kValid;
                break;
            }
          } else if constexpr (std::is_same_v<A, FullyConnectedAttrs>) {
            a.keep_num_dims = !a.keep_num_dims;
          } else if constexpr (std::is_same_v<A, MeanAttrs>) {
            a.keep_dims = !a.keep_dims;
          } else if constexpr (std::is_same_v<A, SoftmaxAttrs>) {
            a.beta = static_cast<float>(v) * 0.5f;
          }
        },
        op.attrs);
    if (Int(0, 20) == 0) op.attrs = NoAttrs{};
  }

  void MutateIds(const Graph& g, Op& op) {
    std::vector<int>& ids = Coin() ? op.inputs : op.outputs;
    const int n = static_cast<int>(g.tensors.size());
    switch (Int(0, 2)) {
      case 0:
        if (!ids.empty()) ids[Pick(ids.size())] = Int(-2, n);
        break;
      case 1:
        ids.push_back(Int(-1, n - 1));
        break;
      default:
        if (!ids.empty()) ids.pop_back();
        break;
    }
  }

  // Rewrites one element of an int32 constant (paddings, perm, axes, shape, bias) or an 8-bit one.
  void MutateConstant(Graph& g) {
    Tensor& t = g.tensors[Pick(g.tensors.size())];
    const size_t size = static_cast<size_t>(DTypeSize(t.dtype));
    if (!t.is_const || t.data.size() < size) return;
    const size_t at = Pick(t.data.size() / size) * size;
    const int32_t v = Coin() ? Int(-3, 9) : Int(std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
    for (size_t i = 0; i < size; ++i) t.data[at + i] = static_cast<uint8_t>(static_cast<uint32_t>(v) >> (8 * i));
  }

  void MutateVersion(Op& op) { op.version = Int(0, 12); }

  std::mt19937 rng_;
};

std::vector<Graph> Seeds() {
  std::vector<Graph> seeds;
  for (int k = 0; k < kNumOpKinds; ++k) seeds.push_back(GraphWithOp(static_cast<OpKind>(k)));
  ConvSpec s;
  s.dtype = DType::kUInt8;
  s.per_channel = false;
  s.bias = false;
  s.padding = Padding::kValid;
  seeds.push_back(Conv2DGraph(s));
  seeds.push_back(DepthwiseConv2DGraph(s));
  seeds.push_back(FullyConnectedGraph(DType::kInt8, true, false, true));
  seeds.push_back(AddGraph(DType::kUInt8, {2, 1, 3}, {4, 1}));
  seeds.push_back(PadGraph(DType::kInt8, true));
  seeds.push_back(MeanGraph(DType::kInt8, true));
  seeds.push_back(ChainGraph());
  return seeds;
}

TEST(VerifierContract, VerifiedMutantsRunInTheInterpreter) {
  const std::vector<Graph> seeds = Seeds();
  Mutator m(20240601);
  int verified = 0, ran = 0;
  for (int trial = 0; trial < 6000; ++trial) {
    Graph g = seeds[static_cast<size_t>(trial) % seeds.size()];
    const int edits = m.Int(1, 3);
    for (int e = 0; e < edits; ++e) m.Mutate(g);
    try {
      VerifyGraph(g);
    } catch (const Error&) {
      continue;
    }
    ++verified;
    SCOPED_TRACE("trial " + std::to_string(trial) + "\n" + PrintGraph(g));
    for (Arith arith : {Arith::kTflm, Arith::kTflite}) {
      try {
        Interpreter interp(g, arith);
        for (size_t i = 0; i < g.inputs.size(); ++i) {
          const Tensor& t = g.tensor(g.inputs[i]);
          interp.SetInput(static_cast<int>(i),
                          TestBytes(static_cast<size_t>(t.byte_size()), static_cast<uint32_t>(trial)));
        }
        interp.Invoke();
        ++ran;
      } catch (const Error&) {
        // A kernel may refuse what it cannot compute; that is reported, not a crash.
      }
    }
  }
  // The mutations must leave a fair share of graphs valid, or this test checks nothing.
  EXPECT_GT(verified, 600);
  EXPECT_GT(ran, 600);
}

}  // namespace
}  // namespace tinyfuse
