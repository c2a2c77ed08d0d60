#include "loop/in_place.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>

#include "loop/affine.h"
#include "loop/visitor.h"

namespace tinyfuse::loop {

namespace {

// A load of `in` or a store to `out`, with its place in the program.
struct Access {
  bool store = false;
  std::optional<Affine> index;
  std::vector<const ForNode*> loops;  // enclosing loops, outermost first
  int seq = 0;                         // evaluation order
};

class AccessCollector : public IRVisitor {
 public:
  AccessCollector(const BufferNode* in, const BufferNode* out) : in_(in), out_(out) {}

  void VisitFor(const ForNode* n) override {
    VisitExpr(n->min);
    VisitExpr(n->extent);
    loops_.push_back(n);
    VisitStmt(n->body);
    loops_.pop_back();
  }
  void VisitLetStmt(const LetStmtNode* n) override {
    VisitExpr(n->value);
    lets_[n->var.get()] = n->value;
    VisitStmt(n->body);
    lets_.erase(n->var.get());
  }
  void VisitStore(const StoreNode* st) override {
    IRVisitor::VisitStore(st);  // a store's index and value are visited before it is recorded
    if (st->buffer.get() == in_) in_stored = true;
    if (st->buffer.get() == out_) Record(true, st->index);
  }

  void VisitExpr(const Expr& e) override {
    IRVisitor::VisitExpr(e);
    const LoadNode* n = As<LoadNode>(e);
    if (n && n->buffer.get() == out_) out_loaded = true;
    if (n && n->buffer.get() == in_) Record(false, n->index);
  }

  std::vector<Access> accesses;
  bool in_stored = false, out_loaded = false;

 private:
  void Record(bool store, const Expr& index) {
    Access a;
    a.store = store;
    a.index = AffineOf(index, &lets_);
    a.loops = loops_;
    a.seq = seq_++;
    accesses.push_back(std::move(a));
  }

  const BufferNode* in_;
  const BufferNode* out_;
  std::vector<const ForNode*> loops_;
  LetValues lets_;
  int seq_ = 0;
};

bool ConstLoop(const ForNode* f, int64_t* min, int64_t* extent) {
  return IsConst(f->min, min) && IsConst(f->extent, extent);
}

// Every variable of `a` is the variable of one of `loops`.
bool OnlyLoopVars(const Affine& a, const std::vector<const ForNode*>& loops) {
  for (const auto& term : a.coef) {
    const auto* var = term.first;  // not a structured binding: clang 14 cannot capture those in a lambda
    if (std::none_of(loops.begin(), loops.end(), [&](const ForNode* f) { return f->var.get() == var; })) return false;
  }
  return true;
}

bool Pointwise(const std::vector<Access>& acc, std::string* why) {
  const Access* store = nullptr;
  for (const Access& a : acc) {
    if (!a.store) continue;
    if (store) {
      *why = "the output is stored more than once";
      return false;
    }
    store = &a;
  }
  if (!store->index || !OnlyLoopVars(*store->index, store->loops)) {
    *why = "the output index is not an affine form of its loops";
    return false;
  }
  // Injective: sorted by stride, each stride exceeds the span of the smaller ones.
  std::vector<std::pair<int64_t, int64_t>> strides;  // |coef|, extent
  for (const ForNode* f : store->loops) {
    int64_t mn = 0, ext = 0;
    if (!ConstLoop(f, &mn, &ext)) {
      *why = "a loop around the output store has non-constant bounds";
      return false;
    }
    if (ext <= 1) continue;
    auto it = store->index->coef.find(f->var.get());
    if (it == store->index->coef.end()) {
      *why = "a loop around the output store does not move its index";
      return false;
    }
    strides.push_back({std::llabs(it->second), ext});
  }
  std::sort(strides.begin(), strides.end());
  int64_t span = 0;
  for (const auto& [stride, ext] : strides) {
    if (stride <= span) {
      *why = "the output index is not injective over its loops";
      return false;
    }
    span += stride * (ext - 1);
  }
  for (const Access& a : acc) {
    if (a.store) continue;
    if (a.loops != store->loops || !a.index || !(*a.index == *store->index)) {
      *why = "an input load is not at the output element of the same iteration";
      return false;
    }
    if (a.seq > store->seq) {
      *why = "an input load comes after the output store";
      return false;
    }
  }
  return true;
}

bool Staged(const std::vector<Access>& acc, std::string* why) {
  const ForNode* outer = acc.front().loops.empty() ? nullptr : acc.front().loops.front();
  for (const Access& a : acc) {
    if (a.loops.empty() || a.loops.front() != outer) outer = nullptr;
  }
  int64_t m = 1;
  if (outer) {
    int64_t mn = 0;
    if (!ConstLoop(outer, &mn, &m) || m < 1) {
      *why = "the common outer loop has non-constant bounds";
      return false;
    }
    for (const Access& a : acc) {
      if (!a.index) {
        *why = "an index is not an affine form";
        return false;
      }
      for (const auto& [var, c] : a.index->coef) {
        const bool is_v = var == outer->var.get();
        if ((is_v && c != 1) || (!is_v && c % m != 0)) {
          *why = "an index is not the outer loop variable plus a multiple of its extent";
          return false;
        }
      }
      if (a.index->coef.count(outer->var.get()) == 0 || a.index->constant % m != 0) {
        *why = "an index is not the outer loop variable plus a multiple of its extent";
        return false;
      }
    }
  }
  const size_t common = outer ? 1 : 0;
  for (const Access& ld : acc) {
    if (ld.store) continue;
    for (const Access& st : acc) {
      if (!st.store) continue;
      const bool shared_inner_loop = ld.loops.size() > common && st.loops.size() > common &&
                                     ld.loops[common] == st.loops[common];
      if (shared_inner_loop || ld.seq > st.seq) {
        *why = "an input load does not precede every output store of its iteration";
        return false;
      }
    }
  }
  return true;
}

}  // namespace

const char* InPlaceProofName(InPlaceProof p) {
  switch (p) {
    case InPlaceProof::kNone: return "none";
    case InPlaceProof::kPointwise: return "pointwise";
    case InPlaceProof::kStaged: return "staged";
  }
  return "?";
}

InPlaceProof ProveInPlace(const PrimFunc& f, int input, int output, std::string* why) {
  std::string ignored;
  if (!why) why = &ignored;
  const int n = static_cast<int>(f.params.size());
  if (input < 0 || input >= f.num_inputs || output < f.num_inputs || output >= n) {
    *why = "not an (input, output) param pair";
    return InPlaceProof::kNone;
  }
  const BufferNode* in = f.params[static_cast<size_t>(input)].get();
  const BufferNode* out = f.params[static_cast<size_t>(output)].get();
  if (ScalarTypeBytes(in->dtype) != ScalarTypeBytes(out->dtype)) {
    *why = "element sizes differ";
    return InPlaceProof::kNone;
  }
  if (out->bytes() > in->bytes()) {
    *why = "the output is larger than the input";
    return InPlaceProof::kNone;
  }
  AccessCollector c(in, out);
  c.VisitStmt(f.body);
  if (c.in_stored || c.out_loaded) {
    *why = c.in_stored ? "the input is stored to" : "the output is loaded";
    return InPlaceProof::kNone;
  }
  if (std::none_of(c.accesses.begin(), c.accesses.end(), [](const Access& a) { return a.store; })) {
    *why = "the output is never stored";
    return InPlaceProof::kNone;
  }
  if (Pointwise(c.accesses, why)) return InPlaceProof::kPointwise;
  std::string pointwise_why = *why;
  if (Staged(c.accesses, why)) return InPlaceProof::kStaged;
  *why = "pointwise: " + pointwise_why + "; staged: " + *why;
  return InPlaceProof::kNone;
}

std::vector<InPlacePair> InPlacePairs(const PrimFunc& f) {
  std::vector<InPlacePair> out;
  for (int o = f.num_inputs; o < static_cast<int>(f.params.size()); ++o) {
    for (int i = 0; i < f.num_inputs; ++i) {
      const InPlaceProof p = ProveInPlace(f, i, o);
      if (p != InPlaceProof::kNone) out.push_back({i, o, p});
    }
  }
  return out;
}

}  // namespace tinyfuse::loop
