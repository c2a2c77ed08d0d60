#include "loop/dsp_lanes.h"

#include <optional>
#include <set>
#include <vector>

#include "loop/affine.h"
#include "loop/dsp_operands.h"
#include "loop/mutator.h"

namespace tinyfuse::loop {

namespace {

using dsp::Operand;
using dsp::PairLoader;
using dsp::ParseUpdate;
using dsp::Update;

// Whether update `u` is lane `lane` of the quad that starts at `base`: same buffers and offsets, both
// operands `lane` bytes further.
bool IsLane(const Update& base, const Update& u, int64_t lane) {
  auto same = [&](const Operand& x, const Operand& y) {
    if (x.buffer != y.buffer || x.offset != y.offset) return false;
    const std::optional<int64_t> d = ConstantDistance(x.index, y.index);
    return d && *d == lane;
  };
  return same(base.a, u.a) && same(base.b, u.b);
}

// A run of updates `acc_k += a[i + k] * b[j + k]` (k = 0..3, four distinct accumulators, in any order)
// becomes: the four bytes of each operand read as one word and split into pairs (bytes 0,2 and 1,3), and
// each accumulator takes one lane product: @smlabb (low lanes: bytes 0, 1) and @smlatt (high lanes:
// bytes 2, 3). Exact: each lane holds the operand's byte plus its offset, the product of two int16 lanes
// fits int32, and the add wraps like the reference's int32 accumulator (plain adds were proven to fit).
// Null unless every statement of `stmts` is such an update and they split into such quads.
Stmt LaneQuads(const std::vector<Stmt>& stmts) {
  if (stmts.empty() || stmts.size() % 4 != 0) return nullptr;
  std::vector<Update> updates;
  std::set<const BufferNode*> accs;
  for (const Stmt& s : stmts) {
    std::optional<Update> u = ParseUpdate(s, nullptr);
    if (!u || !accs.insert(u->acc.get()).second) return nullptr;
    updates.push_back(*u);
  }
  std::vector<bool> used(updates.size(), false);
  PairLoader pairs;
  std::vector<Stmt> body;
  for (size_t i = 0; i < updates.size(); ++i) {
    if (used[i]) continue;
    std::vector<const Update*> quad = {&updates[i]};
    used[i] = true;
    for (int64_t lane = 1; lane < 4; ++lane) {
      size_t k = 0;
      while (k < updates.size() && (used[k] || !IsLane(updates[i], updates[k], lane))) ++k;
      if (k == updates.size()) return nullptr;
      used[k] = true;
      quad.push_back(&updates[k]);
    }
    const auto [a02, a13] = pairs.Of(updates[i].a, updates[i].a.index);
    const auto [b02, b13] = pairs.Of(updates[i].b, updates[i].b.index);
    // Byte k of the words is lane k: bytes 0, 2 in (a02, b02), bytes 1, 3 in (a13, b13).
    const Expr a[4] = {a02, a13, a02, a13}, b[4] = {b02, b13, b02, b13};
    for (int k = 0; k < 4; ++k) {
      const Buffer& acc = quad[static_cast<size_t>(k)]->acc;
      const Intrinsic op = k < 2 ? Intrinsic::kSmlabb : Intrinsic::kSmlatt;
      body.push_back(Store(acc, Imm(0), Call(op, {a[k], b[k], Load(acc, Imm(0))})));
    }
  }
  return pairs.Wrap(Seq(body));
}

// Rewrites every Seq that LaneQuads accepts, anywhere in the statement.
class LaneRewriter : public IRMutator {
 public:
  bool found = false;

 protected:
  Stmt MutateSeq(const Stmt& s, const SeqNode* n) override {
    if (Stmt q = LaneQuads(n->stmts)) {
      found = true;
      return q;
    }
    return IRMutator::MutateSeq(s, n);
  }
};

}  // namespace

Stmt DspLanes(const Stmt& s, bool* found) {
  LaneRewriter r;
  Stmt out = r.Mutate(s);
  *found = *found || r.found;
  return out;
}

}  // namespace tinyfuse::loop
