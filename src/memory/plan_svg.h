// Draws an arena plan as SVG: time (steps) on the x axis, arena offset on the y axis (0 at the bottom),
// every buffer a rectangle from its first to its last step and from its offset to offset + size,
// coloured by kind, named by a <title> (and, when it is large enough, by a label: its id and a short
// form of its name), the floor as a dashed horizontal line, a legend below.
//
// For tools and tests the picture carries its own key: the plot <g id="plot"> has data-x0 / data-y0
// (pixel position of step 0, offset 0), data-step-px (pixels per step) and data-px-per-byte; each
// buffer <rect> has id="buffer-N" and data-id, data-offset, data-size, data-first, data-last. Pixel
// geometry is exact (no minimum size): buffers far smaller than the arena are hairlines.
#pragma once

#include <string>

#include "memory/plan_arena.h"
#include "memory/schedule.h"

namespace tinyfuse::memory {

struct SvgOptions {
  int plot_width = 960;   // pixels
  int plot_height = 480;
  std::string title;      // e.g. the model name; the plan's figures are appended
};

// Fill colours, "#rrggbb": the first shade of each kind (buffers alternate between two shades so that
// neighbours stay apart).
const char* BufferFill(BufferSpec::Kind kind, int shade);

std::string PlanSvg(const Schedule& s, const ArenaPlan& plan, const SvgOptions& options = {});

}  // namespace tinyfuse::memory
