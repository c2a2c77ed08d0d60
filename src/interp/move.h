// The one interpreter walk of the data-movement family (graph/prepare/move.h): every member's kernel
// builds its MoveMap and calls RunMoveMap.
#pragma once

#include <cstdint>

#include "graph/prepare/move.h"

namespace tinyfuse {

// Moves the elements of `in` to `out` as `m` says (out is written only where the map writes).
void RunMoveMap(const MoveMap& m, const uint8_t* in, uint8_t* out);

}  // namespace tinyfuse
