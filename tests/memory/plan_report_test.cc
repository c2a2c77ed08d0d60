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
            R"(memory plan: 4 steps, 6 buffers in 5 storage groups, alignment 16
floor:  1500 bytes at step 0 (0 CONV_2D)
bound:  1520 bytes (least possible total at this alignment, in-place sharing honoured)
arena:  1520 bytes by greedy-size, 20 above the floor, optimal
planners:
  linear                    2688
  greedy-size               1520  <- kept  (optimal)
  greedy-conflicts          1520  (optimal)
  greedy-breadth            1520  (optimal)
  hill-climb                1520  (optimal)
  exact                     1520  (optimal)
   id      offset      size  first  last  kind       alias          name
    0           0      1000      0     1  input      -              input
    1        1008       500      0     1  activation -              conv "out"
    2        1008       500      1     2  activation view:1         reshaped
    3           0       800      2     3  activation -              sum
    4         800       300      3     3  output     -              probs
    5        1104        64      3     3  workspace  -              softmax scratch
)");
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
       {"\"floor_bytes\": 1500,", "\"floor_step\": 0,", "\"bound_bytes\": 1520,",
        "\"arena_bytes\": 1520,", "\"padding_bytes\": 20,", "\"alignment\": 16,",
        "\"planner\": \"greedy-size\",", "\"proven_optimal\": true,",
        "\"planners\": {\"linear\": 2688, \"greedy-size\": 1520, \"greedy-conflicts\": 1520, "
        "\"greedy-breadth\": 1520, \"hill-climb\": 1520, \"exact\": 1520},",
        R"({"id": 1, "name": "conv \"out\"", "kind": "activation", "size": 500, "first": 0, "last": 1, "offset": 1008, "alias_of": -1, "tensor": -1})",
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
