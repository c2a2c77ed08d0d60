#include "memory/plan_svg.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "common/text.h"

namespace tinyfuse::memory {

namespace {

constexpr int kLeft = 96;     // room for byte labels
constexpr int kTop = 40;      // room for the title
constexpr int kRight = 24;
constexpr int kBottom = 84;   // step labels and the legend

std::string F(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3f", v);
  return buf;
}

// Text for an SVG element or attribute. Names come from the model file: bytes outside printable ASCII
// (control characters are not even allowed in XML, and a name need not be UTF-8) show as \xHH first.
std::string Xml(const std::string& raw) {
  const std::string text = PrintableMessage(raw);
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string G(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9g", v);
  return buf;
}

// A label for a rectangle: TFLite tensor names are ';'-joined lists of long '/' paths, so keep the
// last two components of the first entry ("model/activation_2/Relu;..." -> "activation_2/Relu").
std::string ShortName(const std::string& name) {
  std::string first = name.substr(0, name.find(';'));
  const size_t last = first.rfind('/');
  if (last != std::string::npos && last > 0) {
    const size_t before = first.rfind('/', last - 1);
    if (before != std::string::npos) first = first.substr(before + 1);
  }
  return first;
}

}  // namespace

const char* BufferFill(BufferSpec::Kind kind, int shade) {
  static const char* const kFills[4][2] = {
      {"#4e79a7", "#7da3cc"},  // input: blue
      {"#59a14f", "#8cc784"},  // output: green
      {"#f28e2b", "#f7b36b"},  // activation: orange
      {"#b07aa1", "#d0a5c6"},  // workspace: purple
  };
  return kFills[static_cast<int>(kind)][shade & 1];
}

namespace {

// Where the plot sits and how bytes and steps map to pixels.
struct Frame {
  int pw = 0, ph = 0, width = 0, height = 0, steps = 1;
  int64_t ymax = 1;
  double step_px = 0, px_per_byte = 0, x0 = 0, y0 = 0;
  double Y(int64_t bytes) const { return y0 - static_cast<double>(bytes) * px_per_byte; }
};

Frame FrameOf(const Schedule& s, const ArenaPlan& plan, const SvgOptions& options) {
  Frame f;
  f.pw = options.plot_width;
  f.ph = options.plot_height;
  f.width = kLeft + f.pw + kRight;
  f.height = kTop + f.ph + kBottom;
  f.steps = std::max(1, s.num_steps);
  f.ymax = std::max<int64_t>({plan.total, plan.floor_bytes, 1});
  f.step_px = static_cast<double>(f.pw) / f.steps;
  f.px_per_byte = static_cast<double>(f.ph) / static_cast<double>(f.ymax);
  f.x0 = kLeft;
  f.y0 = kTop + f.ph;
  return f;
}

void Header(const Schedule& s, const ArenaPlan& plan, const SvgOptions& options, const Frame& f,
            std::ostringstream& o) {
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << f.width << "\" height=\"" << f.height
    << "\" viewBox=\"0 0 " << f.width << " " << f.height << "\" font-family=\"sans-serif\">\n";
  o << "<rect x=\"0\" y=\"0\" width=\"" << f.width << "\" height=\"" << f.height
    << "\" fill=\"#ffffff\"/>\n";
  std::string title = options.title.empty() ? "" : options.title + ": ";
  title += "arena " + std::to_string(plan.total) + " bytes (" + PlannerKindName(plan.planner) +
           "), floor " + std::to_string(plan.floor_bytes) + " bytes, " +
           std::to_string(s.num_steps) + " steps, " + std::to_string(s.buffers.size()) + " buffers";
  o << "<text x=\"" << kLeft << "\" y=\"24\" font-size=\"14\" fill=\"#000000\">" << Xml(title)
    << "</text>\n";
}

// Axes with byte ticks (quarters of the arena) and step ticks (at most ~24).
void Axes(const Schedule& s, const Frame& f, std::ostringstream& o) {
  o << "<g id=\"axes\" stroke=\"#000000\" stroke-width=\"1\">\n";
  o << "<line x1=\"" << F(f.x0) << "\" y1=\"" << kTop << "\" x2=\"" << F(f.x0) << "\" y2=\"" << F(f.y0)
    << "\"/>\n";
  o << "<line x1=\"" << F(f.x0) << "\" y1=\"" << F(f.y0) << "\" x2=\"" << F(f.x0 + f.pw) << "\" y2=\""
    << F(f.y0) << "\"/>\n</g>\n";
  o << "<g id=\"ticks\" font-size=\"10\" fill=\"#000000\">\n";
  for (int q = 0; q <= 4; ++q) {
    const int64_t bytes = f.ymax * q / 4;
    o << "<text x=\"" << kLeft - 6 << "\" y=\"" << F(f.Y(bytes) + 3)
      << "\" text-anchor=\"end\">" << bytes << "</text>\n";
  }
  const int every = std::max(1, (f.steps + 23) / 24);
  for (int st = 0; st < s.num_steps; st += every) {
    o << "<text x=\"" << F(f.x0 + (st + 0.5) * f.step_px) << "\" y=\"" << F(f.y0 + 14)
      << "\" text-anchor=\"middle\">" << st << "</text>\n";
  }
  o << "<text x=\"" << F(f.x0 + f.pw / 2.0) << "\" y=\"" << F(f.y0 + 30)
    << "\" text-anchor=\"middle\">step</text>\n";
  o << "<text x=\"14\" y=\"" << F(kTop + f.ph / 2.0) << "\" transform=\"rotate(-90 14 "
    << F(kTop + f.ph / 2.0) << ")\" text-anchor=\"middle\">arena offset (bytes)</text>\n";
  o << "</g>\n";

}

void Buffers(const Schedule& s, const ArenaPlan& plan, const Frame& f, std::ostringstream& o) {
  o << "<g id=\"plot\" data-x0=\"" << F(f.x0) << "\" data-y0=\"" << F(f.y0) << "\" data-step-px=\""
    << F(f.step_px) << "\" data-px-per-byte=\"" << G(f.px_per_byte) << "\">\n";
  for (const BufferSpec& b : s.buffers) {
    const int64_t offset = plan.offsets[static_cast<size_t>(b.id)];
    const double x = f.x0 + b.first_step * f.step_px;
    const double w = (b.last_step - b.first_step + 1) * f.step_px;
    const double y = f.Y(offset + b.size);
    const double h = static_cast<double>(b.size) * f.px_per_byte;
    std::string tip = b.name + ": " + std::to_string(b.size) + " bytes at offset " +
                      std::to_string(offset) + ", steps " + std::to_string(b.first_step) + "-" +
                      std::to_string(b.last_step) + " (" + BufferKindName(b.kind);
    if (b.alias_of >= 0) {
      tip += ", " + std::string(AliasKindName(b.alias_kind)) + " of " + std::to_string(b.alias_of);
    }
    tip += ")";
    o << "<rect id=\"buffer-" << b.id << "\" x=\"" << F(x) << "\" y=\"" << F(y) << "\" width=\""
      << F(w) << "\" height=\"" << F(h) << "\" fill=\"" << BufferFill(b.kind, b.id)
      << "\" stroke=\"#ffffff\" stroke-width=\"0.5\" data-id=\"" << b.id << "\" data-offset=\""
      << offset << "\" data-size=\"" << b.size << "\" data-first=\"" << b.first_step
      << "\" data-last=\"" << b.last_step << "\"><title>" << Xml(tip) << "</title></rect>\n";
    if (w >= 36 && h >= 12) {
      const size_t max_chars = static_cast<size_t>((w - 4) / 5.5);
      std::string label = std::to_string(b.id) + " " + ShortName(b.name);
      if (b.alias_of >= 0 && b.alias_kind == BufferSpec::kInPlace) {
        label = std::to_string(b.id) + " in place of " + std::to_string(b.alias_of) + " " + ShortName(b.name);
      }
      if (label.size() > max_chars) label = label.substr(0, max_chars);
      o << "<text x=\"" << F(x + 2) << "\" y=\"" << F(y + 10)
        << "\" font-size=\"9\" fill=\"#1a1a1a\">" << Xml(label) << "</text>\n";
    }
  }
  o << "</g>\n";

}

void FloorAndLegend(const ArenaPlan& plan, const Frame& f, std::ostringstream& o) {
  // The floor.
  const double fy = f.Y(plan.floor_bytes);
  o << "<line id=\"floor\" x1=\"" << F(f.x0) << "\" y1=\"" << F(fy) << "\" x2=\"" << F(f.x0 + f.pw)
    << "\" y2=\"" << F(fy) << "\" stroke=\"#d62728\" stroke-width=\"1.5\" "
    << "stroke-dasharray=\"6 3\"><title>floor " << plan.floor_bytes << " bytes</title></line>\n";

  // Legend.
  const double ly = f.y0 + 46;
  o << "<g id=\"legend\" font-size=\"11\" fill=\"#000000\">\n";
  double lx = f.x0;
  for (const auto kind : {BufferSpec::kInput, BufferSpec::kOutput, BufferSpec::kActivation,
                          BufferSpec::kWorkspace}) {
    o << "<rect x=\"" << F(lx) << "\" y=\"" << F(ly) << "\" width=\"12\" height=\"12\" fill=\""
      << BufferFill(kind, 0) << "\"/>\n";
    o << "<text x=\"" << F(lx + 16) << "\" y=\"" << F(ly + 10) << "\">" << BufferKindName(kind)
      << "</text>\n";
    lx += 100;
  }
  o << "<line x1=\"" << F(lx) << "\" y1=\"" << F(ly + 6) << "\" x2=\"" << F(lx + 24) << "\" y2=\""
    << F(ly + 6) << "\" stroke=\"#d62728\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\"/>\n";
  o << "<text x=\"" << F(lx + 30) << "\" y=\"" << F(ly + 10) << "\">floor (" << plan.floor_bytes
    << " bytes)</text>\n";
  o << "<text x=\"" << F(lx + 170) << "\" y=\"" << F(ly + 10) << "\">arena " << plan.total
    << " bytes, alignment " << plan.alignment << "</text>\n";
  o << "</g>\n";
}

}  // namespace

std::string PlanSvg(const Schedule& s, const ArenaPlan& plan, const SvgOptions& options) {
  const Frame f = FrameOf(s, plan, options);
  std::ostringstream o;
  Header(s, plan, options, f, o);
  Axes(s, f, o);
  Buffers(s, plan, f, o);
  FloorAndLegend(plan, f, o);
  o << "</svg>\n";
  return o.str();
}

}  // namespace tinyfuse::memory
