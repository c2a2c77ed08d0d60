#include "graph/stats.h"

#include <cmath>
#include <cstdio>
#include <vector>

namespace tinyfuse {

namespace {

int64_t Macs(const Graph& g, const Op& op) {
  if (op.outputs.empty() || op.inputs.size() < 2 || op.inputs[1] < 0) return 0;
  const int64_t out = g.tensor(op.outputs[0]).num_elements();
  const Tensor& w = g.tensor(op.inputs[1]);
  switch (op.kind) {
    case OpKind::kConv2D:
      return w.rank() == 4 ? out * w.dim(1) * w.dim(2) * w.dim(3) : 0;
    case OpKind::kDepthwiseConv2D:
      return w.rank() == 4 ? out * w.dim(1) * w.dim(2) : 0;
    case OpKind::kFullyConnected:
      return w.rank() == 2 ? out * w.dim(1) : 0;
    default:
      return 0;
  }
}

// ------------------------------------------------------------------------------------------------- JSON

// Length of the valid UTF-8 sequence starting at s[i] (0 when invalid): no overlongs, no surrogates,
// nothing above U+10FFFF.
size_t Utf8Length(const std::string& s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  size_t n;
  unsigned char lo = 0x80, hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c == 0xe0) lo = 0xa0;
    if (c == 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c == 0xf0) lo = 0x90;
    if (c == 0xf4) hi = 0x8f;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xbf) return 0;
  }
  return n;
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
      ++i;
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", c);
      out += buf;
      ++i;
    } else if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
    } else if (const size_t n = Utf8Length(s, i); n > 0) {
      out.append(s, i, n);
      i += n;
    } else {
      out += "\\ufffd";
      ++i;
    }
  }
  return out + "\"";
}

std::string JsonNumber(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9g", v);
  return buf;
}

template <typename T>
std::string JsonInts(const std::vector<T>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s + "]";
}

std::string JsonQuant(const Quantization& q) {
  std::string s = "{\"scale\":[";
  for (size_t i = 0; i < q.scale.size(); ++i) s += (i ? "," : "") + JsonNumber(q.scale[i]);
  s += "],\"zero_point\":" + JsonInts(q.zero_point);
  if (q.per_channel()) s += ",\"axis\":" + std::to_string(q.axis);
  return s + "}";
}

std::string JsonTensor(const Graph& g, int id) {
  const Tensor& t = g.tensor(id);
  return "{\"tensor\":" + std::to_string(id) + ",\"name\":" + JsonString(t.name) +
         ",\"dtype\":" + JsonString(DTypeName(t.dtype)) + ",\"shape\":" + JsonInts(t.shape) +
         ",\"bytes\":" + std::to_string(t.byte_size()) + ",\"quantization\":" + JsonQuant(t.quant) + "}";
}

std::string JsonTensorList(const Graph& g, const std::vector<int>& ids) {
  std::string s = "[";
  for (size_t i = 0; i < ids.size(); ++i) s += (i ? "," : "") + JsonTensor(g, ids[i]);
  return s + "]";
}

}  // namespace

GraphStats ComputeStats(const Graph& g) {
  GraphStats s;
  std::vector<bool> counted(g.tensors.size(), false);
  auto count_once = [&](int id) {
    if (id < 0 || counted[static_cast<size_t>(id)]) return;
    counted[static_cast<size_t>(id)] = true;
    const Tensor& t = g.tensor(id);
    (t.is_const ? s.weight_bytes : s.activation_bytes) += t.byte_size();
  };
  for (int id : g.inputs) count_once(id);
  for (const Op& op : g.ops) {
    OpStats o;
    o.macs = Macs(g, op);
    for (int id : op.inputs) {
      if (id < 0) continue;
      const Tensor& t = g.tensor(id);
      (t.is_const ? o.weight_bytes : o.input_bytes) += t.byte_size();
      count_once(id);
    }
    for (int id : op.outputs) {
      o.output_bytes += g.tensor(id).byte_size();
      count_once(id);
    }
    s.total_macs += o.macs;
    s.ops.push_back(o);
  }
  for (int id : g.outputs) count_once(id);
  return s;
}

std::string StatsJson(const Graph& g, const GraphStats& stats) {
  std::string s = "{\"inputs\":" + JsonTensorList(g, g.inputs) + ",\"outputs\":" + JsonTensorList(g, g.outputs);
  s += ",\"ops\":[";
  for (size_t k = 0; k < g.ops.size(); ++k) {
    const Op& op = g.ops[k];
    const OpStats o = k < stats.ops.size() ? stats.ops[k] : OpStats{};
    s += k ? "," : "";
    s += "{\"index\":" + std::to_string(k) + ",\"op\":" + JsonString(OpName(op.kind)) +
         ",\"version\":" + std::to_string(op.version) + ",\"inputs\":" + JsonInts(op.inputs) +
         ",\"outputs\":" + JsonInts(op.outputs);
    if (!op.outputs.empty()) {
      const Tensor& out = g.tensor(op.outputs[0]);
      s += ",\"output_dtype\":" + JsonString(DTypeName(out.dtype)) + ",\"output_shape\":" + JsonInts(out.shape);
    }
    s += ",\"macs\":" + std::to_string(o.macs) + ",\"weight_bytes\":" + std::to_string(o.weight_bytes) +
         ",\"input_bytes\":" + std::to_string(o.input_bytes) + ",\"output_bytes\":" + std::to_string(o.output_bytes) +
         "}";
  }
  s += "],\"weight_bytes\":" + std::to_string(stats.weight_bytes) +
       ",\"activation_bytes\":" + std::to_string(stats.activation_bytes) +
       ",\"total_macs\":" + std::to_string(stats.total_macs) +
       ",\"arith_auto\":" + JsonString(ArithName(ChooseArith(g))) + "}";
  return s;
}

}  // namespace tinyfuse
