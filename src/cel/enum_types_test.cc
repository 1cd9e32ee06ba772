// src/cel/enum_types_test.cc: legacy enums (ints) and strong enums (ProtoProviderOptions::
// enum_types) through constants, field reads and conversions, on descriptor.proto's enums.
#include <gtest/gtest.h>

#include <google/protobuf/descriptor.h>

#include "cel/cel.h"
#include "cel/proto_provider.h"

namespace cellar::cel {
namespace {

Value Evaluate(const std::string& expr, bool enum_types) {
  Env env = Env::Standard();
  env.set_container("google.protobuf");
  env.set_type_provider(NewProtoTypeProvider(google::protobuf::DescriptorPool::generated_pool(),
                                             {.enum_types = enum_types}));
  auto program = Compile(expr, env);
  EXPECT_TRUE(program.ok()) << expr << ": " << program.status().message();
  if (!program.ok()) {
    return Value::Error("compile");
  }
  auto result = (*program)->Evaluate(Activation());
  EXPECT_TRUE(result.ok()) << expr;
  return result.ok() ? *result : Value::Error("evaluate");
}

constexpr char kEnum[] = "google.protobuf.FieldDescriptorProto.Type";

struct TypeCase {
  const char* expr;
  const char* strong_type;  // type() in strong mode; legacy mode always says int
};

TEST(EnumTypesTest, TypeNamesTheEnumOnlyInStrongMode) {
  const TypeCase cases[] = {
      {"type(FieldDescriptorProto.Type.TYPE_STRING)", kEnum},
      {"type(FieldDescriptorProto{type: FieldDescriptorProto.Type.TYPE_STRING}.type)", kEnum},
      {"type(FieldDescriptorProto{}.type)", kEnum},
      {"type(FieldDescriptorProto.Type(9))", kEnum},
      {"type(FieldDescriptorProto.Type('TYPE_STRING'))", kEnum},
      {"type(int(FieldDescriptorProto.Type.TYPE_STRING))", "int"},
      {"type(FieldDescriptorProto.Type.TYPE_STRING + 1)", "int"},
  };
  for (const auto& c : cases) {
    Value strong = Evaluate(c.expr, true);
    ASSERT_EQ(strong.kind(), Kind::kType) << c.expr << ": " << strong.DebugString();
    EXPECT_EQ(strong.string_value(), c.strong_type) << c.expr;
    Value legacy = Evaluate(c.expr, false);
    ASSERT_EQ(legacy.kind(), Kind::kType) << c.expr << ": " << legacy.DebugString();
    EXPECT_EQ(legacy.string_value(), "int") << c.expr;
  }
}

TEST(EnumTypesTest, StrongEnumsStillActAsInts) {
  const char* const exprs[] = {
      "FieldDescriptorProto.Type.TYPE_STRING == 9",
      "FieldDescriptorProto.Type.TYPE_STRING == FieldDescriptorProto.Type('TYPE_STRING')",
      "FieldDescriptorProto.Type.TYPE_STRING < 10",
      "int(FieldDescriptorProto.Type.TYPE_STRING) == 9",
      "{9: 'x'}[FieldDescriptorProto.Type.TYPE_STRING] == 'x'",
  };
  for (const char* expr : exprs) {
    for (bool enum_types : {false, true}) {
      Value v = Evaluate(expr, enum_types);
      EXPECT_EQ(v.DebugString(), "true") << expr << " enum_types=" << enum_types;
    }
  }
}

TEST(EnumTypesTest, EnumValueIsAnIntWithTheEnumTypeName) {
  Value v = Value::Enum(kEnum, 9);
  EXPECT_EQ(v.kind(), Kind::kInt);
  EXPECT_TRUE(v.is_enum());
  EXPECT_EQ(v.int_value(), 9);
  EXPECT_EQ(v.TypeName(), kEnum);
  EXPECT_FALSE(Value::Int(9).is_enum());
  EXPECT_TRUE(ValuesEqual(v, Value::Int(9)));
}

}  // namespace
}  // namespace cellar::cel
