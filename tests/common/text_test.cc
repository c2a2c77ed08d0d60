// QuoteName and PrintableMessage (common/text.h): what file-provided names look like in messages.
#include "common/text.h"

#include <gtest/gtest.h>

#include <string>

namespace tinyfuse {
namespace {

TEST(QuoteName, PrintableAsciiIsKept) { EXPECT_EQ(QuoteName("conv/Relu6;1"), "'conv/Relu6;1'"); }

TEST(QuoteName, EmptyName) { EXPECT_EQ(QuoteName(""), "''"); }

TEST(QuoteName, ControlCharactersAreEscaped) {
  EXPECT_EQ(QuoteName("a\nb"), "'a\\x0ab'");
  EXPECT_EQ(QuoteName("\x1b[31mred\x1b[0m"), "'\\x1b[31mred\\x1b[0m'");
  EXPECT_EQ(QuoteName(std::string("x\0y", 3)), "'x\\x00y'");
  EXPECT_EQ(QuoteName("\r\t\x7f"), "'\\x0d\\x09\\x7f'");
}

TEST(QuoteName, QuoteAndBackslashAreEscaped) {
  // Otherwise a name could fake the end of the quote, or a name "\x0a" would read like an escaped newline.
  EXPECT_EQ(QuoteName("it's"), "'it\\x27s'");
  EXPECT_EQ(QuoteName("a\\x0ab"), "'a\\x5cx0ab'");
}

TEST(QuoteName, BytesAbove127AreEscaped) {
  EXPECT_EQ(QuoteName("caf\xc3\xa9"), "'caf\\xc3\\xa9'");
  EXPECT_EQ(QuoteName("\xc2\x9b"), "'\\xc2\\x9b'");  // U+009B, a C1 control (CSI) in UTF-8
  EXPECT_EQ(QuoteName("\xff\xfe"), "'\\xff\\xfe'");
}

TEST(QuoteName, LongNamesAreCut) {
  const std::string name(1000, 'n');
  EXPECT_EQ(QuoteName(name), "'" + std::string(kMaxQuotedNameBytes, 'n') + "'...(1000 bytes)");
  EXPECT_EQ(QuoteName(std::string(kMaxQuotedNameBytes, 'n')), "'" + std::string(kMaxQuotedNameBytes, 'n') + "'");
  EXPECT_EQ(QuoteName("abcdef", 3), "'abc'...(6 bytes)");
  EXPECT_EQ(QuoteName("ab\ncd", 3), "'ab\\x0a'...(5 bytes)");  // the cut counts source bytes
}

TEST(QuoteName, ResultIsAlwaysPrintableAscii) {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  const std::string q = QuoteName(all, all.size());
  for (char ch : q) {
    const auto c = static_cast<unsigned char>(ch);
    EXPECT_TRUE(c >= 0x20 && c < 0x7f) << static_cast<int>(c);
  }
  EXPECT_EQ(q.size(), 2 + 95 - 2 + 4 * (256 - 95 + 2));  // 93 kept as is, 163 escaped, two quotes
}

TEST(PrintableMessage, EscapesOnlyWhatIsNotPrintable) {
  EXPECT_EQ(PrintableMessage("tensor 3 'x\\x0a': bad"), "tensor 3 'x\\x0a': bad");
  EXPECT_EQ(PrintableMessage("two\nlines\x1b"), "two\\x0alines\\x1b");
  EXPECT_EQ(PrintableMessage("\xe2\x80\xae"), "\\xe2\\x80\\xae");  // U+202E, right-to-left override
}

}  // namespace
}  // namespace tinyfuse
