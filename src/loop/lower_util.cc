#include "loop/lower_util.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "common/error.h"
#include "common/text.h"
#include "interp/elementwise.h"
#include "loop/verifier.h"
#include "loop/workspace.h"

namespace tinyfuse::loop::lowering {

namespace {
constexpr int64_t kInt32Min = -2147483648LL;
constexpr int64_t kInt32Max = 2147483647LL;
bool FitsInt32(Interval r) { return r.lo >= kInt32Min && r.hi <= kInt32Max; }
}  // namespace

Ranged SafeAdd(const Ranged& a, const Ranged& b) {
  const Interval sum{a.r.lo + b.r.lo, a.r.hi + b.r.hi};
  if (FitsInt32(sum)) return {Add(a.e, b.e), sum};
  return {Call(Intrinsic::kWrappingAdd, {a.e, b.e}), TypeRange(ScalarType::kInt32)};
}

Ranged CheckedMul(const Ranged& a, const Ranged& b) {
  const int64_t c[4] = {a.r.lo * b.r.lo, a.r.lo * b.r.hi, a.r.hi * b.r.lo, a.r.hi * b.r.hi};
  const Interval r{*std::min_element(c, c + 4), *std::max_element(c, c + 4)};
  if (!FitsInt32(r)) throw Error("lowering: a product may overflow int32");
  return {Mul(a.e, b.e), r};
}

Interval DTypeRange(DType t) {
  switch (t) {
    case DType::kInt8: return {-128, 127};
    case DType::kUInt8: return {0, 255};
    case DType::kInt16: return {-32768, 32767};
    case DType::kInt32:
    case DType::kFloat32: return {kInt32Min, kInt32Max};
    case DType::kInt64: return TypeRange(ScalarType::kInt64);
  }
  return {0, 0};
}

ScalarType ToScalar(DType t) {
  switch (t) {
    case DType::kInt8: return ScalarType::kInt8;
    case DType::kUInt8: return ScalarType::kUInt8;
    case DType::kInt16: return ScalarType::kInt16;
    case DType::kInt32: return ScalarType::kInt32;
    case DType::kFloat32: return ScalarType::kFloat32;
    case DType::kInt64: return ScalarType::kInt64;
  }
  return ScalarType::kInt32;
}

Dim MakeDim(const std::string& name, int64_t extent, int64_t begin) {
  if (extent == 1) return {Imm(begin), 1, begin};
  return {MakeVar(name), extent, begin};
}

Stmt Nest(const std::vector<Dim>& dims, Stmt body) {
  for (auto it = dims.rbegin(); it != dims.rend(); ++it) {
    if (const VarNode* v = As<VarNode>(it->index)) {
      body = For(std::static_pointer_cast<const VarNode>(it->index), Imm(it->begin), Imm(it->extent), body);
      (void)v;
    }
  }
  return body;
}

Expr FlatIndex(const std::vector<Expr>& idx, const std::vector<int32_t>& shape) {
  Expr flat = Imm(0);
  for (size_t i = 0; i < idx.size(); ++i) flat = Add(Mul(flat, Imm(shape[i])), idx[i]);
  return flat;
}

BroadcastNest MakeBroadcastNest(const BroadcastMaps& maps) {
  BroadcastNest n;
  if (!maps.broadcast) {
    int64_t size = 1;
    for (int32_t d : maps.output_shape) size *= d;
    n.dims.push_back(MakeDim("i", size));
    n.index1 = n.index2 = n.out_index = n.dims[0].index;
    n.channel = Imm(0);
    return n;
  }
  n.index1 = n.index2 = Imm(0);
  std::vector<Expr> idx;
  for (size_t d = 0; d < maps.output_shape.size(); ++d) {
    const Dim dim = MakeDim("i" + std::to_string(d), maps.output_shape[d]);
    n.dims.push_back(dim);
    idx.push_back(dim.index);
    n.index1 = Add(n.index1, Mul(dim.index, Imm(maps.input1_strides[d])));
    n.index2 = Add(n.index2, Mul(dim.index, Imm(maps.input2_strides[d])));
  }
  n.out_index = FlatIndex(idx, maps.output_shape);
  n.channel = idx.empty() ? Imm(0) : idx.back();
  return n;
}

Ranged Centered(const Expr& loaded, DType dtype, int32_t zero_point) {
  const Interval xr = DTypeRange(dtype);
  return {Sub(Cast(ScalarType::kInt32, loaded), Imm(zero_point)), {xr.lo - zero_point, xr.hi - zero_point}};
}

Ranged RescaledInput(const Expr& loaded, DType dtype, int32_t zero_point, int left_shift, const QuantizedMultiplier& m,
                     Rounding rounding) {
  const int64_t scale = int64_t{1} << left_shift;
  const Ranged x = CheckedMul(Centered(loaded, dtype, zero_point), {Imm(scale), {scale, scale}});
  const Intrinsic op = rounding == Rounding::kDouble ? Intrinsic::kMultiplyByQuantizedMultiplierDouble
                                                     : Intrinsic::kMultiplyByQuantizedMultiplierSingle;
  const Expr e = Call(op, {x.e, Imm(m.multiplier), Imm(m.shift)});
  // |result| <= |x| * m + 2 (two roundings) when no left shift wraps.
  const double mag = static_cast<double>(std::max(std::llabs(x.r.lo), std::llabs(x.r.hi)));
  const double bound = std::ceil(mag * static_cast<double>(m.multiplier) * std::ldexp(1.0, m.shift - 31)) + 2;
  if (m.shift > 0 || bound >= 2147483647.0) return {e, TypeRange(ScalarType::kInt32)};
  return {e, {-static_cast<int64_t>(bound), static_cast<int64_t>(bound)}};
}

Ranged CheckedSub(const Ranged& a, const Ranged& b) {
  const Interval r{a.r.lo - b.r.hi, a.r.hi - b.r.lo};
  if (!FitsInt32(r)) throw Error("lowering: a difference may overflow int32");
  return {Sub(a.e, b.e), r};
}

std::vector<int32_t> UnaryTable(const UnaryParams& p) {
  std::vector<int32_t> table;
  for (int32_t x = DTypeMin(p.dtype); x <= DTypeMax(p.dtype); ++x) table.push_back(EvalUnary(p, x));
  return table;
}

namespace {

// A sound range of requantize(x) over every channel's multiplier (see lower_util.h).
Interval RequantizeRange(Interval x, const std::vector<QuantizedMultiplier>& ms) {
  const double mag = static_cast<double>(std::max(std::llabs(x.lo), std::llabs(x.hi)));
  double bound = 0;
  for (const QuantizedMultiplier& m : ms) {
    const int left = m.shift > 0 ? m.shift : 0;
    if (mag * std::ldexp(1.0, left) >= 2147483648.0) return TypeRange(ScalarType::kInt32);  // the shift may wrap
    bound = std::max(bound, mag * static_cast<double>(m.multiplier) * std::ldexp(1.0, m.shift - 31));
  }
  const double b = std::ceil(bound) + 2;  // rounding, twice
  if (b >= 2147483647.0) return TypeRange(ScalarType::kInt32);
  return {-static_cast<int64_t>(b), static_cast<int64_t>(b)};
}

// A sound range of round(float(x) * scale) over every channel's scale.
Interval FloatRequantizeRange(Interval x, const std::vector<float>& scales) {
  const double mag = static_cast<double>(std::max(std::llabs(x.lo), std::llabs(x.hi)));
  double bound = 0;
  for (float s : scales) bound = std::max(bound, mag * std::fabs(static_cast<double>(s)));
  const double b = std::ceil(bound * (1 + 1e-6)) + 2;
  if (!(b < 2147483647.0)) return TypeRange(ScalarType::kInt32);
  return {-static_cast<int64_t>(b), static_cast<int64_t>(b)};
}

Interval ValuesRange(const std::vector<int32_t>& v) {
  if (v.empty()) return {0, 0};
  const auto [mn, mx] = std::minmax_element(v.begin(), v.end());
  return {*mn, *mx};
}

std::vector<int32_t> ConstantValues(const Tensor& t) {
  std::vector<int32_t> v(static_cast<size_t>(t.num_elements()));
  for (size_t i = 0; i < v.size(); ++i) v[i] = t.ConstInt(static_cast<int64_t>(i));
  return v;
}

std::vector<int64_t> Shape64(const std::vector<int32_t>& s) { return std::vector<int64_t>(s.begin(), s.end()); }

}  // namespace

GroupLowerer::GroupLowerer(const passes::FusedGraph& f, const passes::FusedGroup& g) : f_(f), g_(g) {}

Buffer GroupLowerer::Input(int tensor, const std::string& name) {
  auto it = input_of_tensor_.find(tensor);
  if (it != input_of_tensor_.end()) return it->second;
  const Tensor& t = graph().tensor(tensor);
  // A constant operand where an activation usually is (a conv over a constant image) is compile-time data:
  // it has no arena storage, the kernel reads it as a constant array.
  if (t.is_const) return Constant(tensor, name);
  Buffer b = ArenaBuffer(name, ToScalar(t.dtype), Shape64(t.shape), tensor);
  inputs_.push_back(b);
  input_of_tensor_[tensor] = b;
  return b;
}

Buffer GroupLowerer::Output(const std::string& name) {
  if (!output_) {
    const Tensor& t = graph().tensor(g_.output);
    output_ = ArenaBuffer(name, ToScalar(t.dtype), Shape64(t.shape), g_.output);
  }
  return output_;
}

Buffer GroupLowerer::Constant(int tensor, const std::string& name) {
  auto it = constants_.find(tensor);
  if (it != constants_.end()) return it->second;
  const Tensor& t = graph().tensor(tensor);
  Check(t.is_const, "lowering: tensor " + QuoteName(t.name) + " is not constant");
  Buffer b = ConstantBuffer(name, ToScalar(t.dtype), Shape64(t.shape), ConstantValues(t), tensor);
  constants_[tensor] = b;
  return b;
}

Buffer GroupLowerer::Table(const std::string& name, ScalarType dtype, std::vector<int32_t> values) {
  const int64_t n = static_cast<int64_t>(values.size());
  return ConstantBuffer(name, dtype, {n}, std::move(values));
}

Expr GroupLowerer::Epilogue(Ranged v, const Expr& channel) {
  bool after_anchor = false;
  Expr result;
  for (int si : g_.steps) {
    if (si == g_.anchor) {
      after_anchor = true;
      continue;
    }
    if (!after_anchor) continue;  // a folded PAD
    const passes::Step& s = step(si);
    if (result) {  // a chained QUANTIZE reads the stored 8-bit value back as int32
      v = {Cast(ScalarType::kInt32, result), v.r};
      result = nullptr;
    }
    switch (s.kind) {
      case passes::StepKind::kBiasAdd: {
        Buffer bias = Constant(std::get<passes::BiasAddAttrs>(s.attrs).bias_tensor, "bias");
        v = SafeAdd(v, {Load(bias, channel), ValuesRange(bias->values)});
        break;
      }
      case passes::StepKind::kAddConstant: {
        const int32_t c = std::get<passes::AddConstantAttrs>(s.attrs).value;
        v = SafeAdd(v, {Imm(c), {c, c}});
        break;
      }
      case passes::StepKind::kRequantize: {
        const auto& a = std::get<passes::RequantizeAttrs>(s.attrs);
        if (a.rounding == Rounding::kFloat) {
          const Expr scale = a.float_scales.size() == 1
                                 ? FloatImm(a.float_scales[0])
                                 : Load(FloatConstantBuffer("scale", {static_cast<int64_t>(a.float_scales.size())},
                                                            a.float_scales),
                                        channel);
          const Ranged q{Call(Intrinsic::kRequantizeFloat, {v.e, scale}), FloatRequantizeRange(v.r, a.float_scales)};
          v = SafeAdd(q, {Imm(a.zero_point), {a.zero_point, a.zero_point}});
          break;
        }
        Expr m, sh;
        if (a.multipliers.size() == 1) {
          m = Imm(a.multipliers[0].multiplier);
          sh = Imm(a.multipliers[0].shift);
        } else {
          std::vector<int32_t> mv, sv;
          for (const QuantizedMultiplier& q : a.multipliers) {
            mv.push_back(q.multiplier);
            sv.push_back(q.shift);
          }
          m = Load(Table("multiplier", ScalarType::kInt32, mv), channel);
          // int8 holds every shift QuantizeMultiplier makes for real layers; huge scale ratios need int32.
          const bool small = std::all_of(sv.begin(), sv.end(), [](int32_t x) { return x >= -128 && x <= 127; });
          sh = Cast(ScalarType::kInt32, Load(Table("shift", small ? ScalarType::kInt8 : ScalarType::kInt32, sv), channel));
        }
        const Intrinsic op = a.rounding == Rounding::kDouble ? Intrinsic::kMultiplyByQuantizedMultiplierDouble
                                                             : Intrinsic::kMultiplyByQuantizedMultiplierSingle;
        const Ranged q{Call(op, {v.e, m, sh}), RequantizeRange(v.r, a.multipliers)};
        v = SafeAdd(q, {Imm(a.zero_point), {a.zero_point, a.zero_point}});
        break;
      }
      case passes::StepKind::kRoundingShift: {
        const auto& a = std::get<passes::RoundingShiftAttrs>(s.attrs);
        const int32_t half = static_cast<int32_t>(1) << (a.shift - 1);
        const Ranged rounded = SafeAdd(v, {Imm(half), {half, half}});
        if (rounded.e->kind == ExprKind::kCall) throw Error("lowering: rounding_shift operand may overflow int32");
        const Ranged shifted{Shr(rounded.e, Imm(a.shift)), {rounded.r.lo >> a.shift, rounded.r.hi >> a.shift}};
        v = SafeAdd(shifted, {Imm(a.zero_point), {a.zero_point, a.zero_point}});
        break;
      }
      case passes::StepKind::kClamp: {
        const auto& a = std::get<passes::ClampAttrs>(s.attrs);
        v = {Call(Intrinsic::kClamp, {v.e, Imm(a.min), Imm(a.max)}), {a.min, a.max}};
        break;
      }
      case passes::StepKind::kCast:
        result = Cast(ToScalar(std::get<passes::CastAttrs>(s.attrs).dtype), v.e);
        break;
      case passes::StepKind::kDequantize:  // one float product (see graph/prepare/quantize.h): nothing to contract
        result = Mul(FloatImm(std::get<passes::DequantizeAttrs>(s.attrs).scale), Cast(ScalarType::kFloat32, v.e));
        break;
      case passes::StepKind::kElementwiseRead:
        break;  // handled above: the value is the int32 of the 8-bit result
      case passes::StepKind::kLookup: {
        // The 8-bit value indexes the op's table (entry 0 is the dtype's minimum).
        const UnaryParams& p = std::get<UnaryParams>(s.attrs);
        const Interval in = DTypeRange(p.dtype);
        Check(v.r.lo >= in.lo && v.r.hi <= in.hi, "lowering: a lookup index may leave its table");
        std::vector<int32_t> values = UnaryTable(p);
        const Interval r = ValuesRange(values);
        std::string name = OpName(p.op);
        for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        const Buffer table = Table(name + "_table", ToScalar(p.dtype), std::move(values));
        const Expr index = in.lo == 0 ? v.e : Sub(v.e, Imm(in.lo));
        v = {Cast(ScalarType::kInt32, Load(table, index)), r};
        break;
      }
      default:
        throw Error(std::string("lowering: ") + passes::StepKindName(s.kind) + " cannot be an epilogue step");
    }
  }
  if (!result) throw Error("lowering: group " + g_.name + " does not end with a cast to its 8-bit output");
  return result;
}

Kernel GroupLowerer::Finish(Stmt body, const std::string& description) {
  Kernel k;
  k.func.name = g_.name;
  k.func.params = inputs_;
  k.func.num_inputs = static_cast<int>(inputs_.size());
  k.func.params.push_back(Output());
  k.func.body = std::move(body);
  k.ops = g_.ops;
  std::string d;
  for (size_t i = 0; i < g_.ops.size(); ++i) {
    const Op& op = graph().ops[static_cast<size_t>(g_.ops[i])];
    d += (i ? " + " : "") + std::string(OpName(op.kind)) + " #" + std::to_string(g_.ops[i]);
  }
  d += ": ";
  for (size_t i = 0; i < g_.steps.size(); ++i) {
    d += (i ? ", " : "") + std::string(passes::StepKindName(step(g_.steps[i]).kind));
  }
  if (!description.empty()) d += " (" + description + ")";
  for (int si : g_.steps) {  // say what became a table: `tinyfuse lower` prints it
    const passes::Step& s = step(si);
    if (s.kind == passes::StepKind::kLookup) {
      d += "; " + std::string(OpName(graph().ops[static_cast<size_t>(s.op)].kind)) + " #" + std::to_string(s.op) +
           " as a 256-entry table";
    }
  }
  k.group = d;
  VerifyPrimFunc(k.func);
  k.workspace_bytes = AnalyzeWorkspace(k.func).scratch_bytes;
  return k;
}

}  // namespace tinyfuse::loop::lowering
