// Errors reported to the user. Every stage throws tinyfuse::Error with a one-line message naming the
// problem; the CLI prints it and exits with status 2. Nothing else is thrown on bad input.
#pragma once

#include <stdexcept>
#include <string>

namespace tinyfuse {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Throws Error(message) when cond is false. For user-facing checks, not internal invariants.
inline void Check(bool cond, const std::string& message) {
  if (!cond) throw Error(message);
}

}  // namespace tinyfuse
