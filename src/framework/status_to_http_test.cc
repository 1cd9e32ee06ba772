// src/framework/status_to_http_test.cc: every StatusCode maps to the HTTP status API.md §2 names.
#include "framework/status_to_http.h"

#include <gtest/gtest.h>

namespace cellar::framework {
namespace {

struct Case {
  StatusCode code;
  int http;
};

class HttpStatusForTest : public testing::TestWithParam<Case> {};

TEST_P(HttpStatusForTest, MapsCode) { EXPECT_EQ(HttpStatusFor(GetParam().code), GetParam().http); }

INSTANTIATE_TEST_SUITE_P(
    All, HttpStatusForTest,
    testing::Values(Case{StatusCode::kOk, 200}, Case{StatusCode::kInvalidArgument, 400},
                    Case{StatusCode::kAlreadyExists, 400},
                    Case{StatusCode::kFailedPrecondition, 400}, Case{StatusCode::kAborted, 400},
                    Case{StatusCode::kDeadlineExceeded, 400},
                    Case{StatusCode::kPermissionDenied, 403}, Case{StatusCode::kNotFound, 404},
                    Case{StatusCode::kUnknownPath, 404}, Case{StatusCode::kUnsupported, 405},
                    Case{StatusCode::kTooLarge, 413}, Case{StatusCode::kResourceExhausted, 429},
                    Case{StatusCode::kSealed, 503}, Case{StatusCode::kUnavailable, 503},
                    Case{StatusCode::kInternal, 500}));

TEST(ErrorBodyTest, CarriesMessage) {
  EXPECT_EQ(ErrorBody(PermissionDeniedError()), R"({"errors":["permission denied"]})");
}

TEST(ErrorBodyTest, EmptyNotFoundHasNoErrors) {
  EXPECT_EQ(ErrorBody(NotFoundError("")), R"({"errors":[]})");
}

TEST(ErrorBodyTest, InternalHidesDetail) {
  EXPECT_EQ(ErrorBody(InternalError("sqlite: disk I/O error at core/mounts")),
            R"({"errors":["internal error"]})");
}

TEST(ErrorBodyTest, EscapesMessage) {
  EXPECT_EQ(ErrorBodyFromMessage("bad \"x\""), R"({"errors":["bad \"x\""]})");
}

}  // namespace
}  // namespace cellar::framework
