// src/framework/status_to_http.h: the one mapping from a Status code to an HTTP status and error
// body. It lives in the framework, not in src/http, because profiles report sub-request statuses
// too.
#pragma once

#include <string>

#include "base/status.h"

namespace cellar::framework {

// The HTTP status a failed request answers with (API.md §2). kOk maps to 200.
int HttpStatusFor(StatusCode code);

// The `{"errors":[...]}` body for `status`. kInternal shows only "internal error" (the caller
// logs the detail); kNotFound with an empty message gives `{"errors":[]}` as Vault does for a
// missing secret or an empty list.
std::string ErrorBody(const Status& status);

// An error body for a message the HTTP layer itself produces (bad JSON, 405, 413, ...).
std::string ErrorBodyFromMessage(std::string_view message);

}  // namespace cellar::framework
