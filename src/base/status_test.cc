// src/base/status_test.cc: Status, StatusOr and the propagation macros.
#include "base/status.h"

#include <gtest/gtest.h>

#include <memory>

#include "base/status_macros.h"

namespace cellar {
namespace {

StatusOr<int> Half(int n) {
  if (n % 2 != 0) {
    return InvalidArgumentError("odd");
  }
  return n / 2;
}

StatusOr<int> Quarter(int n) {
  CELLAR_ASSIGN_OR_RETURN(int h, Half(n));
  CELLAR_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(StatusTest, DefaultIsOk) {
  EXPECT_TRUE(Status().ok());
  EXPECT_EQ(Status().ToString(), "OK");
}

TEST(StatusTest, ErrorCarriesCodeAndMessage) {
  Status s = NotFoundError("no secret");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.ToString(), "NotFound: no secret");
  EXPECT_EQ(s.WithPrefix("kv").message(), "kv: no secret");
}

TEST(StatusOrTest, PropagatesFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).status().code(), StatusCode::kInvalidArgument);
}

TEST(StatusOrTest, OkStatusWithoutValueIsInternal) {
  StatusOr<int> v(OkStatus());
  EXPECT_EQ(v.status().code(), StatusCode::kInternal);
}

TEST(StatusOrTest, HoldsMoveOnlyValues) {
  StatusOr<std::unique_ptr<int>> v(std::make_unique<int>(7));
  ASSERT_TRUE(v.ok());
  std::unique_ptr<int> p = std::move(v).value();
  EXPECT_EQ(*p, 7);
}

}  // namespace
}  // namespace cellar
