// src/engines/kv/merge_patch.h: JSON merge patch (RFC 7386), as KV v2's PATCH applies it.
#pragma once

#include <boost/json/object.hpp>

namespace cellar::engines::kv {

// Applies `patch` to `target` in place: null removes a key, an object merges recursively into an
// object (replacing a non-object), anything else replaces.
void ApplyMergePatch(boost::json::object& target, const boost::json::object& patch);

}  // namespace cellar::engines::kv
