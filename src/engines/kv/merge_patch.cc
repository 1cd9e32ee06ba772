// src/engines/kv/merge_patch.cc: RFC 7386 merge patch over Boost.JSON objects.
#include "engines/kv/merge_patch.h"

namespace cellar::engines::kv {

void ApplyMergePatch(boost::json::object& target, const boost::json::object& patch) {
  for (const auto& [key, value] : patch) {
    if (value.is_null()) {
      target.erase(key);
    } else if (value.is_object()) {
      boost::json::value& slot = target[key];
      if (!slot.is_object()) {
        slot = boost::json::object();
      }
      ApplyMergePatch(slot.get_object(), value.get_object());
    } else {
      target[key] = value;
    }
  }
}

}  // namespace cellar::engines::kv
