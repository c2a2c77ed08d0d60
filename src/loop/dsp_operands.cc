#include "loop/dsp_operands.h"

#include "common/packed16.h"
#include "loop/affine.h"

namespace tinyfuse::loop::dsp {

namespace {

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
    const std::optional<int64_t> c = CoefficientOf(load->index, v);
    if (!c || *c != 1) return std::nullopt;
  }
  o.buffer = load->buffer;
  o.index = load->index;
  return o;
}

}  // namespace

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

std::pair<Expr, Expr> PairLoader::Of(const Operand& o, const Expr& index) {
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

Stmt PairLoader::Wrap(Stmt s) const {
  for (auto it = lets_.rbegin(); it != lets_.rend(); ++it) s = LetStmt(it->first, it->second, s);
  return s;
}

}  // namespace tinyfuse::loop::dsp
