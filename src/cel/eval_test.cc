// src/cel/eval_test.cc: evaluation semantics from a table of expressions and expected results.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "cel/cel.h"

namespace cellar::cel {
namespace {

struct EvalCase {
  std::string expr;
  std::string expected;  // DebugString of the result, or "error" for any error value
};

class EvalTest : public testing::TestWithParam<EvalCase> {};

TEST_P(EvalTest, Evaluates) {
  Env env = Env::Standard();
  auto program = Compile(GetParam().expr, env);
  ASSERT_TRUE(program.ok()) << program.status().message();
  Activation vars;
  vars.Bind("x", Value::Int(7));
  auto result = (*program)->Evaluate(vars);
  ASSERT_TRUE(result.ok()) << result.status().message();
  if (GetParam().expected == "error") {
    EXPECT_TRUE(result->is_error()) << result->DebugString();
  } else {
    EXPECT_EQ(result->DebugString(), GetParam().expected) << GetParam().expr;
  }
}

INSTANTIATE_TEST_SUITE_P(
    All, EvalTest,
    testing::Values(
        EvalCase{"1 + 2 * 3", "7"}, EvalCase{"9223372036854775807 + 1", "error"},
        EvalCase{"0u - 1u", "error"}, EvalCase{"1 / 0", "error"},
        EvalCase{"1 == 1u && 1u == 1.0", "true"}, EvalCase{"1 < 1.5", "true"},
        EvalCase{"1 / 0 > 2 || true", "true"}, EvalCase{"true || 1 / 0 > 2", "true"},
        EvalCase{"false && 1 / 0 > 2", "false"}, EvalCase{"1 / 0 > 2 && false", "false"},
        EvalCase{"x * 2", "14"}, EvalCase{"y", "error"}, EvalCase{"y || true", "true"},
        EvalCase{"[1, 2, 3].map(v, v * x)", "[7, 14, 21]"},
        EvalCase{"[1, 2, 3].filter(v, v > 1)", "[2, 3]"},
        EvalCase{"[1, 2, 3].exists_one(v, v > 2)", "true"},
        EvalCase{"[1, 2, 3].all(v, v > 0)", "true"}, EvalCase{"{'a': 1}.a + {'a': 1}['a']", "2"},
        EvalCase{"{'a': 1}.b", "error"}, EvalCase{"has({'a': 1}.a)", "true"},
        EvalCase{"'héllo'.size()", "5"},
        // Code points across the 8-byte steps: 2-, 3- and 4-byte sequences straddling them.
        EvalCase{"size('abcdefg\u00e9xyz\u65e5\u672c\U0001F600!')", "15"},
        EvalCase{"size('\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9')", "9"},
        EvalCase{"'abc'.matches('^a.c$')", "true"}, EvalCase{"'x' + 'y'", "\"xy\""},
        EvalCase{"type(1) == int", "true"}, EvalCase{"cel.bind(a, 2, a * a)", "4"},
        EvalCase{"string(1.5)", "\"1.5\""}, EvalCase{"int('42')", "42"},
        EvalCase{"timestamp('2009-02-13T23:31:30Z').getFullYear()", "2009"},
        EvalCase{"duration('1h30m') == duration('5400s')", "true"},
        EvalCase{"string(duration('1h'))", "\"3600s\""}, EvalCase{"{'a': 1}.?a.orValue(0)", "1"},
        EvalCase{"2 in [1, 2]", "true"}, EvalCase{"-9223372036854775808", "-9223372036854775808"},
        EvalCase{"true ? 1 : 1 / 0", "1"}));

TEST(EvalLimitsTest, CostBudgetStopsRunawayComprehension) {
  Env env = Env::Standard();
  env.limits().cost_budget = 1000;
  auto program = Compile("[1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b, "
                         "[1,2,3,4,5,6,7,8,9,10].map(c, c)))",
                         env);
  ASSERT_TRUE(program.ok());
  auto result = (*program)->Evaluate(Activation());
  EXPECT_EQ(result.status().code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace cellar::cel

namespace cellar::cel {
namespace {

TEST(EvalConcurrencyTest, OneProgramManyThreads) {
  Env env = Env::Standard();
  auto program = Compile("[1, 2, 3, 4].map(v, v * x).filter(v, v % 2 == 0).size() + x", env);
  ASSERT_TRUE(program.ok());
  std::shared_ptr<const Program> shared = *program;
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Arena arena;
      for (int i = 0; i < 2000; ++i) {
        Activation vars;
        int64_t x = t * 1000 + i;
        vars.Bind("x", Value::Int(x));
        auto r = shared->Evaluate(arena, vars);
        int64_t evens = x % 2 == 0 ? 4 : 2;
        if (!r.ok() || r->kind() != Kind::kInt || r->int_value() != evens + x) {
          ++mismatches;
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace cellar::cel

namespace cellar::cel {
namespace {

TEST(EvalLimitsTest, HugeRangeIsStoppedByTheBudget) {
  Env env = Env::Standard();
  auto program = Compile("lists.range(100000000).size()", env);
  ASSERT_TRUE(program.ok());
  EXPECT_EQ((*program)->Evaluate(Activation()).status().code(), StatusCode::kResourceExhausted);
}

TEST(EvalLimitsTest, DeadlineStopsLongEvaluation) {
  Env env = Env::Standard();
  env.limits().cost_budget = INT64_MAX / 2;
  env.limits().timeout = std::chrono::milliseconds(20);
  auto program = Compile(
      "lists.range(2000).map(i, lists.range(2000).map(j, i * j).size()).size()", env);
  ASSERT_TRUE(program.ok());
  EXPECT_EQ((*program)->Evaluate(Activation()).status().code(), StatusCode::kDeadlineExceeded);
}

}  // namespace
}  // namespace cellar::cel
