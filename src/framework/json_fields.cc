// src/framework/json_fields.cc: lenient readers for stored JSON records.
#include "framework/json_fields.h"

#include <boost/json/parse.hpp>

#include "base/status_macros.h"
#include "storage/storage.h"

namespace cellar::framework {

int64_t StoredInt(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr) {
    return 0;
  }
  if (v->is_int64()) {
    return v->get_int64();
  }
  if (v->is_uint64()) {
    return static_cast<int64_t>(v->get_uint64());
  }
  return 0;
}

std::string StoredString(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

bool StoredBool(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v != nullptr && v->is_bool() && v->get_bool();
}

std::vector<std::string> StoredStrings(const boost::json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const boost::json::value* v = o.if_contains(key); v != nullptr && v->is_array()) {
    for (const boost::json::value& item : v->get_array()) {
      if (item.is_string()) {
        out.emplace_back(item.get_string());
      }
    }
  }
  return out;
}

StatusOr<std::optional<boost::json::object>> LoadStoredObject(storage::Storage& s,
                                                             const std::string& key) {
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> raw, s.Get(key));
  if (!raw) {
    return std::optional<boost::json::object>();
  }
  boost::json::error_code ec;
  boost::json::value v = boost::json::parse(*raw, ec);
  if (ec || !v.is_object()) {
    return InternalError("corrupt stored record at " + key);
  }
  return std::optional<boost::json::object>(std::move(v.get_object()));
}

}  // namespace cellar::framework
