// src/framework/responses.h: small builders for the response shapes many backends share.
#pragma once

#include <string>
#include <vector>

#include "framework/logical.h"

namespace cellar::framework {

// A LIST answer: data {"keys": [...]}. No keys gives an empty Response, which the HTTP layer turns
// into Vault's 404 {"errors":[]} (hvac's list() then returns None).
Response ListResponse(const std::vector<std::string>& keys);

}  // namespace cellar::framework
