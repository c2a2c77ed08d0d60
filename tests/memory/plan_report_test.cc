#include "memory/plan_report.h"

#include <gtest/gtest.h>

#include <cctype>

#include "memory/plan_arena.h"

namespace tinyfuse::memory {
namespace {

// input -> CONV_2D -> conv "out" -> RESHAPE (view) -> ADD -> sum -> SOFTMAX (+ scratch) -> probs
Schedule Demo() {
  Schedule s;
  s.num_steps = 4;
  s.step_labels = {"0 CONV_2D", "1 RESHAPE", "2 ADD", "3 SOFTMAX"};
  AddBuffer(&s, "input", 1000, BufferSpec::kInput, 0, 1);
  AddBuffer(&s, "conv \"out\"", 500, BufferSpec::kActivation, 0, 1);
  AddBuffer(&s, "reshaped", 500, BufferSpec::kActivation, 1, 2);
  AddBuffer(&s, "sum", 800, BufferSpec::kActivation, 2, 3);
  AddBuffer(&s, "probs", 300, BufferSpec::kOutput, 3, 3);
  AddWorkspace(&s, "softmax scratch", 64, 3);
  MakeView(&s, 2, 1);
  return s;
}

TEST(PlanReportTest, Text) {
  const Schedule s = Demo();
  EXPECT_EQ(PlanText(s, PlanArena(s)),
            R"(memory plan: 4 steps, 6 buffers in 5 storage groups, alignment 8
floor:  1500 bytes at step 0 (0 CONV_2D)
bound:  1504 bytes (least possible total at this alignment, in-place sharing honoured)
arena:  1504 bytes by greedy-size, 4 above the floor, optimal
planners:
  linear                    2672
  greedy-size               1504  <- kept  (optimal)
  greedy-conflicts          1504  (optimal)
  greedy-breadth            1504  (optimal)
  hill-climb                1504  (optimal)
  exact                     1504  (optimal)
   id      offset      size  first  last  kind       alias          name
    0           0      1000      0     1  input      -              input
    1        1000       500      0     1  activation -              conv "out"
    2        1000       500      1     2  activation view:1         reshaped
    3           0       800      2     3  activation -              sum
    4         800       300      3     3  output     -              probs
    5        1104        64      3     3  workspace  -              softmax scratch
)");
}

// Names come from the model file: the table shows bytes outside printable ASCII as \xHH, never raw
// (a newline would break the table, an escape sequence would reach the terminal).
TEST(PlanReportTest, FileNamesArePrintable) {
  Schedule s;
  s.num_steps = 1;
  AddBuffer(&s, "x\n\x1b[2J\xff", 16, BufferSpec::kInput, 0, 0);
  AddBuffer(&s, "y", 16, BufferSpec::kOutput, 0, 0);
  const std::string text = PlanText(s, PlanArena(s));
  EXPECT_NE(text.find("x\\x0a\\x1b[2J\\xff\n"), std::string::npos) << text;
  for (const char c : text) EXPECT_TRUE(c == '\n' || (c >= 0x20 && c < 0x7f)) << static_cast<int>(c);
}

// An ADD writing its 800-byte sum over its dying 1000-byte input: the arena goes below the no-reuse floor.
TEST(PlanReportTest, InPlaceBuffersAreListed) {
  Schedule s;
  s.num_steps = 2;
  AddBuffer(&s, "x", 1000, BufferSpec::kInput, 0, 1);
  AddBuffer(&s, "y", 600, BufferSpec::kActivation, 0, 1);
  AddBuffer(&s, "sum", 800, BufferSpec::kOutput, 1, 1);
  MakeInPlace(&s, 2, 0);
  const ArenaPlan plan = PlanArena(s);
  const std::string text = PlanText(s, plan);
  EXPECT_NE(text.find("arena:  1600 bytes by linear, 800 below the floor, optimal\n"), std::string::npos) << text;
  EXPECT_NE(text.find("in place: 2 over 0 (output buffer over its dying input)\n"), std::string::npos) << text;
  const std::string json = PlanJson(s, plan);
  EXPECT_NE(json.find("\"padding_bytes\": -800,"), std::string::npos) << json;
  EXPECT_NE(json.find("\"in_place\": [{\"buffer\": 2, \"over\": 0}],"), std::string::npos) << json;
}

TEST(PlanReportTest, TextOfAForcedPlanner) {
  const Schedule s = Demo();
  const std::string text = PlanText(s, PlanArena(s, PlannerKind::kLinear, 16));
  EXPECT_NE(text.find("arena:  2688 bytes by linear, 1188 above the floor\n"), std::string::npos);
  EXPECT_NE(text.find("  linear                    2688  <- kept\n"), std::string::npos);
}

// A strict little JSON checker: true when `text` is exactly one JSON value.
class JsonChecker {
 public:
  explicit JsonChecker(const std::string& text) : t_(text) {}
  bool Valid() {
    Ws();
    if (!Value()) return false;
    Ws();
    return i_ == t_.size();
  }

 private:
  void Ws() {
    while (i_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[i_]))) ++i_;
  }
  bool Eat(char c) {
    Ws();
    if (i_ < t_.size() && t_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool String() {
    if (!Eat('"')) return false;
    while (i_ < t_.size() && t_[i_] != '"') {
      if (static_cast<unsigned char>(t_[i_]) < 0x20) return false;
      if (t_[i_] == '\\') ++i_;
      ++i_;
    }
    return Eat('"');
  }
  bool Value() {
    Ws();
    if (i_ >= t_.size()) return false;
    const char c = t_[i_];
    if (c == '{') {
      ++i_;
      if (Eat('}')) return true;
      do {
        if (!String() || !Eat(':') || !Value()) return false;
      } while (Eat(','));
      return Eat('}');
    }
    if (c == '[') {
      ++i_;
      if (Eat(']')) return true;
      do {
        if (!Value()) return false;
      } while (Eat(','));
      return Eat(']');
    }
    if (c == '"') return String();
    for (const char* word : {"true", "false", "null"}) {
      if (t_.compare(i_, std::string(word).size(), word) == 0) {
        i_ += std::string(word).size();
        return true;
      }
    }
    const size_t start = i_;
    if (t_[i_] == '-') ++i_;
    while (i_ < t_.size() && std::isdigit(static_cast<unsigned char>(t_[i_]))) ++i_;
    return i_ > start && std::isdigit(static_cast<unsigned char>(t_[i_ - 1]));
  }

  const std::string& t_;
  size_t i_ = 0;
};

TEST(PlanReportTest, Json) {
  const Schedule s = Demo();
  const std::string json = PlanJson(s, PlanArena(s));
  EXPECT_TRUE(JsonChecker(json).Valid()) << json;
  for (const char* field :
       {"\"floor_bytes\": 1500,", "\"floor_step\": 0,", "\"bound_bytes\": 1504,",
        "\"arena_bytes\": 1504,", "\"padding_bytes\": 4,", "\"in_place\": [],", "\"alignment\": 8,",
        "\"planner\": \"greedy-size\",", "\"proven_optimal\": true,",
        "\"planners\": {\"linear\": 2672, \"greedy-size\": 1504, \"greedy-conflicts\": 1504, "
        "\"greedy-breadth\": 1504, \"hill-climb\": 1504, \"exact\": 1504},",
        R"({"id": 1, "name": "conv \"out\"", "kind": "activation", "size": 500, "first": 0, "last": 1, "offset": 1000, "alias_of": -1, "tensor": -1})",
        R"("alias_of": 1, "alias_kind": "view")"}) {
    EXPECT_NE(json.find(field), std::string::npos) << field << "\n" << json;
  }
}

TEST(PlanReportTest, JsonOfAnEmptySchedule) {
  const std::string json = PlanJson(Schedule{}, PlanArena(Schedule{}));
  EXPECT_TRUE(JsonChecker(json).Valid()) << json;
  EXPECT_NE(json.find("\"buffers\": []"), std::string::npos) << json;
}

TEST(PlanReportTest, JsonQuote) {
  EXPECT_EQ(JsonQuote("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\u000a\\u0001\"");
  EXPECT_FALSE(JsonChecker("{\"a\": }").Valid());
  EXPECT_FALSE(JsonChecker("[1, 2").Valid());
}

}  // namespace
}  // namespace tinyfuse::memory
