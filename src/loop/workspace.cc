#include "loop/workspace.h"

#include <algorithm>

#include "loop/visitor.h"

namespace tinyfuse::loop {

namespace {

// Places every multi-element Allocate at the end of the scratch bytes live around it, rounded up to its
// element size, and collects allocations on the way.
class Placer : public IRVisitor {
 public:
  explicit Placer(KernelWorkspace* w) : w_(w) {}

  // The end of the scratch bytes live in `s` when its enclosing Allocates end at `base`.
  int64_t Place(const Stmt& s, int64_t base) {
    const int64_t saved_base = base_, saved_end = end_;
    base_ = end_ = base;
    VisitStmt(s);
    const int64_t end = end_;
    base_ = saved_base;
    end_ = saved_end;
    return end;
  }

 protected:
  void VisitExpr(const Expr&) override {}
  void VisitAllocate(const AllocateNode* n) override {
    const Buffer& b = n->buffer;
    w_->allocations.push_back(b);
    w_->largest_allocate = std::max(w_->largest_allocate, b->bytes());
    if (b->extent == 1) {
      ++w_->scalars;
      end_ = std::max(end_, Place(n->body, base_));
      return;
    }
    const int64_t align = ScalarTypeBytes(b->dtype);
    const int64_t offset = (base_ + align - 1) / align * align;
    w_->scratch_offsets[b.get()] = offset;
    w_->scratch_alignment = std::max(w_->scratch_alignment, align);
    end_ = std::max({end_, offset + b->bytes(), Place(n->body, offset + b->bytes())});
  }
  void VisitIfThenElse(const IfThenElseNode* n) override {
    end_ = std::max({end_, Place(n->then_case, base_), Place(n->else_case, base_)});
  }
  void VisitSeq(const SeqNode* n) override {
    for (const Stmt& c : n->stmts) end_ = std::max(end_, Place(c, base_));
  }

 private:
  KernelWorkspace* w_;
  int64_t base_ = 0, end_ = 0;
};

}  // namespace

KernelWorkspace AnalyzeWorkspace(const PrimFunc& f) {
  KernelWorkspace w;
  w.scratch_bytes = Placer(&w).Place(f.body, 0);
  for (size_t i = 0; i < f.params.size(); ++i) {
    (static_cast<int>(i) < f.num_inputs ? w.input_bytes : w.output_bytes) += f.params[i]->bytes();
  }
  return w;
}

}  // namespace tinyfuse::loop
