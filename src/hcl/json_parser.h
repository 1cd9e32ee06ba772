// src/hcl/json_parser.h: internal entry point of the HCL JSON-syntax parser (not a public API).
#pragma once

#include "hcl/diagnostic.h"
#include "hcl/parser.h"

namespace cellar::hcl::internal {

// Parses file.source() (one JSON object) into file.mutable_body(): each property becomes an
// Attribute whose expression is the JSON value (objects, tuples, literals, all kFlagFromJson).
// Strings holding "${" or "%{" are parsed as templates, as HCL does in expression context.
void ParseJsonBody(File& file, Diagnostics& diags, const ParseOptions& options);

}  // namespace cellar::hcl::internal
