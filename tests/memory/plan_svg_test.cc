// The SVG picture of a plan: well-formed, its rectangles parse back to the plan, and rendered by
// rsvg-convert (Debian's librsvg2-bin) to PNG it shows each buffer's colour inside its rectangle and
// the background outside. Rendering is skipped loudly when rsvg-convert or libpng is missing.
#include "memory/plan_svg.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include <unistd.h>

#include "memory/plan_arena.h"

#ifdef TINYFUSE_HAVE_PNG
#include <png.h>
#endif

namespace tinyfuse::memory {
namespace {

Schedule Demo() {
  Schedule s;
  s.num_steps = 5;
  AddBuffer(&s, "input & <image>", 1000, BufferSpec::kInput, 0, 1);
  AddBuffer(&s, "conv", 500, BufferSpec::kActivation, 0, 2);
  AddBuffer(&s, "reshaped", 500, BufferSpec::kActivation, 2, 3);
  AddBuffer(&s, "sum", 800, BufferSpec::kActivation, 3, 4);
  AddBuffer(&s, "probs", 300, BufferSpec::kOutput, 4, 4);
  AddWorkspace(&s, "scratch", 160, 1);
  MakeView(&s, 2, 1);
  return s;
}

// The name="value" pairs of the inside of a tag.
std::map<std::string, std::string> Attributes(const std::string& tag) {
  std::map<std::string, std::string> a;
  size_t i = 0;
  while ((i = tag.find("=\"", i)) != std::string::npos) {
    size_t k = i;
    while (k > 0 && tag[k - 1] != ' ' && tag[k - 1] != '\n') --k;
    const size_t close = tag.find('"', i + 2);
    if (close == std::string::npos) break;
    a[tag.substr(k, i - k)] = tag.substr(i + 2, close - i - 2);
    i = close + 1;
  }
  return a;
}

// Every "<name ...>" opening tag in document order with its attributes (and the text up to the next
// tag in "#text").
std::vector<std::pair<std::string, std::map<std::string, std::string>>> Tags(const std::string& svg,
                                                                               const std::string& name) {
  std::vector<std::pair<std::string, std::map<std::string, std::string>>> tags;
  const std::string open = "<" + name;
  for (size_t i = svg.find(open); i != std::string::npos; i = svg.find(open, i + 1)) {
    const char next = svg[i + open.size()];
    if (next != ' ' && next != '>' && next != '/') continue;
    const size_t end = svg.find('>', i);
    if (end == std::string::npos) break;
    auto attrs = Attributes(svg.substr(i + open.size(), end - i - open.size()));
    attrs["#text"] = svg.substr(end + 1, svg.find('<', end) - end - 1);
    tags.emplace_back(name, std::move(attrs));
  }
  return tags;
}

// The attributes of the <tag> with id="id" (empty when there is none).
std::map<std::string, std::string> FindById(const std::string& svg, const std::string& tag,
                                            const std::string& id) {
  for (const auto& [n, a] : Tags(svg, tag)) {
    if (a.count("id") && a.at("id") == id) return a;
  }
  return {};
}

// Well-formed enough: tags balance, no stray '<' or '>' in text, and '&' only starts an entity.
// Returns the first problem, or "" when there is none.
std::string MarkupProblem(const std::string& svg) {
  std::vector<std::string> open;
  size_t i = 0;
  while ((i = svg.find('<', i)) != std::string::npos) {
    const size_t end = svg.find('>', i);
    if (end == std::string::npos) return "unclosed tag at " + std::to_string(i);
    const std::string inside = svg.substr(i + 1, end - i - 1);
    if (inside.find('<') != std::string::npos) return "'<' inside tag: " + inside;
    const bool closing = !inside.empty() && inside[0] == '/';
    const bool empty = !inside.empty() && inside.back() == '/';
    const size_t from = closing ? 1 : 0;
    const std::string name = inside.substr(from, inside.find_first_of(" />", 1) - from);
    if (closing) {
      if (open.empty() || open.back() != name) return "unexpected </" + name + ">";
      open.pop_back();
    } else if (!empty) {
      open.push_back(name);
    }
    const size_t next = svg.find('<', end);
    const std::string text =
        svg.substr(end + 1, next == std::string::npos ? std::string::npos : next - end - 1);
    if (text.find('>') != std::string::npos) return "'>' in text: " + text;
    i = end;
  }
  if (!open.empty()) return "<" + open.back() + "> is not closed";
  for (size_t amp = svg.find('&'); amp != std::string::npos; amp = svg.find('&', amp + 1)) {
    bool entity = false;
    for (const char* e : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"}) {
      entity |= svg.compare(amp, std::string(e).size(), e) == 0;
    }
    if (!entity) return "bare '&': " + svg.substr(amp, 12);
  }
  return "";
}

TEST(PlanSvgTest, WellFormedCheckCatchesBrokenMarkup) {
  EXPECT_EQ(MarkupProblem("<svg><g><rect x=\"1\"/></g></svg>"), "");
  EXPECT_EQ(MarkupProblem("<svg><g></svg>"), "unexpected </svg>");
  EXPECT_EQ(MarkupProblem("<svg><g>"), "<g> is not closed");
  EXPECT_EQ(MarkupProblem("<svg><text>a & b</text></svg>"), "bare '&': & b</text></");
  EXPECT_EQ(MarkupProblem("<svg><text>a > b</text></svg>"), "'>' in text: a > b");
}

// A name with control characters and a byte that is not UTF-8: the SVG stays valid XML (which allows
// neither), showing them as \xHH.
TEST(PlanSvgTest, FileNamesStayValidXml) {
  Schedule s;
  s.num_steps = 1;
  AddBuffer(&s, "in\x01<\x1b\xff>", 4000, BufferSpec::kInput, 0, 0);
  AddBuffer(&s, "out", 4000, BufferSpec::kOutput, 0, 0);
  const std::string svg = PlanSvg(s, PlanArena(s));
  EXPECT_EQ(MarkupProblem(svg), "");
  for (const char c : svg) EXPECT_TRUE(c == '\n' || (c >= 0x20 && c < 0x7f)) << static_cast<int>(c);
  EXPECT_NE(svg.find("in\\x01&lt;\\x1b\\xff&gt;"), std::string::npos);
}

TEST(PlanSvgTest, RectanglesParseBackToThePlan) {
  const Schedule s = Demo();
  const ArenaPlan plan = PlanArena(s);
  const std::string svg = PlanSvg(s, plan, {800, 400, "demo"});
  EXPECT_EQ(MarkupProblem(svg), "");
  auto key = FindById(svg, "g", "plot");
  ASSERT_FALSE(key.empty());
  const double x0 = std::stod(key["data-x0"]), y0 = std::stod(key["data-y0"]);
  const double step_px = std::stod(key["data-step-px"]), ppb = std::stod(key["data-px-per-byte"]);
  EXPECT_DOUBLE_EQ(step_px, 800.0 / 5);
  EXPECT_NEAR(ppb, 400.0 / static_cast<double>(plan.total), 1e-9);

  int seen = 0;
  for (const auto& [n, a] : Tags(svg, "rect")) {
    if (!a.count("data-id")) continue;
    const int id = std::stoi(a.at("data-id"));
    ASSERT_GE(id, 0);
    ASSERT_LT(id, static_cast<int>(s.buffers.size()));
    const BufferSpec& b = s.buffers[static_cast<size_t>(id)];
    ++seen;
    EXPECT_EQ(a.at("id"), "buffer-" + std::to_string(id));
    EXPECT_EQ(std::stoll(a.at("data-offset")), plan.offsets[static_cast<size_t>(id)]);
    EXPECT_EQ(std::stoll(a.at("data-size")), b.size);
    EXPECT_EQ(std::stoi(a.at("data-first")), b.first_step);
    EXPECT_EQ(std::stoi(a.at("data-last")), b.last_step);
    // The geometry says the same thing.
    const double x = std::stod(a.at("x")), y = std::stod(a.at("y"));
    const double w = std::stod(a.at("width")), h = std::stod(a.at("height"));
    EXPECT_EQ(std::lround((x - x0) / step_px), b.first_step);
    EXPECT_EQ(std::lround((x + w - x0) / step_px) - 1, b.last_step);
    EXPECT_NEAR((y0 - y - h) / ppb, static_cast<double>(plan.offsets[static_cast<size_t>(id)]), 0.5);
    EXPECT_NEAR(h / ppb, static_cast<double>(b.size), 0.5);
    EXPECT_EQ(a.at("fill"), BufferFill(b.kind, id));
  }
  EXPECT_EQ(seen, static_cast<int>(s.buffers.size()));
  // Each rectangle is named by its <title>; names are escaped.
  EXPECT_NE(svg.find("<title>input &amp; &lt;image&gt;: 1000 bytes at offset"), std::string::npos);
  EXPECT_NE(svg.find("<title>reshaped: 500 bytes at offset " +
                     std::to_string(plan.offsets[2]) + ", steps 2-3 (activation, view of 1)</title>"),
            std::string::npos);
  // The floor line.
  const auto floor_line = FindById(svg, "line", "floor");
  ASSERT_FALSE(floor_line.empty());
  EXPECT_NEAR(std::stod(floor_line.at("y1")), y0 - static_cast<double>(plan.floor_bytes) * ppb, 1e-3);
  EXPECT_EQ(floor_line.at("y1"), floor_line.at("y2"));
  // The legend names every kind.
  for (const char* kind : {">input<", ">output<", ">activation<", ">workspace<", ">floor ("}) {
    EXPECT_NE(svg.find(kind), std::string::npos) << kind;
  }
}

#ifdef TINYFUSE_HAVE_PNG
struct Image {
  int width = 0, height = 0;
  std::vector<uint8_t> rgba;
  const uint8_t* At(int x, int y) const {
    return &rgba[(static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x)) * 4];
  }
};

bool ReadPng(const std::string& path, Image* image) {
  png_image png;
  std::memset(&png, 0, sizeof(png));
  png.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&png, path.c_str())) return false;
  png.format = PNG_FORMAT_RGBA;
  image->width = static_cast<int>(png.width);
  image->height = static_cast<int>(png.height);
  image->rgba.resize(PNG_IMAGE_SIZE(png));
  return png_image_finish_read(&png, nullptr, image->rgba.data(), 0, nullptr) != 0;
}

bool Near(const uint8_t* px, const std::string& hex, int tolerance = 3) {
  const long v = std::strtol(hex.c_str() + 1, nullptr, 16);
  const int rgb[3] = {static_cast<int>((v >> 16) & 255), static_cast<int>((v >> 8) & 255),
                      static_cast<int>(v & 255)};
  for (int c = 0; c < 3; ++c) {
    if (std::abs(px[c] - rgb[c]) > tolerance) return false;
  }
  return px[3] == 255;
}

std::string Hex(const uint8_t* px) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "#%02x%02x%02x/%d", px[0], px[1], px[2], px[3]);
  return buf;
}
#endif

TEST(PlanSvgTest, RendersToThePictureOfThePlan) {
#ifndef TINYFUSE_HAVE_PNG
  std::cerr << "SKIPPED: built without libpng; the rendered SVG is NOT checked\n";
  GTEST_SKIP() << "no libpng";
#else
  if (std::system("rsvg-convert --version > /dev/null 2>&1") != 0) {
    std::cerr << "SKIPPED: rsvg-convert not found (Debian package librsvg2-bin); the rendered SVG is "
                 "NOT checked\n";
    GTEST_SKIP() << "no rsvg-convert";
  }
  const Schedule s = Demo();
  // Alignment 16 keeps the arena top (1680) clear of the floor line (1660), which the checks below find.
  const ArenaPlan plan = PlanArena(s, PlannerKind::kAuto, 16);
  const std::string svg = PlanSvg(s, plan, {800, 400, "demo"});
  const auto dir = std::filesystem::temp_directory_path() /
                   ("tinyfuse_svg_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string svg_path = (dir / "plan.svg").string(), png_path = (dir / "plan.png").string();
  std::ofstream(svg_path) << svg;
  ASSERT_EQ(std::system(("rsvg-convert -o '" + png_path + "' '" + svg_path + "'").c_str()), 0);
  Image image;
  ASSERT_TRUE(ReadPng(png_path, &image));
  std::filesystem::remove_all(dir);
  const auto root = Tags(svg, "svg").front().second;
  EXPECT_EQ(image.width, std::stoi(root.at("width")));
  EXPECT_EQ(image.height, std::stoi(root.at("height")));

  // Inside each rectangle the picture has the rectangle's colour, sampled on a grid of interior points
  // away from its border, its label (top-left corner) and any rectangle drawn later over it (a view
  // drawn over its base at the steps they share).
  struct Box {
    double x, y, w, h;
    bool Contains(double px, double py, double margin) const {
      return px >= x - margin && px <= x + w + margin && py >= y - margin && py <= y + h + margin;
    }
  };
  const double floor_y = std::stod(FindById(svg, "line", "floor").at("y1"));
  std::vector<std::pair<int, Box>> boxes;
  for (const auto& [n, a] : Tags(svg, "rect")) {
    if (!a.count("data-id")) continue;
    boxes.push_back({std::stoi(a.at("data-id")),
                     {std::stod(a.at("x")), std::stod(a.at("y")), std::stod(a.at("width")),
                      std::stod(a.at("height"))}});
  }
  int checked = 0;
  for (size_t k = 0; k < boxes.size(); ++k) {
    const auto& [id, box] = boxes[k];
    const BufferSpec& b = s.buffers[static_cast<size_t>(id)];
    int sampled = 0;
    for (int gx = 1; gx < 8; ++gx) {
      for (int gy = 1; gy < 8; ++gy) {
        const double px = box.x + box.w * gx / 8, py = box.y + box.h * gy / 8;
        if (px - box.x < 3 || box.x + box.w - px < 3 || py - box.y < 3 || box.y + box.h - py < 3) {
          continue;
        }
        if (px - box.x < 90 && py - box.y < 14) continue;  // the label
        if (std::abs(py - floor_y) < 3) continue;            // the floor line, drawn over all
        bool covered = false;
        for (size_t later = k + 1; later < boxes.size(); ++later) {
          covered |= boxes[later].second.Contains(px, py, 2);
        }
        if (covered) continue;
        const uint8_t* pixel = image.At(static_cast<int>(px), static_cast<int>(py));
        EXPECT_TRUE(Near(pixel, BufferFill(b.kind, id)))
            << b.name << " at (" << px << ", " << py << "): " << Hex(pixel) << " vs "
            << BufferFill(b.kind, id);
        ++sampled;
      }
    }
    checked += sampled > 0;
  }
  EXPECT_EQ(checked, static_cast<int>(s.buffers.size()));

  // Outside every rectangle: white background. Step 4 holds only sum (800) and probs (300) at the
  // bottom; above them the plot is empty up to the top.
  const auto key = FindById(svg, "g", "plot");
  const double x0 = std::stod(key.at("data-x0")), y0 = std::stod(key.at("data-y0"));
  const double step_px = std::stod(key.at("data-step-px")), ppb = std::stod(key.at("data-px-per-byte"));
  int64_t top_at_step4 = 0;
  for (const BufferSpec& b : s.buffers) {
    if (b.first_step <= 4 && b.last_step >= 4) {
      top_at_step4 = std::max(top_at_step4, plan.offsets[static_cast<size_t>(b.id)] + b.size);
    }
  }
  ASSERT_LT(top_at_step4 + 100, plan.floor_bytes);
  const int ex = static_cast<int>(x0 + 4.5 * step_px);
  const int ey = static_cast<int>(y0 - static_cast<double>(top_at_step4 + 60) * ppb);
  EXPECT_TRUE(Near(image.At(ex, ey), "#ffffff")) << Hex(image.At(ex, ey));

  // The floor: a dashed red row across the plot.
  const int fy = static_cast<int>(std::lround(y0 - static_cast<double>(plan.floor_bytes) * ppb));
  int red = 0, total = 0;
  for (int x = static_cast<int>(x0) + 1; x < static_cast<int>(x0 + 5 * step_px) - 1; ++x, ++total) {
    bool hit = false;
    for (int dy = -1; dy <= 1 && !hit; ++dy) hit = Near(image.At(x, fy + dy), "#d62728", 40);
    red += hit;
  }
  EXPECT_GT(red, total / 3) << red << " of " << total;
#endif
}

}  // namespace
}  // namespace tinyfuse::memory
