// src/core/request_path_test.cc: path validation and mount path normalisation.
#include "core/request_path.h"

#include <gtest/gtest.h>

namespace cellar::core {
namespace {

using framework::Operation;

struct PathCase {
  std::string path;
  Operation op;
  StatusCode code;
};

class ValidateRequestPathTest : public testing::TestWithParam<PathCase> {};

TEST_P(ValidateRequestPathTest, ChecksSegmentsNulAndTrailingSlash) {
  EXPECT_EQ(ValidateRequestPath(GetParam().path, GetParam().op).code(), GetParam().code)
      << GetParam().path;
}

INSTANTIATE_TEST_SUITE_P(
    All, ValidateRequestPathTest,
    testing::Values(PathCase{"secret/data/app", Operation::kRead, StatusCode::kOk},
                    PathCase{"secret/metadata/", Operation::kList, StatusCode::kOk},
                    PathCase{"secret/data/app/", Operation::kDelete, StatusCode::kOk},
                    PathCase{"secret/data/app/", Operation::kUpdate, StatusCode::kInvalidArgument},
                    PathCase{"secret/data/app/", Operation::kCreate, StatusCode::kInvalidArgument},
                    PathCase{"secret/data/app/", Operation::kPatch, StatusCode::kInvalidArgument},
                    PathCase{"secret/../sys/seal", Operation::kRead, StatusCode::kInvalidArgument},
                    PathCase{"secret/./a", Operation::kRead, StatusCode::kInvalidArgument},
                    PathCase{"..", Operation::kRead, StatusCode::kInvalidArgument},
                    PathCase{"secret/a/..", Operation::kRead, StatusCode::kInvalidArgument},
                    PathCase{"secret//a", Operation::kRead, StatusCode::kInvalidArgument},
                    PathCase{std::string("secret/a\0b", 10), Operation::kRead,
                             StatusCode::kInvalidArgument},
                    PathCase{"secret/a..b", Operation::kRead, StatusCode::kOk},
                    PathCase{"sys/mounts/foo/", Operation::kUpdate, StatusCode::kOk},
                    PathCase{"sys/auth/up/", Operation::kUpdate, StatusCode::kOk},
                    PathCase{"sys/policy/p/", Operation::kUpdate, StatusCode::kInvalidArgument}));

TEST(NormalizeMountPathTest, AddsOneTrailingSlashAndStripsLeadingOnes) {
  EXPECT_EQ(NormalizeMountPath("secret").value(), "secret/");
  EXPECT_EQ(NormalizeMountPath("/secret//").value(), "secret/");
  EXPECT_EQ(NormalizeMountPath("team/kv").value(), "team/kv/");
}

TEST(NormalizeMountPathTest, RejectsEmptyAndDotSegments) {
  EXPECT_EQ(NormalizeMountPath("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(NormalizeMountPath("/").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(NormalizeMountPath("a/../b").status().code(), StatusCode::kInvalidArgument);
}

TEST(MatchesPathPatternTest, ExactAndStarSuffix) {
  EXPECT_TRUE(MatchesPathPattern("login/*", "login/alice"));
  EXPECT_TRUE(MatchesPathPattern("login", "login"));
  EXPECT_FALSE(MatchesPathPattern("login", "login/alice"));
  EXPECT_FALSE(MatchesPathPattern("login/*", "users/alice"));
}

}  // namespace
}  // namespace cellar::core
