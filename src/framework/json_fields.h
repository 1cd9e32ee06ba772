// src/framework/json_fields.h: lenient readers for records the server stored itself as JSON
// objects.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status_or.h"

namespace cellar::storage {
class Storage;
}

namespace cellar::framework {

// The integer at `key` (int64 or uint64), else 0. For trusted stored records, not user input
// (user input goes through FieldData, which reports bad types).
int64_t StoredInt(const boost::json::object& o, std::string_view key);

// The string at `key`, else "".
std::string StoredString(const boost::json::object& o, std::string_view key);

// The bool at `key`, else false.
bool StoredBool(const boost::json::object& o, std::string_view key);

// The strings of the array at `key` (other items skipped), else empty.
std::vector<std::string> StoredStrings(const boost::json::object& o, std::string_view key);

// The JSON object stored at `key`: nullopt when there is none, InternalError naming the key
// when what is there is not a JSON object.
StatusOr<std::optional<boost::json::object>> LoadStoredObject(storage::Storage& s,
                                                             const std::string& key);

}  // namespace cellar::framework
