// src/framework/field_data_test.cc: weak typing of every field type, from one table.
#include "framework/field_data.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace cellar::framework {
namespace {

namespace json = boost::json;

struct ConvertCase {
  FieldType type;
  std::string_view input;  // JSON
  std::string_view want;   // JSON of the normal form, or "" for an InvalidArgument error
};

class ConvertFieldTest : public testing::TestWithParam<ConvertCase> {};

TEST_P(ConvertFieldTest, ConvertsLikeVault) {
  const ConvertCase& c = GetParam();
  auto got = ConvertField(c.type, json::parse(c.input));
  if (c.want.empty()) {
    ASSERT_FALSE(got.ok()) << c.input << " gave " << json::serialize(*got);
    EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
  } else {
    ASSERT_TRUE(got.ok()) << c.input << ": " << got.status().ToString();
    EXPECT_EQ(*got, json::parse(c.want)) << c.input << " gave " << json::serialize(*got);
  }
}

INSTANTIATE_TEST_SUITE_P(
    All, ConvertFieldTest,
    testing::Values(
        ConvertCase{FieldType::kString, R"("abc")", R"("abc")"},
        ConvertCase{FieldType::kString, "5", R"("5")"},
        ConvertCase{FieldType::kString, "2.5", R"("2.5")"},
        ConvertCase{FieldType::kString, "true", R"("1")"},
        ConvertCase{FieldType::kString, "[1]", ""}, ConvertCase{FieldType::kString, "{}", ""},
        ConvertCase{FieldType::kLowerCaseString, R"("MiXeD")", R"("mixed")"},
        ConvertCase{FieldType::kInt, "5", "5"}, ConvertCase{FieldType::kInt, R"("5")", "5"},
        ConvertCase{FieldType::kInt, R"("-7")", "-7"}, ConvertCase{FieldType::kInt, "5.0", "5"},
        ConvertCase{FieldType::kInt, R"("")", "0"}, ConvertCase{FieldType::kInt, "true", "1"},
        ConvertCase{FieldType::kInt, "5.5", ""}, ConvertCase{FieldType::kInt, R"("abc")", ""},
        ConvertCase{FieldType::kInt, R"("5x")", ""}, ConvertCase{FieldType::kInt, "[5]", ""},
        ConvertCase{FieldType::kBool, "true", "true"},
        ConvertCase{FieldType::kBool, R"("true")", "true"},
        ConvertCase{FieldType::kBool, R"("True")", "true"},
        ConvertCase{FieldType::kBool, R"("1")", "true"},
        ConvertCase{FieldType::kBool, R"("F")", "false"},
        ConvertCase{FieldType::kBool, R"("")", "false"},
        ConvertCase{FieldType::kBool, "0", "false"}, ConvertCase{FieldType::kBool, "2", "true"},
        ConvertCase{FieldType::kBool, R"("yes")", ""}, ConvertCase{FieldType::kBool, "{}", ""},
        ConvertCase{FieldType::kDuration, "3600", "3600"},
        ConvertCase{FieldType::kDuration, R"("3600")", "3600"},
        ConvertCase{FieldType::kDuration, R"("1h30m")", "5400"},
        ConvertCase{FieldType::kDuration, R"("2d")", "172800"},
        ConvertCase{FieldType::kDuration, R"("")", "0"},
        ConvertCase{FieldType::kDuration, "-5", ""},
        ConvertCase{FieldType::kDuration, R"("-5s")", ""},
        ConvertCase{FieldType::kDuration, R"("soon")", ""},
        ConvertCase{FieldType::kDuration, "true", ""},
        ConvertCase{FieldType::kCommaList, R"("a, b ,c")", R"(["a","b","c"])"},
        ConvertCase{FieldType::kCommaList, R"(["a","b"])", R"(["a","b"])"},
        ConvertCase{FieldType::kCommaList, R"(["a",5])", R"(["a","5"])"},
        ConvertCase{FieldType::kCommaList, R"("")", "[]"},
        ConvertCase{FieldType::kCommaList, "7", R"(["7"])"},
        ConvertCase{FieldType::kCommaList, R"([["a"]])", ""},
        ConvertCase{FieldType::kCommaList, "{}", ""},
        ConvertCase{FieldType::kNameList, R"("Dev, OPS")", R"(["dev","ops"])"},
        ConvertCase{FieldType::kStringList, R"("a,b")", R"(["a,b"])"},
        ConvertCase{FieldType::kStringList, R"(["a","b"])", R"(["a","b"])"},
        ConvertCase{FieldType::kMap, R"({"a":{"b":1}})", R"({"a":{"b":1}})"},
        ConvertCase{FieldType::kMap, R"("a=b")", ""}, ConvertCase{FieldType::kMap, "[]", ""},
        ConvertCase{FieldType::kStringMap, R"({"a":1,"b":"x","c":null})", R"({"a":"1","b":"x"})"},
        ConvertCase{FieldType::kStringMap, R"({"a":[1]})", ""},
        ConvertCase{FieldType::kRaw, R"([1,{"a":null}])", R"([1,{"a":null}])"}));

const std::vector<FieldSchema>& Schema() {
  static const std::vector<FieldSchema> schema = {
      {"name", FieldType::kString, "A name."},
      {"max_versions", FieldType::kInt, "Versions kept.", 10},
      {"ttl", FieldType::kDuration, "TTL.", "1h"},
      {"enabled", FieldType::kBool, "On or off."},
      {"tags", FieldType::kCommaList, "Tags."},
      {"meta", FieldType::kMap, "Free map."},
      {"labels", FieldType::kStringMap, "Labels."},
  };
  return schema;
}

TEST(FieldDataTest, NamesFieldAndInputInConversionError) {
  auto fd = FieldData::Parse(Schema(), json::parse(R"({"max_versions":"abc"})").as_object());
  ASSERT_FALSE(fd.ok());
  EXPECT_EQ(fd.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(
      fd.status().message().rfind(R"(error converting input "abc" for field "max_versions": )", 0),
      0u)
      << fd.status().message();
}

TEST(FieldDataTest, NullIsAbsentAndUsesDefault) {
  auto fd = FieldData::Parse(Schema(), json::parse(R"({"max_versions":null})").as_object());
  ASSERT_TRUE(fd.ok());
  EXPECT_FALSE(fd->Has("max_versions"));
  EXPECT_EQ(fd->GetInt("max_versions"), 10);
}

TEST(FieldDataTest, DefaultsAreConverted) {
  auto fd = FieldData::Parse(Schema(), json::object());
  ASSERT_TRUE(fd.ok());
  EXPECT_EQ(fd->GetDuration("ttl"), Seconds(3600));
  EXPECT_FALSE(fd->Has("ttl"));
}

TEST(FieldDataTest, SetValueOverridesDefault) {
  auto fd = FieldData::Parse(Schema(), json::parse(R"({"ttl":"2m"})").as_object());
  ASSERT_TRUE(fd.ok());
  EXPECT_TRUE(fd->Has("ttl"));
  EXPECT_EQ(fd->GetDuration("ttl"), Seconds(120));
}

TEST(FieldDataTest, CapturesWinOverRawAndRawFillsTheRest) {
  const FieldCapture captures[] = {{"ttl", "5m"}};
  auto fd = FieldData::Parse(Schema(), json::parse(R"({"ttl":"2m","max_versions":3})").as_object(),
                             captures);
  ASSERT_TRUE(fd.ok());
  EXPECT_EQ(fd->GetDuration("ttl"), Seconds(300));
  EXPECT_EQ(fd->GetInt("max_versions"), 3);
}

TEST(FieldDataTest, TypedAccessorsReturnConvertedValues) {
  auto fd = FieldData::Parse(
      Schema(), json::parse(R"({"name":5,"enabled":"true","tags":"a,b","meta":{"k":[1]},
                               "labels":{"x":true}})")
                    .as_object());
  ASSERT_TRUE(fd.ok()) << fd.status().ToString();
  EXPECT_EQ(fd->GetString("name"), "5");
  EXPECT_TRUE(fd->GetBool("enabled"));
  EXPECT_EQ(fd->GetList("tags"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(json::value(fd->GetMap("meta")), json::parse(R"({"k":[1]})"));
  EXPECT_EQ(fd->GetStringMap("labels"), (std::map<std::string, std::string>{{"x", "1"}}));
}

TEST(FieldDataTest, AbsentFieldsGiveZeroValues) {
  auto fd = FieldData::Parse(Schema(), json::object());
  ASSERT_TRUE(fd.ok());
  EXPECT_EQ(fd->GetString("name"), "");
  EXPECT_FALSE(fd->GetBool("enabled"));
  EXPECT_TRUE(fd->GetList("tags").empty());
  EXPECT_TRUE(fd->GetMap("meta").empty());
  EXPECT_EQ(fd->Get("name"), nullptr);
  EXPECT_EQ(fd->GetString("undeclared"), "");
}

TEST(FieldDataTest, UndeclaredKeysAreIgnored) {
  auto fd = FieldData::Parse(Schema(), json::parse(R"({"bogus":{"x":1}})").as_object());
  ASSERT_TRUE(fd.ok());
  EXPECT_FALSE(fd->Has("bogus"));
}

}  // namespace
}  // namespace cellar::framework
