// Anchors not lowered yet: each names itself in the error.
#include "common/error.h"
#include "loop/lower_util.h"

namespace tinyfuse::loop::lowering {

namespace {
[[noreturn]] void NotYet(const GroupLowerer& l) {
  throw Error(std::string("lowering of ") + passes::StepKindName(l.anchor().kind) + " is not implemented yet");
}
}  // namespace

Kernel LowerSoftmax(GroupLowerer& l) { NotYet(l); }

}  // namespace tinyfuse::loop::lowering
