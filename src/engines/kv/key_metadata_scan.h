// src/engines/kv/key_metadata_scan.h: a fast reader for key metadata records in exactly the layout
// KeyMetadata::Serialize writes (every KV v2 read parses one; a full JSON parse was ~8k
// instructions of a ~45k-instruction read).
#pragma once

#include <optional>
#include <string_view>

#include "engines/kv/key_metadata.h"

namespace cellar::engines::kv {

// The record's fields when `stored` is in Serialize's canonical layout (fixed key order, no
// whitespace, plain integers); nullopt for anything else, which KeyMetadata::Parse then reads with
// the general JSON parser, so a record's meaning never depends on which reader took it.
std::optional<KeyMetadata> ScanCanonicalKeyMetadata(std::string_view stored);

}  // namespace cellar::engines::kv
