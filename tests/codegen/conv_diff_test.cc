// Generated C vs the interpreter for CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED: edge-case sweeps
// (every padding border, channel counts around the usual tiles, strides, dilation, depth multiplier,
// saturated ranges, uint8 with nonzero weight zero point, int8 per-channel and per-tensor), both
// arithmetic flavours, gcc and clang (the clang build under UBSan and ASan), tolerance zero.
#include <gtest/gtest.h>

#include "differential.h"
#include "test_models.h"

namespace tinyfuse::codegen {
namespace {

using testmodels::ConvCase;

// Base cases per quantization flavour.
std::vector<ConvCase> Flavours() {
  std::vector<ConvCase> out;
  ConvCase pc;  // int8 per-channel
  out.push_back(pc);
  ConvCase pt = pc;  // int8 per-tensor
  pt.per_channel = false;
  pt.input_zp = -128;
  pt.output_zp = 127;
  out.push_back(pt);
  ConvCase u8 = pc;  // uint8 per-tensor, nonzero weight zero point
  u8.dtype = DType::kUInt8;
  u8.per_channel = false;
  u8.input_zp = 128;
  u8.output_zp = 3;
  u8.weight_zp = 131;
  out.push_back(u8);
  ConvCase u8b = u8;
  u8b.input_zp = 0;
  u8b.weight_zp = 255;
  u8b.output_zp = 255;
  out.push_back(u8b);
  return out;
}

std::vector<ConvCase> ConvCases(bool depthwise) {
  std::vector<ConvCase> cases;
  uint64_t seed = depthwise ? 100 : 1;
  for (const ConvCase& base : Flavours()) {
    for (int ch : {1, 3, 4, 5, 8, 16, 17}) {
      ConvCase c = base;
      c.in_channels = ch;
      c.out_channels = depthwise ? ch : (ch % 5) + 1;
      c.seed = seed++;
      cases.push_back(c);
    }
    // Geometry: strides, dilation, kernel shapes, paddings, tiny and odd inputs (every border).
    struct G {
      int h, w, kh, kw, sh, sw, dh, dw;
      Padding p;
    };
    for (const G& geo : {G{7, 6, 3, 3, 2, 2, 1, 1, Padding::kSame}, G{8, 8, 3, 3, 2, 2, 1, 1, Padding::kSame},
                         G{7, 9, 3, 3, 1, 2, 1, 1, Padding::kValid}, G{9, 7, 3, 3, 1, 1, 2, 2, Padding::kSame},
                         G{9, 9, 3, 2, 2, 1, 2, 3, Padding::kValid}, G{5, 5, 5, 5, 1, 1, 1, 1, Padding::kSame},
                         G{4, 4, 2, 2, 1, 1, 1, 1, Padding::kSame}, G{1, 1, 3, 3, 1, 1, 1, 1, Padding::kSame},
                         G{2, 3, 3, 3, 3, 3, 1, 1, Padding::kSame}, G{6, 6, 1, 1, 1, 1, 1, 1, Padding::kValid},
                         G{10, 3, 4, 1, 3, 1, 1, 1, Padding::kSame}, G{3, 10, 1, 4, 1, 3, 1, 1, Padding::kSame}}) {
      ConvCase c = base;
      c.height = geo.h;
      c.width = geo.w;
      c.kernel_h = geo.kh;
      c.kernel_w = geo.kw;
      c.stride_h = geo.sh;
      c.stride_w = geo.sw;
      c.dilation_h = geo.dh;
      c.dilation_w = geo.dw;
      c.padding = geo.p;
      c.in_channels = 5;
      c.out_channels = depthwise ? 5 : 3;
      c.seed = seed++;
      cases.push_back(c);
    }
    // Activations and saturation: tiny output scale (everything clamps), huge bias, batches.
    for (Activation act : {Activation::kRelu, Activation::kRelu6, Activation::kReluN1To1}) {
      ConvCase c = base;
      c.activation = act;
      c.seed = seed++;
      cases.push_back(c);
    }
    ConvCase sat = base;
    sat.output_scale = 0.0005f;
    sat.seed = seed++;
    cases.push_back(sat);
    ConvCase big = base;
    big.bias_range = 2000000000;
    big.output_scale = 50.0f;
    big.seed = seed++;
    cases.push_back(big);
    ConvCase nobias = base;
    nobias.has_bias = false;
    nobias.batches = 2;
    nobias.seed = seed++;
    cases.push_back(nobias);
    ConvCase up = base;  // a multiplier above one (positive shift)
    up.output_scale = 0.0001f;
    up.weight_scale = 0.5f;
    up.seed = seed++;
    cases.push_back(up);
  }
  if (depthwise) {
    for (int m : {2, 3}) {
      for (int ch : {1, 3, 4}) {
        ConvCase c;
        c.depth_multiplier = m;
        c.in_channels = ch;
        c.seed = seed++;
        cases.push_back(c);
        c.dtype = DType::kUInt8;
        c.per_channel = false;
        c.input_zp = 120;
        c.weight_zp = 7;
        c.output_zp = 9;
        c.seed = seed++;
        cases.push_back(c);
      }
    }
  }
  return cases;
}

std::vector<ConvCase> FcCases() {
  std::vector<ConvCase> cases;
  uint64_t seed = 500;
  for (const ConvCase& base : Flavours()) {
    for (int depth : {1, 3, 17, 64, 200}) {
      for (int out : {1, 5, 16}) {
        ConvCase c = base;
        c.in_channels = depth;
        c.out_channels = out;
        c.batches = depth == 17 ? 3 : 1;
        c.seed = seed++;
        cases.push_back(c);
      }
    }
    ConvCase sat = base;
    sat.in_channels = 33;
    sat.output_scale = 0.0005f;
    sat.activation = Activation::kRelu6;
    sat.seed = seed++;
    cases.push_back(sat);
  }
  return cases;
}

enum class Kind { kConv, kDepthwise, kFc, kPadConv, kPadDepthwise };

std::vector<Graph> Models(Kind kind, std::vector<std::string>* names) {
  std::vector<Graph> out;
  std::vector<ConvCase> cases;
  switch (kind) {
    case Kind::kConv: cases = ConvCases(false); break;
    case Kind::kDepthwise: cases = ConvCases(true); break;
    case Kind::kFc: cases = FcCases(); break;
    case Kind::kPadConv:
    case Kind::kPadDepthwise: {
      uint64_t seed = 900;
      for (const ConvCase& base : Flavours()) {
        for (auto [t, b, l, r] : {std::tuple{1, 1, 1, 1}, std::tuple{0, 1, 0, 1}, std::tuple{2, 0, 1, 3}}) {
          for (Padding p : {Padding::kValid, Padding::kSame}) {
            ConvCase c = base;
            c.explicit_pad = true;
            c.pad_top = t;
            c.pad_bottom = b;
            c.pad_left = l;
            c.pad_right = r;
            c.padding = p;
            c.stride_h = c.stride_w = (t + l) % 2 + 1;
            c.in_channels = 4;
            c.out_channels = 4;
            c.seed = seed++;
            cases.push_back(c);
          }
        }
      }
      break;
    }
  }
  for (const ConvCase& c : cases) {
    names->push_back(c.Name());
    switch (kind) {
      case Kind::kConv:
      case Kind::kPadConv: out.push_back(testmodels::Conv2DModel(c)); break;
      case Kind::kDepthwise:
      case Kind::kPadDepthwise: out.push_back(testmodels::DepthwiseConv2DModel(c)); break;
      case Kind::kFc: out.push_back(testmodels::FullyConnectedModel(c)); break;
    }
  }
  return out;
}

class ConvDiff : public ::testing::TestWithParam<std::tuple<Kind, Arith>> {};

TEST_P(ConvDiff, GeneratedCMatchesInterpreter) {
  const auto [kind, arith] = GetParam();
  std::vector<std::string> names;
  const std::vector<Graph> models = Models(kind, &names);
  const Graph g = testmodels::Bundle(models);
  DiffOptions options;
  options.sanitized_flags = "-O0";  // the sanitizers find the same UB; clang -O1/-O2 with them costs minutes here
  const std::string diff =
      DiffAgainstInterpreter(g, arith, {testmodels::RandomInputs(g, 7), testmodels::RandomInputs(g, 8)}, options);
  EXPECT_EQ(diff, "") << "(" << models.size() << " cases; output k is case k)";
  if (!diff.empty()) {
    const size_t pos = diff.find("output ");
    const int k = std::stoi(diff.substr(pos + 7));
    ADD_FAILURE() << "first failing case: " << names[static_cast<size_t>(k)];
  }
}

std::string CaseName(const ::testing::TestParamInfo<std::tuple<Kind, Arith>>& info) {
  static const char* kNames[] = {"conv", "depthwise", "fc", "pad_conv", "pad_depthwise"};
  return std::string(kNames[static_cast<int>(std::get<0>(info.param))]) + "_" + ArithName(std::get<1>(info.param));
}

INSTANTIATE_TEST_SUITE_P(All, ConvDiff,
                         ::testing::Combine(::testing::Values(Kind::kConv, Kind::kDepthwise, Kind::kFc, Kind::kPadConv,
                                                              Kind::kPadDepthwise),
                                            ::testing::Values(Arith::kTflm, Arith::kTflite)),
                         CaseName);

}  // namespace
}  // namespace tinyfuse::codegen
