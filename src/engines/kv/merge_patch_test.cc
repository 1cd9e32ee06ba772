// src/engines/kv/merge_patch_test.cc: the RFC 7386 appendix examples.
#include "engines/kv/merge_patch.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace cellar::engines::kv {
namespace {

struct PatchCase {
  std::string_view target, patch, want;
};

class MergePatchTest : public testing::TestWithParam<PatchCase> {};

TEST_P(MergePatchTest, MatchesRfc7386) {
  boost::json::object target = boost::json::parse(GetParam().target).as_object();
  ApplyMergePatch(target, boost::json::parse(GetParam().patch).as_object());
  EXPECT_EQ(boost::json::value(target), boost::json::parse(GetParam().want));
}

INSTANTIATE_TEST_SUITE_P(
    All, MergePatchTest,
    testing::Values(PatchCase{R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
                    PatchCase{R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
                    PatchCase{R"({"a":"b"})", R"({"a":null})", "{}"},
                    PatchCase{R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
                    PatchCase{R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
                    PatchCase{R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
                    PatchCase{R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})",
                              R"({"a":{"b":"d"}})"},
                    PatchCase{R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
                    PatchCase{R"({"e":null})", R"({"a":1})", R"({"e":null,"a":1})"},
                    PatchCase{"{}", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"}));

}  // namespace
}  // namespace cellar::engines::kv
