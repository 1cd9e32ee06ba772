// src/framework/responses_test.cc: LIST responses carry keys, or nothing when there are none.
#include "framework/responses.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace cellar::framework {
namespace {

TEST(ListResponseTest, CarriesKeysInOrder) {
  Response r = ListResponse({"b", "a/"});
  ASSERT_TRUE(r.data.has_value());
  EXPECT_EQ(r.data->at("keys"), boost::json::parse(R"(["b","a/"])"));
}

TEST(ListResponseTest, NoKeysIsEmpty) { EXPECT_TRUE(ListResponse({}).Empty()); }

}  // namespace
}  // namespace cellar::framework
