// File-provided strings (tensor names, op names, buffer names) in messages and listings. A model file can
// name a tensor anything: a newline would break the one-line error promise, terminal escape sequences would
// reach the user's terminal, and a megabyte of name would fill it. Every message that quotes such a string
// goes through QuoteName.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tinyfuse {

// Names longer than this many bytes are cut in messages (the listing of `tinyfuse inspect` keeps them whole).
constexpr size_t kMaxQuotedNameBytes = 64;

// `name` between single quotes, printable ASCII kept as is; every other byte (control characters, DEL,
// bytes >= 0x80, so also multi-byte UTF-8) and the quote and backslash themselves become \xHH. Names longer
// than `max_bytes` keep their first `max_bytes` bytes followed by "...(N bytes)" outside the quotes.
std::string QuoteName(std::string_view name, size_t max_bytes = kMaxQuotedNameBytes);

// A whole message made printable: each byte outside printable ASCII becomes \xHH (backslashes and
// quotes are left alone, so names QuoteName already escaped read the same). The CLI's last line of
// defence before printing an error.
std::string PrintableMessage(std::string_view message);

}  // namespace tinyfuse
