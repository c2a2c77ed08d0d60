// Benchmarks over both shared corpora (../shared: models, goldens, anchors; breadth/models and
// breadth/goldens when present), printed as tables with ratios against TFLite Micro's figures (models the
// compiler cannot compile yet get one line saying why). These are commands, not tests: they measure, they do not assert (beyond
// checking that every output they time is the golden output, so a fast wrong kernel cannot look good).
//
//  memory     per model: raw-graph floor, fused floor (no in-place reuse), the arena without and with in-place
//             kernels (--in-place none / auto), how many outputs went in place and how many kernels took
//             their in-place variant, every planner's arena, TFLite Micro's planned bytes and the ratio.
//  host       per model: instructions per inference (callgrind, -O2) of the generated C and of the
//             interpreter, next to TFLite Micro's reference and CMSIS-NN-portable kernels (anchors/tflm_x86.tsv).
//  cortex-m4  per model: instructions per inference on the emulated Cortex-M4 (QEMU -icount plugin), flash
//             and RAM, next to TFLite Micro's figures on the same board (anchors/tflm_cortex_m4.tsv).
#pragma once

#include <string>
#include <vector>

namespace tinyfuse {

struct BenchOptions {
  std::string shared_dir;           // holds models/, goldens/, anchors/
  std::vector<std::string> models;  // empty: every model of both corpora (goldens/, breadth/goldens/)
  std::string self_exe;             // the tinyfuse binary (the host benchmark runs its interpreter)
  bool skip_interpreter = false;    // host: skip the (slow) interpreter column
};

// Each prints its table to stdout as rows complete. Throws Error when the corpus is missing.
void BenchMemory(const BenchOptions& o);
void BenchHost(const BenchOptions& o);
void BenchCortexM(const BenchOptions& o, const std::string& cpu);

}  // namespace tinyfuse
