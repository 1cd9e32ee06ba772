// src/cel/proto_provider.h: protobuf messages in CEL through libprotobuf reflection: field
// selection, has(), construction, well-known types (Timestamp, Duration, wrappers, Struct,
// Value, ListValue, Any) and enum constants. The protobuf headers stay in proto_provider.cc.
#pragma once

#include <memory>
#include <string_view>

#include "base/status_or.h"
#include "cel/cel.h"

namespace google::protobuf {
class DescriptorPool;
class Message;
}  // namespace google::protobuf

namespace cellar::cel {

struct ProtoProviderOptions {
  // Strong enums (cel-go's cel.EnumTypes, cel-spec's strong_* sections): enum constants, enum
  // fields and Enum(x) conversions are Value::Enum, so type(GlobalEnum.GOO) is GlobalEnum. Off:
  // legacy enums, plain ints.
  bool enum_types = false;
};

// A provider over `pool`, which must outlive every Env, Program and Value that uses it
// (pass DescriptorPool::generated_pool() for messages compiled into the server).
std::shared_ptr<const TypeProvider> NewProtoTypeProvider(
    const google::protobuf::DescriptorPool* pool, ProtoProviderOptions options = {});

// A provider that owns a pool built from a serialized google.protobuf.FileDescriptorSet.
StatusOr<std::shared_ptr<const TypeProvider>> NewProtoTypeProviderFromDescriptorSet(
    std::string_view serialized, ProtoProviderOptions options = {});

// The CEL value of a message (copied): well-known types become their CEL equivalents
// (Timestamp -> timestamp, Int64Value -> int, Struct -> map, Any -> its content, ...).
// `provider` must come from one of the functions above.
Value ProtoMessageToValue(const google::protobuf::Message& message, const TypeProvider& provider);

// Parses proto JSON (with "@type" for Any) of message `type_name` and converts it as above.
StatusOr<Value> ProtoJsonToValue(std::string_view type_name, std::string_view json,
                                 const TypeProvider& provider);

// Parses the binary encoding of message `type_name` and converts it as above.
StatusOr<Value> ProtoBinaryToValue(std::string_view type_name, std::string_view bytes,
                                   const TypeProvider& provider);

// The message inside a message value, or null for other values.
const google::protobuf::Message* ValueAsProtoMessage(const Value& value);

}  // namespace cellar::cel
