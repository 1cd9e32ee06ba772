// src/http/envelope.h: renders a logical Response as Vault's JSON envelope (API.md §2).
#pragma once

#include <string_view>

#include "framework/logical.h"
#include "http/wire.h"

namespace cellar::http {

// Whether the route also copies `data` keys to the top level of the envelope, as Vault does for
// sys/mounts, sys/auth, sys/audit, sys/policy and sys/capabilities* (older clients read them
// there). Decided by path because the Response carries no flag for it. `path` has no "/v1/".
bool CopiesDataToTopLevel(std::string_view path);

// The answer for a successful `response` to `request`: the raw body when set; 204 when empty
// (404 `{"errors":[]}` for an empty read or list, as Vault); else the envelope with every key,
// status 200 unless the response forces one.
WireResponse RenderResponse(const framework::Response& response, const framework::Request& request);

}  // namespace cellar::http
