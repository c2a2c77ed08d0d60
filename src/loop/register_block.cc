#include "loop/register_block.h"

#include "loop/dsp_lanes.h"
#include "loop/dsp_reduce.h"
#include "loop/mutator.h"
#include "loop/unroll_jam.h"

namespace tinyfuse::loop {

namespace {

// Vectorizes every innermost reduction loop (dsp_reduce.h), directly or after collapsing it with its
// tap-column loop.
class DspReducer : public IRMutator {
 protected:
  Stmt MutateFor(const Stmt& s, const ForNode* n) override {
    if (Stmt v = VectorizeReduction(n)) return v;
    if (const Stmt c = CollapseTapRun(n)) {
      if (Stmt v = VectorizeReduction(As<ForNode>(c))) return v;
    }
    return IRMutator::MutateFor(s, n);
  }
};

// Blocks each outermost accumulator loop: channels x pixels (conv, depthwise), or `single` (FC), or with
// DSP four depthwise channels as lanes.
class Blocker : public IRMutator {
 public:
  explicit Blocker(const RegisterBlockOptions& o) : o_(o) {}

 protected:
  Stmt MutateFor(const Stmt& s, const ForNode* n) override {
    if (IsAccumulatorLoop(n->body)) {
      if (o_.dsp) {  // four accumulators fed by four consecutive bytes: one lane each (dsp_lanes.h)
        bool found = false;
        const Stmt lanes = DspLanes(UnrollJam(n->body, 4), &found);
        if (found) return For(n->var, n->min, n->extent, lanes, n->for_kind);
      }
      const Stmt channels = UnrollJam(n->body, o_.channels);
      return Dsp(UnrollJam(For(n->var, n->min, n->extent, channels, n->for_kind), o_.pixels));
    }
    if (IsAccumulatorBlock(n->body)) return Dsp(UnrollJam(s, o_.single));
    return IRMutator::MutateFor(s, n);
  }

 private:
  Stmt Dsp(const Stmt& s) { return o_.dsp ? DspReducer().Mutate(s) : s; }

  const RegisterBlockOptions& o_;
};

}  // namespace

PrimFunc RegisterBlock(const PrimFunc& f, const RegisterBlockOptions& options) {
  PrimFunc out = f;
  out.body = Blocker(options).Mutate(f.body);
  return out;
}

}  // namespace tinyfuse::loop
