#include "memory/plan_report.h"

#include <cstdio>
#include <sstream>

#include "common/text.h"

namespace tinyfuse::memory {

namespace {

std::string Pad(const std::string& text, size_t width, bool right) {
  if (text.size() >= width) return text;
  const std::string fill(width - text.size(), ' ');
  return right ? fill + text : text + fill;
}

std::string Num(int64_t v) { return std::to_string(v); }

}  // namespace

std::string JsonQuote(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string PlanText(const Schedule& s, const ArenaPlan& plan) {
  std::ostringstream o;
  const StorageMap storage = BuildStorage(s, AliasMode::kAll);
  o << "memory plan: " << s.num_steps << " steps, " << s.buffers.size() << " buffers in "
    << storage.groups.size() << " storage groups, alignment " << plan.alignment << "\n";
  o << "floor:  " << plan.floor_bytes << " bytes";
  if (plan.floor_step >= 0) {
    o << " at step " << plan.floor_step;
    if (!s.step_labels.empty()) o << " (" << s.step_labels[static_cast<size_t>(plan.floor_step)] << ")";
  }
  o << "\n";
  o << "bound:  " << plan.bound_bytes << " bytes (least possible total at this alignment, in-place "
    << "sharing honoured)\n";
  const int64_t above = plan.total - plan.floor_bytes;
  o << "arena:  " << plan.total << " bytes by " << PlannerKindName(plan.planner) << ", "
    << (above >= 0 ? above : -above) << (above >= 0 ? " above" : " below") << " the floor"
    << (plan.proven_optimal ? ", optimal" : "") << "\n";
  std::string in_place;
  for (const BufferSpec& b : s.buffers) {
    if (b.alias_of < 0 || b.alias_kind != BufferSpec::kInPlace) continue;
    in_place += (in_place.empty() ? "" : ", ") + Num(b.id) + " over " + Num(b.alias_of);
  }
  if (!in_place.empty()) o << "in place: " << in_place << " (output buffer over its dying input)\n";
  o << "planners:\n";
  for (const PlannerResult& r : plan.tried) {
    o << "  " << Pad(PlannerKindName(r.kind), 18, false) << Pad(Num(r.total), 12, true)
      << (r.kind == plan.planner ? "  <- kept" : "") << (r.proven_optimal ? "  (optimal)" : "")
      << "\n";
  }
  o << Pad("id", 5, true) << Pad("offset", 12, true) << Pad("size", 10, true)
    << Pad("first", 7, true) << Pad("last", 6, true) << "  " << Pad("kind", 11, false)
    << Pad("alias", 15, false) << "name\n";
  for (const BufferSpec& b : s.buffers) {
    std::string alias = "-";
    if (b.alias_of >= 0) alias = std::string(AliasKindName(b.alias_kind)) + ":" + Num(b.alias_of);
    o << Pad(Num(b.id), 5, true) << Pad(Num(plan.offsets[static_cast<size_t>(b.id)]), 12, true)
      << Pad(Num(b.size), 10, true) << Pad(Num(b.first_step), 7, true)
      << Pad(Num(b.last_step), 6, true) << "  " << Pad(BufferKindName(b.kind), 11, false)
      << Pad(alias, 15, false) << PrintableMessage(b.name) << "\n";
  }
  return o.str();
}

std::string PlanJson(const Schedule& s, const ArenaPlan& plan) {
  std::ostringstream o;
  o << "{\n";
  o << "  \"floor_bytes\": " << plan.floor_bytes << ",\n";
  o << "  \"floor_step\": " << plan.floor_step << ",\n";
  o << "  \"bound_bytes\": " << plan.bound_bytes << ",\n";
  o << "  \"arena_bytes\": " << plan.total << ",\n";
  o << "  \"padding_bytes\": " << plan.total - plan.floor_bytes << ",\n";
  o << "  \"in_place\": [";
  bool first = true;
  for (const BufferSpec& b : s.buffers) {
    if (b.alias_of < 0 || b.alias_kind != BufferSpec::kInPlace) continue;
    o << (first ? "" : ", ") << "{\"buffer\": " << b.id << ", \"over\": " << b.alias_of << "}";
    first = false;
  }
  o << "],\n";
  o << "  \"alignment\": " << plan.alignment << ",\n";
  o << "  \"planner\": " << JsonQuote(PlannerKindName(plan.planner)) << ",\n";
  o << "  \"proven_optimal\": " << (plan.proven_optimal ? "true" : "false") << ",\n";
  o << "  \"planners\": {";
  for (size_t i = 0; i < plan.tried.size(); ++i) {
    o << (i ? ", " : "") << JsonQuote(PlannerKindName(plan.tried[i].kind)) << ": "
      << plan.tried[i].total;
  }
  o << "},\n";
  o << "  \"num_steps\": " << s.num_steps << ",\n";
  o << "  \"buffers\": [";
  for (size_t i = 0; i < s.buffers.size(); ++i) {
    const BufferSpec& b = s.buffers[i];
    o << (i ? ",\n    " : "\n    ") << "{\"id\": " << b.id << ", \"name\": " << JsonQuote(b.name)
      << ", \"kind\": " << JsonQuote(BufferKindName(b.kind)) << ", \"size\": " << b.size
      << ", \"first\": " << b.first_step << ", \"last\": " << b.last_step
      << ", \"offset\": " << plan.offsets[i] << ", \"alias_of\": " << b.alias_of;
    if (b.alias_of >= 0) o << ", \"alias_kind\": " << JsonQuote(AliasKindName(b.alias_kind));
    o << ", \"tensor\": " << b.tensor << "}";
  }
  o << (s.buffers.empty() ? "]\n" : "\n  ]\n");
  o << "}\n";
  return o.str();
}

}  // namespace tinyfuse::memory
