#include "loop/workspace.h"

#include <algorithm>

namespace tinyfuse::loop {

namespace {

// Peak scratch bytes live in `s`, collecting allocations on the way.
int64_t Peak(const Stmt& s, KernelWorkspace* w) {
  if (!s) return 0;
  switch (s->kind) {
    case StmtKind::kFor: return Peak(As<ForNode>(s)->body, w);
    case StmtKind::kAllocate: {
      const AllocateNode* n = As<AllocateNode>(s);
      w->allocations.push_back(n->buffer);
      w->largest_allocate = std::max(w->largest_allocate, n->buffer->bytes());
      int64_t own = 0;
      if (n->buffer->extent == 1) {
        ++w->scalars;
      } else {
        own = n->buffer->bytes();
      }
      return own + Peak(n->body, w);
    }
    case StmtKind::kStore: return 0;
    case StmtKind::kIfThenElse: {
      const IfThenElseNode* n = As<IfThenElseNode>(s);
      return std::max(Peak(n->then_case, w), Peak(n->else_case, w));
    }
    case StmtKind::kLetStmt: return Peak(As<LetStmtNode>(s)->body, w);
    case StmtKind::kSeq: {
      int64_t peak = 0;
      for (const Stmt& c : As<SeqNode>(s)->stmts) peak = std::max(peak, Peak(c, w));
      return peak;
    }
  }
  return 0;
}

}  // namespace

KernelWorkspace AnalyzeWorkspace(const PrimFunc& f) {
  KernelWorkspace w;
  w.scratch_bytes = Peak(f.body, &w);
  for (size_t i = 0; i < f.params.size(); ++i) {
    (static_cast<int>(i) < f.num_inputs ? w.input_bytes : w.output_bytes) += f.params[i]->bytes();
  }
  return w;
}

}  // namespace tinyfuse::loop
