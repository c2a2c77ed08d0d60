// Text and JSON reports of an arena plan (the SVG picture is plan_svg.h).
//  Text: a summary (steps, buffers, floor and the step reaching it, the lower bound at the plan's
//        alignment, the arena and how far above the floor it is (below it when outputs are written in
//        place), the in-place buffers "ID over INPUT_ID" when there are any), each planner's total (the
//        kept one marked), then one line per buffer: id, offset, size, first/last step, kind, alias, name.
//  JSON: one object with floor_bytes, floor_step, bound_bytes, arena_bytes, padding_bytes (negative
//        below the floor), in_place [{buffer, over}], alignment, planner, proven_optimal, planners
//        {name: total}, num_steps and buffers [{id, name, kind, size, first, last, offset, alias_of,
//        alias_kind, tensor}].
#pragma once

#include <string>

#include "memory/plan_arena.h"
#include "memory/schedule.h"

namespace tinyfuse::memory {

std::string PlanText(const Schedule& s, const ArenaPlan& plan);
std::string PlanJson(const Schedule& s, const ArenaPlan& plan);

// `text` as a JSON string literal, quotes included.
std::string JsonQuote(const std::string& text);

}  // namespace tinyfuse::memory
