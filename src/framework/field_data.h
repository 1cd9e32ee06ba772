// src/framework/field_data.h: typed request fields with Vault's weak typing.
//
// A path declares its fields (name, type, default); FieldData::Parse converts the raw JSON body
// once, so handlers read plain values and never see a type error.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/duration.h"
#include "base/status_or.h"

namespace cellar::framework {

// How a raw JSON input converts (Vault's mapstructure weak decoding). `null` is always "absent".
enum class FieldType {
  kString,           // string; numbers print in decimal, bools as "1"/"0"
  kLowerCaseString,  // as kString, lowercased
  kInt,              // integer; "5" and 5.0 accepted, "5.5" refused; bools as 1/0; "" as 0
  kBool,             // bool; strings as Go's ParseBool ("true", "T", "1", ...), "" as false
  kDuration,         // seconds: 3600, "3600", "1h30m", "2d"; negative refused
  kCommaList,        // list of strings: array, or "a, b" split on commas (items trimmed)
  kNameList,         // as kCommaList, items also lowercased (policy names)
  kStringList,       // list of strings: array, or one string as a one-item list (no splitting)
  kMap,              // JSON object, values untouched
  kStringMap,        // JSON object whose values convert as kString
  kRaw,              // any JSON, untouched
};

// One declared field. `default_value` is used when the request omits the field (null = the type's
// zero). `required` is enforced on create and update: a missing value is InvalidArgument.
struct FieldSchema {
  std::string name;
  FieldType type = FieldType::kString;
  std::string description;
  boost::json::value default_value = nullptr;
  bool required = false;
};

// A value a path pattern captured: the group's name and the text it matched.
struct FieldCapture {
  std::string_view name;
  std::string_view value;
};

// Converts one raw value to `type`'s normal form: string, int64, bool, int64 seconds, array of
// strings, or object. Errors: InvalidArgument with the reason (without the field name).
StatusOr<boost::json::value> ConvertField(FieldType type, const boost::json::value& raw);

// The request's fields after conversion. Cheap to move; copies its inputs.
class FieldData {
 public:
  FieldData() = default;

  // Converts every field of `schema` found (non-null) in `raw`. Keys of `raw` not in the schema are
  // ignored here (PathBackend warns about them). Errors: InvalidArgument
  // `error converting input "abc" for field "max_versions": <reason>`.
  static StatusOr<FieldData> Parse(const std::vector<FieldSchema>& schema,
                                   const boost::json::object& raw);
  // The same for `raw` with string `captures` set over it (a request body and its path's
  // captures, which win as in OpenBao), without building the merged object.
  static StatusOr<FieldData> Parse(const std::vector<FieldSchema>& schema,
                                   const boost::json::object& raw,
                                   std::span<const FieldCapture> captures);

  // Whether the request set the field (a default does not count).
  bool Has(std::string_view name) const;

  // The converted value, else the field's default, else the type's zero. Asking for a name the
  // schema does not declare gives the zero value.
  std::string GetString(std::string_view name) const;
  int64_t GetInt(std::string_view name) const;
  bool GetBool(std::string_view name) const;
  Seconds GetDuration(std::string_view name) const;
  std::vector<std::string> GetList(std::string_view name) const;
  boost::json::object GetMap(std::string_view name) const;
  std::map<std::string, std::string> GetStringMap(std::string_view name) const;
  // Normal form of any field (kRaw included); nullptr when absent without default.
  const boost::json::value* Get(std::string_view name) const;

 private:
  boost::json::object values_;    // fields the request set, converted
  boost::json::object defaults_;  // converted defaults of the fields it did not set
};

}  // namespace cellar::framework
