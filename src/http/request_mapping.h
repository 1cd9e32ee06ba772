// src/http/request_mapping.h: turns a WireRequest into a logical Request (API.md §1).
#pragma once

#include <variant>

#include "framework/logical.h"
#include "http/wire.h"

namespace cellar::http {

// Go's strconv.ParseBool: 1 t T TRUE true True / 0 f F FALSE false False; nullopt otherwise.
std::optional<bool> ParseGoBool(std::string_view text);

// The mapped request, or the answer to give without calling the core (404 outside /v1/, 405 for
// an unknown method, 415 for PATCH without merge-patch JSON, 400 for a bad body or path).
// `request_id` is copied into the request. `is_head` is set for HEAD (the answer has no body).
std::variant<framework::Request, WireResponse> MapRequest(const WireRequest& wire,
                                                          std::string request_id, bool* is_head);

}  // namespace cellar::http
