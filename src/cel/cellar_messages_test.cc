// src/cel/cellar_messages_test.cc: programs build and read cellar.v1 messages.
#include "cel/cellar_messages.h"

#include <gtest/gtest.h>

#include "cel/proto_provider.h"
#include "cellar/v1/messages.pb.h"

namespace cellar::cel {
namespace {

TEST(CellarMessagesTest, ProgramConstructsAuth) {
  Env env = Env::Standard();
  env.set_type_provider(CellarTypeProvider());
  auto program = Compile(
      "cellar.v1.Auth{policies: ['a', 'b'], ttl: duration('1h'), metadata: {'team': 'x'}, "
      "alias: cellar.v1.Alias{name: 'alice'}}",
      env);
  ASSERT_TRUE(program.ok()) << program.status().message();
  auto result = (*program)->Evaluate(Activation());
  ASSERT_TRUE(result.ok());
  const auto* auth = dynamic_cast<const cellar::v1::Auth*>(ValueAsProtoMessage(*result));
  ASSERT_NE(auth, nullptr) << result->DebugString();
  EXPECT_EQ(auth->policies_size(), 2);
  EXPECT_EQ(auth->ttl().seconds(), 3600);
  EXPECT_EQ(auth->metadata().at("team"), "x");
  EXPECT_EQ(auth->alias().name(), "alice");
}

TEST(CellarMessagesTest, WrongFieldTypeIsAnError) {
  Env env = Env::Standard();
  env.set_type_provider(CellarTypeProvider());
  auto program = Compile("cellar.v1.Auth{num_uses: 'many'}", env);
  ASSERT_TRUE(program.ok());
  auto result = (*program)->Evaluate(Activation());
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->is_error());
}

TEST(CellarMessagesTest, ProgramReadsFieldsAndPresence) {
  Env env = Env::Standard();
  env.set_type_provider(CellarTypeProvider());
  auto program = Compile(
      "cellar.v1.PolicyDecision{allow: true}.allow && "
      "!has(cellar.v1.PolicyDecision{allow: true}.reason)",
      env);
  ASSERT_TRUE(program.ok()) << program.status().message();
  auto result = (*program)->Evaluate(Activation());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->DebugString(), "true");
}

}  // namespace
}  // namespace cellar::cel
