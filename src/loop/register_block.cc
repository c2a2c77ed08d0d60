#include "loop/register_block.h"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <vector>

#include "common/packed16.h"
#include "loop/interval.h"
#include "loop/visitor.h"

namespace tinyfuse::loop {

namespace {

// Replaces variables and buffers; shared subexpressions stay shared (one result per input node), and an
// unchanged subtree is returned as is.
class Substitution {
 public:
  std::map<const VarNode*, Expr> vars;
  std::map<const BufferNode*, Buffer> buffers;

  bool Touches(const Expr& e) const {
    struct Finder : IRVisitor {
      const Substitution* s;
      bool found = false;
      void VisitExpr(const Expr& x) override {
        if (const VarNode* v = As<VarNode>(x); v && s->vars.count(v)) found = true;
        if (const LoadNode* l = As<LoadNode>(x); l && s->buffers.count(l->buffer.get())) found = true;
        IRVisitor::VisitExpr(x);
      }
    } f;
    f.s = this;
    f.VisitExpr(e);
    return f.found;
  }

  Expr E(const Expr& e) {
    if (!e) return e;
    auto it = memo_.find(e.get());
    if (it != memo_.end()) return it->second;
    Expr r = Rebuild(e);
    memo_[e.get()] = r;
    return r;
  }

  Buffer B(const Buffer& b) const {
    auto it = buffers.find(b.get());
    return it == buffers.end() ? b : it->second;
  }

  // Call after changing `vars` or `buffers`.
  void Changed() { memo_.clear(); }

  Stmt S(const Stmt& s) {
    if (!s) return s;
    switch (s->kind) {
      case StmtKind::kFor: {
        const ForNode* n = As<ForNode>(s);
        return For(n->var, E(n->min), E(n->extent), S(n->body), n->for_kind);
      }
      case StmtKind::kAllocate: {
        const AllocateNode* n = As<AllocateNode>(s);
        return Allocate(B(n->buffer), S(n->body));
      }
      case StmtKind::kStore: {
        const StoreNode* n = As<StoreNode>(s);
        return Store(B(n->buffer), E(n->index), E(n->value));
      }
      case StmtKind::kIfThenElse: {
        const IfThenElseNode* n = As<IfThenElseNode>(s);
        return IfThenElse(E(n->cond), S(n->then_case), S(n->else_case));
      }
      case StmtKind::kLetStmt: {
        const LetStmtNode* n = As<LetStmtNode>(s);
        const Expr value = E(n->value);
        auto it = vars.find(n->var.get());
        const Var v = it == vars.end() ? n->var : std::static_pointer_cast<const VarNode>(it->second);
        return LetStmt(v, value, S(n->body));
      }
      case StmtKind::kSeq: {
        std::vector<Stmt> out;
        for (const Stmt& c : As<SeqNode>(s)->stmts) out.push_back(S(c));
        return Seq(out);
      }
    }
    return s;
  }

 private:
  Expr Rebuild(const Expr& e) {
    switch (e->kind) {
      case ExprKind::kIntImm:
      case ExprKind::kFloatImm: return e;
      case ExprKind::kVar: {
        auto it = vars.find(As<VarNode>(e));
        return it == vars.end() ? e : it->second;
      }
      case ExprKind::kLoad: {
        const LoadNode* n = As<LoadNode>(e);
        const Buffer b = B(n->buffer);
        const Expr i = E(n->index);
        return b == n->buffer && i == n->index ? e : Load(b, i);
      }
      case ExprKind::kBinary: {
        const BinaryNode* n = As<BinaryNode>(e);
        const Expr a = E(n->a), b = E(n->b);
        return a == n->a && b == n->b ? e : Binary(n->op, a, b);
      }
      case ExprKind::kNot: {
        const Expr a = E(As<NotNode>(e)->a);
        return a == As<NotNode>(e)->a ? e : Not(a);
      }
      case ExprKind::kSelect: {
        const SelectNode* n = As<SelectNode>(e);
        const Expr c = E(n->cond), t = E(n->true_value), f = E(n->false_value);
        return c == n->cond && t == n->true_value && f == n->false_value ? e : Select(c, t, f);
      }
      case ExprKind::kCast: {
        const CastNode* n = As<CastNode>(e);
        const Expr v = E(n->value);
        return v == n->value ? e : Cast(n->type, v);
      }
      case ExprKind::kCall: {
        const CallNode* n = As<CallNode>(e);
        std::vector<Expr> args;
        bool same = true;
        for (const Expr& a : n->args) {
          args.push_back(E(a));
          same = same && args.back() == a;
        }
        return same ? e : Call(n->op, args);
      }
    }
    return e;
  }

  std::map<const ExprNode*, Expr> memo_;
};

// Thrown (and caught in JamLoop) when a loop cannot be jammed.
struct CannotJam {};

// The copies of one unrolled loop body, jammed into one statement.
class Jammer {
 public:
  explicit Jammer(std::vector<Substitution> copies) : copies_(std::move(copies)) {}

  Stmt Jam(const Stmt& s) {
    if (!s) return s;
    switch (s->kind) {
      case StmtKind::kFor: {
        const ForNode* n = As<ForNode>(s);
        if (Touched(n->min) || Touched(n->extent)) throw CannotJam{};
        return For(n->var, n->min, n->extent, Jam(n->body), n->for_kind);
      }
      case StmtKind::kAllocate: {
        const AllocateNode* n = As<AllocateNode>(s);
        std::vector<Buffer> mine;
        for (Substitution& c : copies_) {
          const Buffer b = LocalBuffer(n->buffer->name, n->buffer->dtype, n->buffer->shape);
          c.buffers[n->buffer.get()] = b;
          c.Changed();
          mine.push_back(b);
        }
        Stmt body = Jam(n->body);
        for (auto it = mine.rbegin(); it != mine.rend(); ++it) body = Allocate(*it, body);
        return body;
      }
      case StmtKind::kStore: {
        std::vector<Stmt> out;
        for (Substitution& c : copies_) out.push_back(c.S(s));
        return Seq(out);
      }
      case StmtKind::kIfThenElse: {
        const IfThenElseNode* n = As<IfThenElseNode>(s);
        if (Touched(n->cond)) throw CannotJam{};
        return IfThenElse(n->cond, Jam(n->then_case), Jam(n->else_case));
      }
      case StmtKind::kLetStmt: {
        const LetStmtNode* n = As<LetStmtNode>(s);
        if (!Touched(n->value)) return LetStmt(n->var, n->value, Jam(n->body));
        std::vector<std::pair<Var, Expr>> lets;
        for (Substitution& c : copies_) {
          const Expr value = c.E(n->value);
          const Var v = MakeVar(n->var->name_hint, n->var->type);
          c.vars[n->var.get()] = v;
          c.Changed();
          lets.emplace_back(v, value);
        }
        Stmt body = Jam(n->body);
        for (auto it = lets.rbegin(); it != lets.rend(); ++it) body = LetStmt(it->first, it->second, body);
        return body;
      }
      case StmtKind::kSeq: {
        std::vector<Stmt> out;
        for (const Stmt& c : As<SeqNode>(s)->stmts) out.push_back(Jam(c));
        return Seq(out);
      }
    }
    return s;
  }

 private:
  bool Touched(const Expr& e) const { return copies_.front().Touches(e); }
  std::vector<Substitution> copies_;
};

// Buffers a statement stores to / loads from, and the locals it allocates.
struct Accesses : IRVisitor {
  std::set<const BufferNode*> stored, loaded, allocated;
  void VisitExpr(const Expr& e) override {
    if (const LoadNode* l = As<LoadNode>(e)) loaded.insert(l->buffer.get());
    IRVisitor::VisitExpr(e);
  }
  void VisitStmt(const Stmt& s) override {
    if (const StoreNode* n = As<StoreNode>(s)) stored.insert(n->buffer.get());
    if (const AllocateNode* n = As<AllocateNode>(s)) allocated.insert(n->buffer.get());
    IRVisitor::VisitStmt(s);
  }
};

// Whether the iterations of a loop with this body are independent: every buffer it writes is either
// allocated inside it or never read inside it.
bool IndependentIterations(const Stmt& body) {
  Accesses a;
  a.VisitStmt(body);
  for (const BufferNode* b : a.stored) {
    if (a.allocated.count(b)) continue;
    if (b->kind == BufferKind::kLocal || a.loaded.count(b)) return false;
  }
  return true;
}

// Whether `s` is an accumulator block: an Allocate of a one-element int32 local holding a loop.
bool IsAccumulatorBlock(const Stmt& s) {
  const AllocateNode* n = As<AllocateNode>(s);
  if (!n || n->buffer->extent != 1 || n->buffer->dtype != ScalarType::kInt32) return false;
  struct HasFor : IRVisitor {
    bool found = false;
    void VisitStmt(const Stmt& x) override {
      if (As<ForNode>(x)) found = true;
      IRVisitor::VisitStmt(x);
    }
  } h;
  h.VisitStmt(n->body);
  return h.found;
}

bool IsAccumulatorLoop(const Stmt& s) {
  const ForNode* n = As<ForNode>(s);
  return n && IsAccumulatorBlock(n->body);
}

// Unroll-and-jam of loop `s` by `factor`; `s` itself when that is not possible or not worth it.
Stmt JamLoop(const Stmt& s, int factor) {
  const ForNode* n = As<ForNode>(s);
  int64_t mn = 0, ext = 0;
  if (!n || factor < 2 || !IsConst(n->min, &mn) || !IsConst(n->extent, &ext) || ext < factor ||
      !IndependentIterations(n->body)) {
    return s;
  }
  const int64_t groups = ext / factor;
  const Var outer = MakeVar(n->var->name_hint);
  std::vector<Substitution> copies(static_cast<size_t>(factor));
  for (int j = 0; j < factor; ++j) {
    copies[static_cast<size_t>(j)].vars[n->var.get()] =
        groups == 1 ? Imm(mn + j) : Add(Mul(outer, Imm(factor)), Imm(mn + j));
  }
  Stmt jammed;
  try {
    jammed = Jammer(std::move(copies)).Jam(n->body);
  } catch (const CannotJam&) {
    return s;
  }
  std::vector<Stmt> out = {groups == 1 ? jammed : For(outer, Imm(0), Imm(groups), jammed, n->for_kind)};
  const int64_t rest = ext - groups * factor;
  if (rest > 0) out.push_back(For(n->var, Imm(mn + groups * factor), Imm(rest), n->body, n->for_kind));
  return Seq(out);
}

// ---------------------------------------------------------------------------------------------------
// DSP: packed multiply-accumulate of contiguous 8-bit operands
// ---------------------------------------------------------------------------------------------------

// The coefficient of `v` in `e` when e is affine in v (sums, differences and products by constants of
// v and of terms that do not mention it), else nullopt.
std::optional<int64_t> Coefficient(const Expr& e, const VarNode* v) {
  if (const VarNode* x = As<VarNode>(e)) return x == v ? 1 : 0;
  if (As<IntImmNode>(e)) return 0;
  if (const BinaryNode* b = As<BinaryNode>(e)) {
    if (b->op == BinaryOp::kAdd || b->op == BinaryOp::kSub || b->op == BinaryOp::kMul) {
      const std::optional<int64_t> ca = Coefficient(b->a, v), cb = Coefficient(b->b, v);
      if (!ca || !cb) return std::nullopt;
      if (b->op == BinaryOp::kAdd) return *ca + *cb;
      if (b->op == BinaryOp::kSub) return *ca - *cb;
      int64_t k = 0;
      if (IsConst(b->a, &k)) return k * *cb;
      if (IsConst(b->b, &k)) return k * *ca;
      if (*ca == 0 && *cb == 0) return 0;
      return std::nullopt;
    }
  }
  Substitution probe;
  probe.vars[v] = Imm(0);
  return probe.Touches(e) ? std::nullopt : std::optional<int64_t>(0);
}

// One side of a product: an 8-bit load cast to int32, plus a constant; with a loop variable `v`, its index
// must advance by one per iteration of v.
struct Operand {
  Buffer buffer;
  Expr index;
  int64_t offset = 0;
};

std::optional<Operand> ParseOperand(const Expr& e, const VarNode* v) {
  Operand o;
  Expr x = e;
  if (const BinaryNode* b = As<BinaryNode>(e); b && (b->op == BinaryOp::kAdd || b->op == BinaryOp::kSub)) {
    int64_t c = 0;
    if (!IsConst(b->b, &c)) return std::nullopt;
    o.offset = b->op == BinaryOp::kAdd ? c : -c;
    x = b->a;
  }
  const CastNode* cast = As<CastNode>(x);
  const LoadNode* load = cast && cast->type == ScalarType::kInt32 ? As<LoadNode>(cast->value) : nullptr;
  if (!load || (load->type != ScalarType::kInt8 && load->type != ScalarType::kUInt8)) return std::nullopt;
  // Each lane holds the byte plus the offset: it must fit int16.
  const int64_t lo = ScalarTypeMin(load->type) + o.offset, hi = ScalarTypeMax(load->type) + o.offset;
  if (lo < -32768 || hi > 32767) return std::nullopt;
  if (v) {
    const std::optional<int64_t> c = Coefficient(load->index, v);
    if (!c || *c != 1) return std::nullopt;
  }
  o.buffer = load->buffer;
  o.index = load->index;
  return o;
}

// acc = acc + a * b (or @wrapping_add(acc, a * b)) on a one-element local.
struct Update {
  Buffer acc;
  Operand a, b;
};

std::optional<Update> ParseUpdate(const Stmt& s, const VarNode* v) {
  const StoreNode* st = As<StoreNode>(s);
  if (!st || st->buffer->kind != BufferKind::kLocal || st->buffer->extent != 1 ||
      st->buffer->dtype != ScalarType::kInt32) {
    return std::nullopt;
  }
  Expr acc, term;
  if (const BinaryNode* add = As<BinaryNode>(st->value); add && add->op == BinaryOp::kAdd) {
    acc = add->a;
    term = add->b;
  } else if (const CallNode* c = As<CallNode>(st->value); c && c->op == Intrinsic::kWrappingAdd) {
    acc = c->args[0];
    term = c->args[1];
  } else {
    return std::nullopt;
  }
  const LoadNode* read = As<LoadNode>(acc);
  const BinaryNode* mul = As<BinaryNode>(term);
  if (!read || read->buffer != st->buffer || !mul || mul->op != BinaryOp::kMul) return std::nullopt;
  const std::optional<Operand> a = ParseOperand(mul->a, v), b = ParseOperand(mul->b, v);
  if (!a || !b) return std::nullopt;
  return Update{st->buffer, *a, *b};
}

// The four bytes of an operand at `index`.. index + 3 as two pairs (bytes 0,2 and bytes 1,3, plus the
// operand's offset in each lane), bound to variables once per operand; Wrap puts the bindings around
// the statement that uses them.
class PairLoader {
 public:
  std::pair<Expr, Expr> Of(const Operand& o, const Expr& index) {
    const Key key{o.buffer.get(), o.index.get(), o.offset};
    auto it = lanes_.find(key);
    if (it != lanes_.end()) return it->second;
    const Var base = MakeVar(o.buffer->name + "_at");
    lets_.emplace_back(base, index);
    std::vector<Expr> bytes;
    for (int k = 0; k < 4; ++k) bytes.push_back(Cast(ScalarType::kInt32, Load(o.buffer, k == 0 ? Expr(base) : Add(base, Imm(k)))));
    const Var word = MakeVar(o.buffer->name + "_x4");
    lets_.emplace_back(word, Call(Intrinsic::kPack4, bytes));
    const bool sign = o.buffer->dtype == ScalarType::kInt8;
    const Intrinsic extend[2] = {sign ? Intrinsic::kSxtb16 : Intrinsic::kUxtb16,
                                 sign ? Intrinsic::kSxtb16Ror8 : Intrinsic::kUxtb16Ror8};
    const int32_t offset = PairOf(static_cast<int32_t>(o.offset), static_cast<int32_t>(o.offset));
    std::pair<Expr, Expr> r;
    for (int half = 0; half < 2; ++half) {
      Expr pair = Call(extend[half], {word});
      if (o.offset != 0) pair = Call(Intrinsic::kAdd16, {pair, Imm(offset)});
      const Var p = MakeVar(o.buffer->name + (half == 0 ? "_02" : "_13"));
      lets_.emplace_back(p, pair);
      (half == 0 ? r.first : r.second) = p;
    }
    lanes_[key] = r;
    return r;
  }

  Stmt Wrap(Stmt s) const {
    for (auto it = lets_.rbegin(); it != lets_.rend(); ++it) s = LetStmt(it->first, it->second, s);
    return s;
  }

 private:
  using Key = std::tuple<const BufferNode*, const ExprNode*, int64_t>;
  std::map<Key, std::pair<Expr, Expr>> lanes_;
  std::vector<std::pair<Var, Expr>> lets_;
};

Stmt Vectorize(const ForNode* n) {
  int64_t mn = 0, ext = 0;
  if (!IsConst(n->min, &mn) || !IsConst(n->extent, &ext) || ext < 4) return nullptr;
  std::vector<Stmt> stmts;
  if (const SeqNode* seq = As<SeqNode>(n->body)) {
    stmts = seq->stmts;
  } else {
    stmts = {n->body};
  }
  std::vector<Update> updates;
  std::set<const BufferNode*> accs;
  for (const Stmt& s : stmts) {
    std::optional<Update> u = ParseUpdate(s, n->var.get());
    if (!u || !accs.insert(u->acc.get()).second) return nullptr;
    updates.push_back(*u);
  }
  // The group loop: u4 over [0, ext / 4); the operands' bytes at v = mn + 4 * u4 + 0..3.
  const Var u4 = MakeVar(n->var->name_hint + "4");
  Substitution at;
  at.vars[n->var.get()] = Add(Mul(u4, Imm(4)), Imm(mn));
  PairLoader pairs;
  std::vector<Stmt> body;
  for (const Update& u : updates) {
    const auto [a02, a13] = pairs.Of(u.a, at.E(u.a.index));
    const auto [b02, b13] = pairs.Of(u.b, at.E(u.b.index));
    const Expr acc = Load(u.acc, Imm(0));
    body.push_back(Store(u.acc, Imm(0), Call(Intrinsic::kSmlad, {a02, b02, Call(Intrinsic::kSmlad, {a13, b13, acc})})));
  }
  const int64_t groups = ext / 4, rest = ext % 4;
  std::vector<Stmt> out = {For(u4, Imm(0), Imm(groups), pairs.Wrap(Seq(body)))};
  if (rest > 0) out.push_back(For(n->var, Imm(mn + 4 * groups), Imm(rest), n->body, n->for_kind));
  return Seq(out);
}

// ---------------------------------------------------------------------------------------------------
// DSP lanes: four accumulators whose operands are four consecutive bytes
// ---------------------------------------------------------------------------------------------------

// An index as sum coef[v] * v + constant (sums, differences and products by constants), or nullopt.
struct Affine {
  std::map<const VarNode*, int64_t> coef;
  int64_t constant = 0;
};

std::optional<Affine> AffineOf(const Expr& e) {
  Affine r;
  if (const VarNode* x = As<VarNode>(e)) {
    r.coef[x] = 1;
    return r;
  }
  if (IsConst(e, &r.constant)) return r;
  const BinaryNode* b = As<BinaryNode>(e);
  if (!b || (b->op != BinaryOp::kAdd && b->op != BinaryOp::kSub && b->op != BinaryOp::kMul)) return std::nullopt;
  const std::optional<Affine> x = AffineOf(b->a), y = AffineOf(b->b);
  if (!x || !y) return std::nullopt;
  if (b->op == BinaryOp::kMul) {
    const Affine* k = x->coef.empty() ? &*x : y->coef.empty() ? &*y : nullptr;
    if (!k) return std::nullopt;
    const Affine& f = k == &*x ? *y : *x;
    for (const auto& [v, c] : f.coef) {
      if (c * k->constant != 0) r.coef[v] = c * k->constant;
    }
    r.constant = f.constant * k->constant;
    return r;
  }
  const int64_t sign = b->op == BinaryOp::kAdd ? 1 : -1;
  r = *x;
  for (const auto& [v, c] : y->coef) {
    const int64_t sum = r.coef[v] + sign * c;
    if (sum == 0) {
      r.coef.erase(v);
    } else {
      r.coef[v] = sum;
    }
  }
  r.constant += sign * y->constant;
  return r;
}

// b - a when the two indices differ by a constant, else nullopt.
std::optional<int64_t> ConstantDistance(const Expr& a, const Expr& b) {
  const std::optional<Affine> x = AffineOf(a), y = AffineOf(b);
  if (!x || !y || x->coef != y->coef) return std::nullopt;
  return y->constant - x->constant;
}

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

// A loop `for o { let ... { for i { updates } } }` whose updates read their operands at indices where one
// step of o moves as far as extent(i) steps of i (a tap row of a conv: the input columns and channels,
// and the filter's, are one contiguous run) becomes one loop over extent(o) * extent(i) consecutive
// indices, with the lets substituted; so a short channel reduction (3 for an RGB input) vectorizes as
// one longer run. Null when the pattern does not hold. Same products in the same accumulators; only the
// order of the int32 adds changes (exact, see register_block.h).
Stmt Collapse(const ForNode* n) {
  int64_t omin = 0, oext = 0;
  if (!IsConst(n->min, &omin) || !IsConst(n->extent, &oext)) return nullptr;
  Substitution lets;
  Stmt body = n->body;
  while (const LetStmtNode* let = As<LetStmtNode>(body)) {
    lets.vars[let->var.get()] = lets.E(let->value);
    lets.Changed();
    body = let->body;
  }
  const ForNode* inner = As<ForNode>(body);
  int64_t imin = 0, iext = 0;
  if (!inner || !IsConst(inner->min, &imin) || !IsConst(inner->extent, &iext) || iext % 4 == 0) return nullptr;
  const Stmt updates = lets.S(inner->body);
  const SeqNode* seq = As<SeqNode>(updates);
  const std::vector<Stmt> stmts = seq ? seq->stmts : std::vector<Stmt>{updates};
  for (const Stmt& st : stmts) {
    const std::optional<Update> u = ParseUpdate(st, inner->var.get());
    if (!u) return nullptr;
    for (const Operand* o : {&u->a, &u->b}) {
      const std::optional<Affine> f = AffineOf(o->index);
      if (!f) return nullptr;
      auto coef = [&](const VarNode* v) {
        auto it = f->coef.find(v);
        return it == f->coef.end() ? int64_t{0} : it->second;
      };
      if (coef(inner->var.get()) != 1 || coef(n->var.get()) != iext) return nullptr;
    }
  }
  const Var t = MakeVar(inner->var->name_hint);
  Substitution flat;
  flat.vars[n->var.get()] = Imm(omin);
  flat.vars[inner->var.get()] = imin == 0 ? Expr(t) : Add(t, Imm(imin));
  return For(t, Imm(0), Imm(oext * iext), flat.S(updates), inner->for_kind);
}

using SeqHook = std::function<Stmt(const std::vector<Stmt>&)>;

// Rebuilds `s` with each outermost For replaced by on_for(that For); on_for descends further itself. A
// Seq met on the way is first offered to on_seq (when given), whose non-null result replaces it.
Stmt MapOuterLoops(const Stmt& s, const std::function<Stmt(const Stmt&)>& on_for, const SeqHook& on_seq = nullptr) {
  if (!s) return s;
  switch (s->kind) {
    case StmtKind::kFor: return on_for(s);
    case StmtKind::kAllocate: {
      const AllocateNode* n = As<AllocateNode>(s);
      return Allocate(n->buffer, MapOuterLoops(n->body, on_for, on_seq));
    }
    case StmtKind::kStore: return s;
    case StmtKind::kIfThenElse: {
      const IfThenElseNode* n = As<IfThenElseNode>(s);
      return IfThenElse(n->cond, MapOuterLoops(n->then_case, on_for, on_seq), MapOuterLoops(n->else_case, on_for, on_seq));
    }
    case StmtKind::kLetStmt: {
      const LetStmtNode* n = As<LetStmtNode>(s);
      return LetStmt(n->var, n->value, MapOuterLoops(n->body, on_for, on_seq));
    }
    case StmtKind::kSeq: {
      const std::vector<Stmt>& stmts = As<SeqNode>(s)->stmts;
      if (on_seq) {
        if (Stmt r = on_seq(stmts)) return r;
      }
      std::vector<Stmt> out;
      for (const Stmt& c : stmts) out.push_back(MapOuterLoops(c, on_for, on_seq));
      return Seq(out);
    }
  }
  return s;
}

// Rewrites every run of updates in `s` that LaneQuads accepts; *found tells whether there was one.
Stmt Lanes(const Stmt& s, bool* found) {
  return MapOuterLoops(
      s,
      [found](const Stmt& loop) {
        const ForNode* n = As<ForNode>(loop);
        return For(n->var, n->min, n->extent, Lanes(n->body, found), n->for_kind);
      },
      [found](const std::vector<Stmt>& stmts) {
        Stmt q = LaneQuads(stmts);
        if (q) *found = true;
        return q;
      });
}

class Blocker {
 public:
  explicit Blocker(const RegisterBlockOptions& o) : o_(o) {}

  Stmt Visit(const Stmt& s) {
    return MapOuterLoops(s, [this](const Stmt& loop) {
      const ForNode* n = As<ForNode>(loop);
      if (IsAccumulatorLoop(n->body)) {
        if (o_.dsp) {  // four accumulators fed by four consecutive bytes: one lane each (LaneQuads)
          bool found = false;
          const Stmt lanes = Lanes(JamLoop(n->body, 4), &found);
          if (found) return For(n->var, n->min, n->extent, lanes, n->for_kind);
        }
        const Stmt channels = JamLoop(n->body, o_.channels);
        return Dsp(JamLoop(For(n->var, n->min, n->extent, channels, n->for_kind), o_.pixels));
      }
      if (IsAccumulatorBlock(n->body)) return Dsp(JamLoop(loop, o_.single));
      return For(n->var, n->min, n->extent, Visit(n->body), n->for_kind);
    });
  }

 private:
  // Vectorizes every innermost reduction loop in `s` (options.dsp).
  Stmt Dsp(const Stmt& s) {
    if (!o_.dsp) return s;
    return MapOuterLoops(s, [this](const Stmt& loop) {
      const ForNode* n = As<ForNode>(loop);
      if (Stmt v = Vectorize(n)) return v;
      if (const Stmt c = Collapse(n)) {
        if (Stmt v = Vectorize(As<ForNode>(c))) return v;
      }
      return For(n->var, n->min, n->extent, Dsp(n->body), n->for_kind);
    });
  }

  const RegisterBlockOptions& o_;
};

}  // namespace

PrimFunc RegisterBlock(const PrimFunc& f, const RegisterBlockOptions& options) {
  PrimFunc out = f;
  out.body = Blocker(options).Visit(f.body);
  return out;
}

}  // namespace tinyfuse::loop
