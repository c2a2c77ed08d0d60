// register-block (loop/register_block.h): the packed 16-bit intrinsics' C against common/packed16.h, and
// the blocked conv / depthwise / FC kernels (scalar and DSP form) against the interpreter, byte for byte,
// over channel counts around the block sizes (and the four lanes of depthwise), borders, strides, padding and saturated outputs. The DSP
// form runs here through its portable C; the Cortex-M golden tests run it with the real instructions.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "codegen/arena_layout.h"
#include "codegen/c_emitter.h"
#include "codegen/host_runner.h"
#include "common/packed16.h"
#include "interp/interpreter.h"
#include "loop/lower.h"
#include "loop/printer.h"
#include "test_models.h"

namespace tinyfuse::codegen {
namespace {

using namespace tinyfuse::loop;  // NOLINT

// out[i] = op(a[i], b[i], c[i], d[i]) over constant tables, through the generated C.
std::vector<int32_t> RunIntrinsic(Intrinsic op, const std::vector<std::vector<int32_t>>& args,
                                  const std::string& compiler) {
  const int64_t n = static_cast<int64_t>(args[0].size());
  Buffer in = ArenaBuffer("dummy", ScalarType::kInt8, {1}, 0);
  Buffer out = ArenaBuffer("out", ScalarType::kInt32, {n}, 1);
  Var i = MakeVar("i");
  std::vector<Expr> call_args;
  for (size_t k = 0; k < static_cast<size_t>(GetIntrinsicInfo(op).num_args); ++k) {
    call_args.push_back(Load(ConstantBuffer("arg" + std::to_string(k), ScalarType::kInt32, {n}, args[k]), i));
  }
  LoweredModel m;
  m.kernels.push_back({PrimFunc{"k", {in, out}, 1, For(i, Imm(0), Imm(n), Store(out, i, Call(op, call_args)))}, {}, "", 0});
  m.inputs.push_back({0, "dummy", DType::kInt8, {1}, 1.0f, 0, 1});
  m.outputs.push_back({1, "out", DType::kInt32, {static_cast<int32_t>(n)}, 1.0f, 0, 4 * n});
  m.storage_bytes = {{0, 1}, {1, 4 * n}};
  HostCompileOptions o;
  o.compiler = compiler;
  if (compiler == "clang") o.flags += " -fsanitize=undefined -fno-sanitize-recover=all";
  const std::vector<uint8_t> bytes = RunGeneratedC(EmitC(m, SequentialLayout(m), "t"), {{0}}, o).at(0);
  std::vector<int32_t> r(static_cast<size_t>(n));
  for (size_t k = 0; k < r.size(); ++k) {
    uint32_t u = 0;
    for (int b = 0; b < 4; ++b) u |= static_cast<uint32_t>(bytes[4 * k + static_cast<size_t>(b)]) << (8 * b);
    r[k] = static_cast<int32_t>(u);
  }
  return r;
}

TEST(RegisterBlock, PackedIntrinsicsMatchReference) {
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min(), kMax = std::numeric_limits<int32_t>::max();
  const std::vector<int32_t> edges = {0, 1, -1, 127, 128, -128, 255, 0x7fff, 0x8000, -0x8000, static_cast<int32_t>(0x80008000u), 0x7fff7fff,
                                      0x00ff00ff, static_cast<int32_t>(0xff00ff00u), kMin, kMax};
  std::vector<std::vector<int32_t>> args(4);
  std::mt19937 rng(11);
  for (int32_t a : edges) {
    for (int32_t b : edges) {
      args[0].push_back(a);
      args[1].push_back(b);
      args[2].push_back(edges[(args[2].size() * 7) % edges.size()]);
      args[3].push_back(edges[(args[3].size() * 5 + 3) % edges.size()]);
    }
  }
  for (int k = 0; k < 2000; ++k) {
    for (auto& v : args) v.push_back(static_cast<int32_t>(rng()));
  }
  for (const char* compiler : {"gcc", "clang"}) {
    for (Intrinsic op : {Intrinsic::kPack4, Intrinsic::kSxtb16, Intrinsic::kUxtb16, Intrinsic::kSxtb16Ror8,
                         Intrinsic::kUxtb16Ror8, Intrinsic::kAdd16, Intrinsic::kSmlad, Intrinsic::kSmlabb,
                         Intrinsic::kSmlatt}) {
      const std::vector<int32_t> got = RunIntrinsic(op, args, compiler);
      for (size_t i = 0; i < got.size(); ++i) {
        const int32_t a = args[0][i], b = args[1][i], c = args[2][i], d = args[3][i];
        int32_t want = 0;
        switch (op) {
          case Intrinsic::kPack4: want = Pack4(a, b, c, d); break;
          case Intrinsic::kSxtb16: want = Sxtb16(a); break;
          case Intrinsic::kUxtb16: want = Uxtb16(a); break;
          case Intrinsic::kSxtb16Ror8: want = Sxtb16Ror8(a); break;
          case Intrinsic::kUxtb16Ror8: want = Uxtb16Ror8(a); break;
          case Intrinsic::kAdd16: want = Add16(a, b); break;
          case Intrinsic::kSmlabb: want = Smlabb(a, b, c); break;
          case Intrinsic::kSmlatt: want = Smlatt(a, b, c); break;
          default: want = Smlad(a, b, c); break;
        }
        ASSERT_EQ(got[i], want) << compiler << " @" << GetIntrinsicInfo(op).name << "(" << a << ", " << b << ", " << c
                                << ", " << d << ")";
      }
    }
  }
}

TEST(RegisterBlock, ReferenceSemantics) {
  EXPECT_EQ(Pack4(0x101, -1, 0x7f, -128), static_cast<int32_t>(0x807fff01u));
  EXPECT_EQ(Sxtb16(static_cast<int32_t>(0x12ff3480u)), PairOf(-128, -1));
  EXPECT_EQ(Uxtb16(static_cast<int32_t>(0x12ff3480u)), PairOf(128, 255));
  EXPECT_EQ(Sxtb16Ror8(static_cast<int32_t>(0x80ff3412u)), PairOf(52, -128));
  EXPECT_EQ(Uxtb16Ror8(static_cast<int32_t>(0x80ff3412u)), PairOf(52, 128));
  EXPECT_EQ(Add16(PairOf(32767, -32768), PairOf(1, -1)), PairOf(-32768, 32767));
  EXPECT_EQ(Smlad(PairOf(-32768, -32768), PairOf(-32768, -32768), std::numeric_limits<int32_t>::max()),
            static_cast<int32_t>(0x7fffffffu + 0x80000000u));
  EXPECT_EQ(Smlabb(PairOf(-32768, 5), PairOf(-32768, 7), std::numeric_limits<int32_t>::max()),
            static_cast<int32_t>(0x7fffffffu + 0x40000000u));
  EXPECT_EQ(Smlatt(PairOf(5, -3), PairOf(7, 4), 10), -2);
}

// Conv-like layers with blocks and remainders in every dimension.
std::vector<Graph> Cases(std::vector<std::string>* names) {
  std::vector<Graph> out;
  uint64_t seed = 4000;
  auto add = [&](const std::string& kind, testmodels::ConvCase c) {
    c.seed = seed++;
    names->push_back(kind + " " + c.Name());
    if (kind == "conv") out.push_back(testmodels::Conv2DModel(c));
    if (kind == "dw") out.push_back(testmodels::DepthwiseConv2DModel(c));
    if (kind == "fc") out.push_back(testmodels::FullyConnectedModel(c));
  };
  for (int oc : {1, 3, 4, 5, 8, 17}) {
    for (int ic : {1, 4, 5, 8, 17}) {
      testmodels::ConvCase c;
      c.in_channels = ic;
      c.out_channels = oc;
      c.kernel_h = c.kernel_w = 1;
      c.padding = Padding::kValid;
      c.width = 3 + (oc + ic) % 4;  // odd and even columns
      c.height = 2;
      c.dtype = (oc + ic) % 3 == 0 ? DType::kUInt8 : DType::kInt8;
      c.per_channel = c.dtype == DType::kInt8;
      c.weight_zp = c.dtype == DType::kUInt8 ? 131 : 0;
      c.input_zp = c.dtype == DType::kUInt8 ? 200 : -128;
      c.output_zp = c.dtype == DType::kUInt8 ? 90 : -5;
      add("conv", c);
      c.batches = 1 + ic % 3;
      add("fc", c);
    }
  }
  for (int oc : {1, 5, 8, 17}) {
    for (auto [k, stride, pad] : {std::tuple{3, 1, Padding::kSame}, std::tuple{3, 2, Padding::kSame},
                                  std::tuple{2, 2, Padding::kValid}}) {
      testmodels::ConvCase c;
      c.in_channels = 4 + oc % 3;
      c.out_channels = oc;
      c.kernel_h = c.kernel_w = k;
      c.stride_h = c.stride_w = stride;
      c.padding = pad;
      c.height = 7;
      c.width = 8 + oc % 2;
      c.activation = oc % 2 ? Activation::kRelu6 : Activation::kNone;
      if (oc == 17) {  // saturated outputs: a tiny output scale pushes every value to the clamp
        c.output_scale = 0.0005f;
        c.input_zp = 127;
      }
      add("conv", c);
      c.in_channels = oc;
      c.depth_multiplier = 1;
      add("dw", c);
      c.in_channels = 1 + oc % 2;
      c.depth_multiplier = oc;  // micro_speech's first layer: one input channel, multiplier 8
      c.out_channels = c.in_channels * oc;
      add("dw", c);
    }
  }
  // Depthwise lanes (four channels, one lane each): channel counts around 4, borders, zero points at the
  // ends of the int8 and uint8 ranges.
  for (int ch : {3, 4, 7, 12}) {
    for (int zp_case = 0; zp_case < 2; ++zp_case) {
      testmodels::ConvCase c;
      c.in_channels = c.out_channels = ch;
      c.depth_multiplier = 1;
      c.kernel_h = c.kernel_w = 3;
      c.stride_h = c.stride_w = 1 + zp_case;
      c.padding = Padding::kSame;
      c.height = 5;
      c.width = 6 + ch % 2;
      c.dtype = ch % 2 ? DType::kUInt8 : DType::kInt8;
      c.per_channel = c.dtype == DType::kInt8;
      if (c.dtype == DType::kUInt8) {
        c.output_zp = 90;
        c.input_zp = zp_case ? 255 : 0;
        c.weight_zp = zp_case ? 0 : 255;
      } else {
        c.input_zp = zp_case ? 127 : -128;
      }
      add("dw", c);
    }
  }
  // Short channel runs (an RGB input): a tap row of the interior is one run of kernel_w * channels bytes.
  for (int ic : {1, 2, 3}) {
    for (auto [stride, pad] : {std::tuple{2, Padding::kSame}, std::tuple{1, Padding::kValid}}) {
      testmodels::ConvCase c;
      c.in_channels = ic;
      c.out_channels = 3 + ic;
      c.kernel_h = c.kernel_w = 3;
      c.stride_h = c.stride_w = stride;
      c.padding = pad;
      c.height = 6;
      c.width = 7 + ic % 2;
      c.dtype = ic == 2 ? DType::kUInt8 : DType::kInt8;
      c.per_channel = c.dtype == DType::kInt8;
      c.weight_zp = c.dtype == DType::kUInt8 ? 255 : 0;
      c.input_zp = c.dtype == DType::kUInt8 ? (stride == 2 ? 255 : 0) : (stride == 2 ? 127 : -128);
      if (c.dtype == DType::kUInt8) c.output_zp = 90;
      add("conv", c);
    }
  }
  return out;
}

std::string Diff(const Graph& g, Arith arith, bool dsp, const std::string& compiler) {
  LowerOptions lo;
  lo.dsp = dsp;
  const LoweredModel m = LowerGraph(g, arith, lo);
  HostCompileOptions o;
  o.compiler = compiler;
  // -O0: the sanitizers find the same UB, and clang -O2 with them takes minutes on a bundle this size.
  if (compiler == "clang") o.flags += " -O0 -fsanitize=undefined,address -fno-sanitize-recover=all";
  const HostProgram prog = HostProgram::Build(EmitC(m, SequentialLayout(m), "rb"), o);
  for (uint64_t set = 0; set < 2; ++set) {
    const auto inputs = testmodels::RandomInputs(g, 77 + set);
    Interpreter interp(g, arith);
    for (size_t i = 0; i < inputs.size(); ++i) interp.SetInput(static_cast<int>(i), inputs[i]);
    interp.Invoke();
    const auto got = prog.Run(inputs);
    for (size_t k = 0; k < g.outputs.size(); ++k) {
      if (got[k] != interp.Output(static_cast<int>(k))) return "output " + std::to_string(k);
    }
  }
  return "";
}

// The DSP forms reach the layers they are for: the lanes of a depthwise conv, and the collapsed tap row
// of a conv over three channels (too short to vectorize alone).
TEST(RegisterBlock, DspReachesDepthwiseAndShortChannels) {
  LowerOptions lo;
  lo.dsp = true;
  testmodels::ConvCase dw;
  dw.in_channels = dw.out_channels = 8;
  dw.depth_multiplier = 1;
  dw.kernel_h = dw.kernel_w = 3;
  dw.padding = Padding::kSame;
  dw.height = dw.width = 6;
  const std::string dw_text = PrintLoweredModel(LowerGraph(testmodels::DepthwiseConv2DModel(dw), Arith::kTflm, lo));
  EXPECT_NE(dw_text.find("@smlabb"), std::string::npos) << dw_text;
  EXPECT_NE(dw_text.find("@smlatt"), std::string::npos);
  testmodels::ConvCase rgb;
  rgb.in_channels = 3;
  rgb.out_channels = 4;
  rgb.kernel_h = rgb.kernel_w = 3;
  rgb.stride_h = rgb.stride_w = 2;
  rgb.padding = Padding::kSame;
  rgb.height = rgb.width = 9;
  const std::string rgb_text = PrintLoweredModel(LowerGraph(testmodels::Conv2DModel(rgb), Arith::kTflm, lo));
  EXPECT_NE(rgb_text.find("@smlad"), std::string::npos) << rgb_text;
}

class RegisterBlockDiff : public ::testing::TestWithParam<std::tuple<bool, Arith>> {};

TEST_P(RegisterBlockDiff, GeneratedCMatchesInterpreter) {
  const auto [dsp, arith] = GetParam();
  std::vector<std::string> names;
  const std::vector<Graph> models = Cases(&names);
  const Graph bundle = testmodels::Bundle(models);
  // The pass did something: blocked accumulators, and with dsp the packed multiply-accumulate.
  LowerOptions lo;
  lo.dsp = dsp;
  const std::string text = PrintLoweredModel(LowerGraph(bundle, arith, lo));
  EXPECT_NE(text.find("acc_3"), std::string::npos);
  EXPECT_EQ(text.find("@smlad") != std::string::npos, dsp);
  EXPECT_EQ(text.find("@smlabb") != std::string::npos, dsp);
  EXPECT_EQ(text.find("@smlatt") != std::string::npos, dsp);
  for (const char* compiler : {"gcc", "clang"}) {
    const std::string d = Diff(bundle, arith, dsp, compiler);
    if (d.empty()) continue;
    const size_t k = std::stoul(d.substr(7));
    ADD_FAILURE() << compiler << ": " << d << " differs: " << names[k];
  }
}

INSTANTIATE_TEST_SUITE_P(All, RegisterBlockDiff,
                         ::testing::Combine(::testing::Bool(), ::testing::Values(Arith::kTflm, Arith::kTflite)),
                         [](const ::testing::TestParamInfo<std::tuple<bool, Arith>>& info) {
                           return std::string(std::get<0>(info.param) ? "dsp_" : "scalar_") +
                                  ArithName(std::get<1>(info.param));
                         });

}  // namespace
}  // namespace tinyfuse::codegen
