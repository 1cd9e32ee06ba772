// src/framework/json_fields.h: lenient readers for records the server stored itself as JSON
// objects.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace cellar::framework {

// The integer at `key` (int64 or uint64), else 0. For trusted stored records, not user input
// (user input goes through FieldData, which reports bad types).
int64_t StoredInt(const boost::json::object& o, std::string_view key);

// The string at `key`, else "".
std::string StoredString(const boost::json::object& o, std::string_view key);

// The bool at `key`, else false.
bool StoredBool(const boost::json::object& o, std::string_view key);

}  // namespace cellar::framework
