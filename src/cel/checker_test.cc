// src/cel/checker_test.cc: the type checker: deduced types and type errors (with positions)
// for expressions over declared variables, functions and the cellar.v1 messages.
#include "cel/checker.h"

#include <gtest/gtest.h>

#include <chrono>

#include "cel/cellar_messages.h"
#include "cel/checker_decls.h"

namespace cellar::cel {
namespace {

struct Case {
  const char* expr;
  const char* want;  // the type, or a substring of the error ("<input>:1:5: ...")
  std::vector<std::pair<const char*, const char*>> vars = {};
  const char* container = "";
};

Env TestEnv(const Case& c) {
  Env env = Env::Standard();
  env.set_type_provider(CellarTypeProvider());
  env.set_strict_declarations(true);
  env.set_container(c.container);
  for (const auto& [name, type] : c.vars) {
    EXPECT_TRUE(env.DeclareVariable(name, type).ok()) << type;
  }
  return env;
}

std::string CheckToString(const Case& c) {
  auto checked = Check(c.expr, TestEnv(c));
  return checked.ok() ? checked->result_type.ToString() : checked.status().message();
}

class DeducedTypeTest : public testing::TestWithParam<Case> {};

TEST_P(DeducedTypeTest, Deduces) { EXPECT_EQ(CheckToString(GetParam()), GetParam().want); }

INSTANTIATE_TEST_SUITE_P(
    Checker, DeducedTypeTest,
    testing::Values(
        Case{"1 + 2", "int"}, Case{"1u * 2u", "uint"}, Case{"'a' + 'b'", "string"},
        Case{"b'a' + b'b'", "bytes"}, Case{"null", "null_type"}, Case{"2.0 / 4.0", "double"},
        Case{"[1, 2][0]", "int"}, Case{"{'a': 1}['a']", "int"}, Case{"[]", "list(dyn)"},
        Case{"{}", "map(dyn, dyn)"}, Case{"[1, 'a']", "list(dyn)"},
        Case{"[[], [1]]", "list(list(int))"}, Case{"[[1], []]", "list(list(int))"},
        Case{"size('abc') + 'abc'.size()", "int"}, Case{"1 < 2.0 && 'a' < 'b'", "bool"},
        Case{"type(1)", "type(int)"}, Case{"int", "type(int)"}, Case{"dyn(1)", "dyn"},
        Case{"true ? 1 : 2", "int"}, Case{"[1, 2].map(x, double(x) * 2.0)", "list(double)"},
        Case{"[1, 2].filter(x, x > 1)", "list(int)"}, Case{"[1].exists(x, x == 1)", "bool"},
        Case{"{'a': 1}.transformMap(k, v, v + 1)", "map(string, int)"},
        Case{"cel.bind(x, 'a', x + x)", "string"},
        Case{"timestamp('2020-01-01T00:00:00Z') - duration('1h')", "google.protobuf.Timestamp"},
        Case{"timestamp('2020-01-01T00:00:00Z').getFullYear()", "int"},
        Case{"optional.of(1).orValue(2)", "int"}, Case{"[optional.none(), optional.of('a')]",
                                                       "list(optional_type(string))"},
        Case{"{'a': 1}[?'a']", "optional_type(int)"}, Case{"math.greatest(1, 2, 3)", "int"},
        Case{"math.greatest(1, 2.0)", "dyn"}, Case{"'a,b'.split(',').join('-')", "string"},
        Case{"[3, 1].sort().first()", "optional_type(int)"},
        Case{"x.email.endsWith('@x.org')", "bool", {{"x", "map(string, dyn)"}}},
        Case{"x + 1", "int", {{"x", "google.protobuf.Int64Value"}}},
        Case{"[x, 1]", "list(wrapper(int))", {{"x", "google.protobuf.Int64Value"}}},
        Case{"x == null", "bool", {{"x", "google.protobuf.Int64Value"}}},
        Case{"a.policies", "list(string)", {{"a", "cellar.v1.Auth"}}},
        Case{"a.ttl", "google.protobuf.Duration", {{"a", "cellar.v1.Auth"}}},
        Case{"a.claims.groups", "dyn", {{"a", "cellar.v1.Auth"}}},
        Case{"a.alias.metadata", "map(string, string)", {{"a", "cellar.v1.Auth"}}},
        Case{"has(a.alias.name)", "bool", {{"a", "cellar.v1.Auth"}}},
        Case{"cellar.v1.Auth{policies: ['x'], ttl: duration('1h')}", "cellar.v1.Auth"},
        Case{"Auth{}", "cellar.v1.Auth", {}, "cellar.v1"},
        Case{"v1.Auth{display_name: 'n'}.display_name", "string", {}, "cellar"},
        Case{"google.protobuf.Int64Value{value: 1}", "wrapper(int)"},
        Case{"y", "int", {{"a.b.y", "int"}}, "a.b"}, Case{"b.y", "int", {{"a.b.y", "int"}}, "a"}));

class TypeErrorTest : public testing::TestWithParam<Case> {};

TEST_P(TypeErrorTest, Rejects) {
  std::string got = CheckToString(GetParam());
  EXPECT_NE(got.find(GetParam().want), std::string::npos) << got;
}

INSTANTIATE_TEST_SUITE_P(
    Checker, TypeErrorTest,
    testing::Values(
        Case{"nope + 1", "<input>:1:1: undeclared reference to 'nope' (in container '')"},
        Case{"1 + 'a'", "<input>:1:3: found no matching overload for '_+_' applied to "
                        "'(int, string)'"},
        Case{"'a'.startsWith(1)", "found no matching overload for 'startsWith' applied to "
                                  "'string.(int)'"},
        Case{"1 == 1u", "found no matching overload for '_==_'"},
        Case{"true ? 1 : 'a'", "found no matching overload for '_?_:_'"},
        Case{"1.foo", "<input>:1:2: type 'int' does not support field selection"},
        Case{"a.nope", "undefined field 'nope'", {{"a", "cellar.v1.Auth"}}},
        Case{"cellar.v1.Auth{policies: 'x'}",
             "expected type of field 'policies' is 'list(string)' but provided type is 'string'"},
        Case{"cellar.v1.Nope{}", "undeclared reference to 'cellar.v1.Nope'"},
        Case{"int{}", "'int' is not a message type"},
        Case{"[1].all(x, x)", "found no matching overload for '_&&_' applied to '(bool, int)'"},
        Case{"[1, 2].map(x, x * 2.0)", "applied to '(int, double)'"},
        Case{"(1).all(x, x)", "cannot be range of a comprehension"},
        Case{"x.y\n  + 1", "<input>:2:3: found no matching overload",
             {{"x", "map(string, string)"}}},
        Case{"nofn(1)", "undeclared reference to 'nofn'"}));

TEST(CheckerTest, RecordsOverloadIdsPerCall) {
  Env env = Env::Standard();
  auto checked = Check("1 + 2 == 3", env);
  ASSERT_TRUE(checked.ok()) << checked.status().message();
  std::vector<std::string> ids;
  for (const auto& [id, ref] : checked->references) {
    ids.insert(ids.end(), ref.overload_ids.begin(), ref.overload_ids.end());
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"add_int64", "equals"}));
}

TEST(CheckerTest, DynArgumentMatchesEveryOverload) {
  Env env = Env::Standard();
  env.DeclareVariable("d", Type::Dyn());
  auto checked = Check("d + 1", env);
  ASSERT_TRUE(checked.ok()) << checked.status().message();
  // int + int and the list, string... overloads cannot take an int: only add_int64 matches.
  EXPECT_EQ(checked->result_type.ToString(), "int");
  auto both = Check("d + d", env);
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->result_type.ToString(), "dyn");
}

TEST(CheckerTest, DeclaredFunctionWithTypeParameters) {
  Env env = Env::Standard();
  FunctionDecl pair{"pair", {}};
  pair.overloads.push_back(*ParseOverloadDecl("pair_a_b", false, "A, B -> tuple(A, B)"));
  env.DeclareFunction(pair);
  auto checked = Check("[pair(1, 'a'), pair(2, 'b')][0]", env);
  ASSERT_TRUE(checked.ok()) << checked.status().message();
  EXPECT_EQ(checked->result_type.ToString(), "tuple(int, string)");
}

TEST(CheckerTest, UndeclaredFunctionFromRegistryIsTypedByKinds) {
  Env env = Env::Standard();
  env.AddFunction({"twice", false, {Kind::kString}, [](auto args, auto&) { return args[0]; }});
  env.set_strict_declarations(true);
  auto ok = Check("twice('a')", env);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->result_type.ToString(), "dyn");
  EXPECT_FALSE(Check("twice(1)", env).ok());
}

TEST(CheckerTest, NonStrictUndeclaredNamesAreDyn) {
  Env env = Env::Standard();
  auto checked = Check("claims.groups.size() > 1", env);
  ASSERT_TRUE(checked.ok()) << checked.status().message();
  EXPECT_EQ(checked->result_type.ToString(), "bool");
}

TEST(CheckerTest, CompileRejectsTypeErrorsOnlyWhenDeclarationsExist) {
  Env plain = Env::Standard();
  EXPECT_TRUE(Compile("1 + 'a'", plain).ok());  // evaluates to an error value instead
  Env declared = Env::Standard();
  declared.DeclareVariable("x", Type::Of(TypeKind::kInt));
  auto program = Compile("x + 'a'", declared);
  ASSERT_FALSE(program.ok());
  EXPECT_NE(program.status().message().find("no matching overload"), std::string::npos);
  declared.set_type_check(Env::TypeCheck::kNever);
  EXPECT_TRUE(Compile("x + 'a'", declared).ok());
}

TEST(CheckerTest, ProgramCarriesTheCheckedResultType) {
  Env env = Env::Standard();
  env.DeclareVariable("xs", Type::List(Type::Of(TypeKind::kString)));
  auto program = Compile("xs.map(x, x.size())", env);
  ASSERT_TRUE(program.ok()) << program.status().message();
  EXPECT_EQ((*program)->result_type().ToString(), "list(int)");
}

TEST(CheckerTest, LongLiteralOfTypeVariablesChecksInLinearTime) {
  // 30,000 empty lists each bring a type variable; a lookup that scans the bindings (or a copy
  // of them per unification) takes minutes here instead of milliseconds.
  std::string src = "[";
  for (int i = 0; i < 30000; ++i) {
    src += "[],";
  }
  src += "[1]]";
  Env env = Env::Standard();
  auto start = std::chrono::steady_clock::now();
  auto checked = Check(src, env);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(checked.ok()) << checked.status().message();
  EXPECT_EQ(checked->result_type.ToString(), "list(list(int))");
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

TEST(CheckerDeclsTest, EveryBuiltinRowParsesAndNamesARegisteredFunction) {
  std::vector<DeclRow> rows;
  AppendStandardDeclRows(rows);
  AppendExtensionDeclRows(rows);
  Env env = Env::Standard();
  for (const DeclRow& row : rows) {
    auto parsed = ParseOverloadDecl(row.id, row.member, row.signature);
    EXPECT_TRUE(parsed.ok()) << row.id << ": " << parsed.status().message();
    EXPECT_TRUE(IsCoreFunction(row.name) || env.functions().HasName(row.name)) << row.name;
  }
}

}  // namespace
}  // namespace cellar::cel
