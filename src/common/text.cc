#include "common/text.h"

namespace tinyfuse {

namespace {

bool Printable(unsigned char c) { return c >= 0x20 && c < 0x7f; }

void AppendHex(unsigned char c, std::string* out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  *out += "\\x";
  *out += kDigits[c >> 4];
  *out += kDigits[c & 15];
}

}  // namespace

std::string QuoteName(std::string_view name, size_t max_bytes) {
  const size_t kept = name.size() > max_bytes ? max_bytes : name.size();
  std::string s = "'";
  for (size_t i = 0; i < kept; ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (!Printable(c) || c == '\'' || c == '\\') {
      AppendHex(c, &s);
    } else {
      s += static_cast<char>(c);
    }
  }
  s += "'";
  if (kept < name.size()) s += "...(" + std::to_string(name.size()) + " bytes)";
  return s;
}

std::string PrintableMessage(std::string_view message) {
  std::string s;
  s.reserve(message.size());
  for (char ch : message) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (Printable(c)) {
      s += ch;
    } else {
      AppendHex(c, &s);
    }
  }
  return s;
}

}  // namespace tinyfuse
