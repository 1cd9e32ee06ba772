// src/cel/json.h: conversions between CEL values and JSON (Boost.JSON), for programs' inputs
// (claims, request bodies) and for printing results. Boost.JSON stays out of cel.h.
#pragma once

#include <boost/json/fwd.hpp>

#include "base/status_or.h"
#include "cel/value.h"

namespace cellar::cel {

struct JsonToValueOptions {
  // Accept tagged singletons: {"$uint": "5"}, {"$double": 2.0}, {"$bytes": "<base64>"},
  // {"$timestamp": "RFC3339"}, {"$duration": "3600s"} (the CLI and benchmark format).
  bool tagged = true;
  // Integral numbers become int (uint when above INT64_MAX); fractional become double.
  int max_depth = 100;
};

// null, bool, number, string, array -> list, object -> map(string, dyn).
StatusOr<Value> ValueFromJson(const boost::json::value& json, const JsonToValueOptions& options = {});
// Parses text first. InvalidArgument with the parser's message on bad JSON.
StatusOr<Value> ValueFromJsonText(std::string_view text, const JsonToValueOptions& options = {});

// int/uint -> numbers, double -> number (NaN/Infinity as strings), bytes -> base64,
// timestamps -> RFC 3339, durations -> "3600s", types -> their name, optionals -> value or
// null, maps -> objects (keys printed). Errors and unknowns -> InvalidArgument.
StatusOr<boost::json::value> ValueToJson(const Value& value);
// ValueToJson, serialized.
StatusOr<std::string> ValueToJsonText(const Value& value);

}  // namespace cellar::cel
