// src/framework/json_fields_test.cc: stored records read back leniently, corrupt ones reported.
#include "framework/json_fields.h"

#include <gtest/gtest.h>

#include "storage/memory_storage.h"

namespace cellar::framework {
namespace {

TEST(JsonFieldsTest, ReadsWhatIsThereAndDefaultsTheRest) {
  boost::json::object o{{"n", 5}, {"s", "x"}, {"b", true}, {"list", {"a", 1, "b"}}};
  EXPECT_EQ(StoredInt(o, "n"), 5);
  EXPECT_EQ(StoredInt(o, "s"), 0);
  EXPECT_EQ(StoredString(o, "s"), "x");
  EXPECT_EQ(StoredString(o, "missing"), "");
  EXPECT_TRUE(StoredBool(o, "b"));
  EXPECT_EQ(StoredStrings(o, "list"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(StoredStrings(o, "s").empty());
}

TEST(JsonFieldsTest, LoadStoredObject) {
  storage::MemoryStorage s;
  ASSERT_TRUE(s.Put("ok", R"({"a": 1})").ok());
  ASSERT_TRUE(s.Put("bad", "[1, 2]").ok());
  auto ok = LoadStoredObject(s, "ok");
  ASSERT_TRUE(ok.ok() && ok->has_value());
  EXPECT_EQ(StoredInt(**ok, "a"), 1);
  auto missing = LoadStoredObject(s, "missing");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  auto bad = LoadStoredObject(s, "bad");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInternal);
  EXPECT_NE(bad.status().message().find("bad"), std::string::npos);
}

}  // namespace
}  // namespace cellar::framework
