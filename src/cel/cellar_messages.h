// src/cel/cellar_messages.h: the cellar.v1 result messages (proto/cellar/v1/messages.proto) as
// CEL types, so programs can construct cellar.v1.Auth{...}, cellar.v1.Certificate{...}, ...
#pragma once

#include <memory>

#include "cel/cel.h"

namespace cellar::cel {

// A provider over the compiled-in descriptor pool that is guaranteed to contain the cellar.v1
// messages and the well-known types. Shared; never null.
std::shared_ptr<const TypeProvider> CellarTypeProvider();

}  // namespace cellar::cel
