// src/cel/cellar_messages.cc: links the generated cellar.v1 messages and exposes them as types.
#include "cel/cellar_messages.h"

#include <google/protobuf/descriptor.h>

#include "cel/proto_provider.h"
#include "cellar/v1/messages.pb.h"

namespace cellar::cel {

std::shared_ptr<const TypeProvider> CellarTypeProvider() {
  static const std::shared_ptr<const TypeProvider> provider = [] {
    // Touch each descriptor: the generated code registers itself lazily, and a static library
    // member nobody references would be dropped by the linker.
    (void)cellar::v1::Auth::descriptor();
    (void)cellar::v1::Certificate::descriptor();
    (void)cellar::v1::PolicyDecision::descriptor();
    return NewProtoTypeProvider(google::protobuf::DescriptorPool::generated_pool());
  }();
  return provider;
}

}  // namespace cellar::cel
