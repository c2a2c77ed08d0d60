#include "loop/workspace.h"

#include <algorithm>

namespace tinyfuse::loop {

namespace {

// The end of the scratch bytes live in `s` when its enclosing Allocates end at `base`: places every
// multi-element Allocate at `base` rounded up to its element size and collects allocations on the way.
int64_t Place(const Stmt& s, int64_t base, KernelWorkspace* w) {
  if (!s) return base;
  switch (s->kind) {
    case StmtKind::kFor: return Place(As<ForNode>(s)->body, base, w);
    case StmtKind::kAllocate: {
      const AllocateNode* n = As<AllocateNode>(s);
      const Buffer& b = n->buffer;
      w->allocations.push_back(b);
      w->largest_allocate = std::max(w->largest_allocate, b->bytes());
      if (b->extent == 1) {
        ++w->scalars;
        return Place(n->body, base, w);
      }
      const int64_t align = ScalarTypeBytes(b->dtype);
      const int64_t offset = (base + align - 1) / align * align;
      w->scratch_offsets[b.get()] = offset;
      w->scratch_alignment = std::max(w->scratch_alignment, align);
      return std::max(offset + b->bytes(), Place(n->body, offset + b->bytes(), w));
    }
    case StmtKind::kStore: return base;
    case StmtKind::kIfThenElse: {
      const IfThenElseNode* n = As<IfThenElseNode>(s);
      return std::max(Place(n->then_case, base, w), Place(n->else_case, base, w));
    }
    case StmtKind::kLetStmt: return Place(As<LetStmtNode>(s)->body, base, w);
    case StmtKind::kSeq: {
      int64_t end = base;
      for (const Stmt& c : As<SeqNode>(s)->stmts) end = std::max(end, Place(c, base, w));
      return end;
    }
  }
  return base;
}

}  // namespace

KernelWorkspace AnalyzeWorkspace(const PrimFunc& f) {
  KernelWorkspace w;
  w.scratch_bytes = Place(f.body, 0, &w);
  for (size_t i = 0; i < f.params.size(); ++i) {
    (static_cast<int>(i) < f.num_inputs ? w.input_bytes : w.output_bytes) += f.params[i]->bytes();
  }
  return w;
}

}  // namespace tinyfuse::loop
