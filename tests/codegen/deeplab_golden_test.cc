// deeplabv3_mnv2_dm05_pascal_quant (uint8 1x513x513x3 -> int64 1x513x513 class map) against its TFLite-WASM
// goldens (../shared/breadth/goldens; skipped loudly when absent): the model's ARG_MAX (TFLite builtin,
// int64 indices) and RESIZE_BILINEAR (XNNPACK, align_corners). The generated C runs every case and the
// interpreter the two real images. While the model is not in tests/goldens/breadth_claims.txt the test only
// reports (how many cases and bytes match, then a loud skip); once claimed, every byte must match.
#include <gtest/gtest.h>

#include <algorithm>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "codegen/c_emitter.h"
#include "codegen/host_runner.h"
#include "common/error.h"
#include "driver/goldens.h"
#include "driver/io.h"
#include "interp/interpreter.h"
#include "loop/lower.h"
#include "driver/pipeline.h"
#include "tflite/importer.h"

namespace tinyfuse::codegen {
namespace {

constexpr const char* kModel = "deeplabv3_mnv2_dm05_pascal_quant";

// Bytes that differ between two outputs, and the first one (-1: none).
std::pair<int64_t, int64_t> Differences(const std::vector<uint8_t>& got, const std::vector<uint8_t>& want) {
  int64_t first = -1, count = got.size() == want.size() ? 0 : 1;
  for (size_t i = 0; i < got.size() && i < want.size(); ++i) {
    if (got[i] != want[i]) {
      if (first < 0) first = static_cast<int64_t>(i);
      ++count;
    }
  }
  return {count, first};
}

TEST(DeeplabGolden, MatchesTfliteWasm) {
  const std::string shared = SharedDirFromEnv();
  if (shared.empty()) GTEST_SKIP() << "TINYFUSE_SHARED_DIR is not set: deeplab golden test SKIPPED";
  const std::string breadth = shared + "/breadth";
  const auto manifest = ReadGoldenManifest(breadth);
  const auto it = manifest.find(kModel);
  if (it == manifest.end()) GTEST_SKIP() << "no deeplab goldens under " << breadth << ": SKIPPED";
  Graph g;
  loop::LoweredModel m;
  try {
    g = LoadModel(breadth + "/models/" + kModel + ".tflite");
    m = loop::LowerGraph(g, ChooseArith(g));
  } catch (const Error& e) {
    GTEST_SKIP() << "deeplab does not compile on this branch yet (SKIPPED): " << e.what();
  }
  const std::vector<std::string> claims = ReadGoldenClaims(TINYFUSE_BREADTH_CLAIMS);
  const bool claimed = std::find(claims.begin(), claims.end(), kModel) != claims.end();
  const Arith arith = ChooseArith(g);
  ASSERT_EQ(arith, Arith::kTflite);  // uint8 weights: the goldens' engine
  const GeneratedC c = EmitC(m, SequentialLayout(m), "deeplab");
  const HostProgram prog = HostProgram::Build(c);
  int matched = 0;
  for (const GoldenCase& k : it->second) {
    const std::vector<uint8_t> input = ReadFileBytes(breadth + "/goldens/" + k.input);
    const std::vector<uint8_t> want = ReadFileBytes(breadth + "/goldens/" + k.output);
    const auto got = prog.Run({input});
    ASSERT_EQ(got.size(), 1u);
    const auto [count, first] = Differences(got[0], want);
    if (claimed) {
      EXPECT_EQ(count, 0) << k.name << ": " << count << " of " << want.size() << " bytes differ, first at " << first;
    }
    if (count != 0) std::cout << "[ golden ] " << kModel << " " << k.name << ": " << count << " of " << want.size() << " bytes differ\n";
    matched += count == 0;
    if (k.name == "in4" || k.name == "in5") {  // the real images, through the interpreter too
      Interpreter interp(g, arith);
      interp.SetInput(0, input);
      interp.Invoke();
      const auto [icount, ifirst] = Differences(interp.Output(0), want);
      if (claimed) {
        EXPECT_EQ(icount, 0) << "interpreter " << k.name << ": first difference at " << ifirst;
      }
      if (icount != 0) std::cout << "[ golden ] interpreter " << k.name << ": " << icount << " bytes differ\n";
    }
  }
  std::cout << "[ golden ] " << kModel << " (" << ArithName(arith) << "): " << matched << "/" << it->second.size()
            << " cases byte-identical, " << m.kernels.size() << " kernels\n";
  if (!claimed) GTEST_SKIP() << kModel << " is not claimed (tests/goldens/breadth_claims.txt): reported only, SKIPPED";
}

}  // namespace
}  // namespace tinyfuse::codegen
