// src/engines/kv/key_metadata.cc: encoding and version bookkeeping for KV v2 keys.
#include "engines/kv/key_metadata.h"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>

#include "base/duration.h"
#include "engines/kv/key_metadata_scan.h"
#include "framework/time_format.h"

namespace cellar::engines::kv {

namespace json = boost::json;
using framework::FormatRfc3339Nano;
using framework::FromUnixNanos;
using framework::ToUnixNanos;

namespace {

int64_t IntOr0(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_int64() ? v->get_int64() : 0;
}

bool BoolOr(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_bool() && v->get_bool();
}

StatusOr<json::object> ParseObject(std::string_view stored, std::string_view what,
                                   json::storage_ptr sp = {}) {
  json::error_code ec;
  json::value v = json::parse(stored, ec, std::move(sp));
  if (ec || !v.is_object()) {
    return InternalError("kv: corrupt " + std::string(what));
  }
  return std::move(v.get_object());
}

std::string TimeOrEmpty(int64_t ns) { return ns == 0 ? "" : FormatRfc3339Nano(FromUnixNanos(ns)); }

// The same straight into a JSON string (every KV read shows its version's times).
json::string TimeOrEmptyJson(int64_t ns) {
  if (ns == 0) {
    return json::string();
  }
  char buf[framework::kRfc3339NanoMax];
  return json::string(buf, FormatRfc3339Nano(FromUnixNanos(ns), buf));
}

}  // namespace

json::object KvConfig::ToJson() const {
  return {{"max_versions", max_versions},
          {"cas_required", cas_required},
          {"delete_version_after", delete_version_after}};
}

StatusOr<KvConfig> KvConfig::Parse(std::string_view stored) {
  auto o = ParseObject(stored, "config");
  if (!o.ok()) {
    return o.status();
  }
  KvConfig c;
  c.max_versions = IntOr0(*o, "max_versions");
  c.cas_required = BoolOr(*o, "cas_required");
  c.delete_version_after = IntOr0(*o, "delete_version_after");
  return c;
}

json::object KvConfig::View() const {
  return {{"max_versions", max_versions},
          {"cas_required", cas_required},
          {"delete_version_after", FormatDuration(Seconds(delete_version_after))}};
}

bool VersionInfo::DeletedAt(TimePoint now) const {
  return deletion_ns != 0 && deletion_ns <= ToUnixNanos(now);
}

std::string KeyMetadata::Serialize() const {
  json::object versions_json;
  for (const auto& [n, v] : versions) {
    versions_json[std::to_string(n)] = json::array{v.created_ns, v.deletion_ns, v.destroyed};
  }
  json::object o{{"created", created_ns},
                 {"updated", updated_ns},
                 {"current", current_version},
                 {"oldest", oldest_version},
                 {"max_versions", max_versions},
                 {"cas_required", cas_required},
                 {"delete_version_after", delete_version_after},
                 {"custom_metadata", custom_metadata},
                 {"versions", std::move(versions_json)}};
  return json::serialize(o);
}

StatusOr<KeyMetadata> KeyMetadata::Parse(std::string_view stored) {
  if (std::optional<KeyMetadata> m = ScanCanonicalKeyMetadata(stored)) {
    return std::move(*m);
  }
  // Not in Serialize's layout (hand-edited or older records). The parsed tree is only read
  // (custom_metadata is copied out into default storage), so it lives in a stack buffer instead of
  // one allocation per node.
  unsigned char buffer[4096];
  json::monotonic_resource arena(buffer, sizeof(buffer));
  auto parsed = ParseObject(stored, "key metadata", &arena);
  if (!parsed.ok()) {
    return parsed.status();
  }
  const json::object& o = *parsed;
  KeyMetadata m;
  m.created_ns = IntOr0(o, "created");
  m.updated_ns = IntOr0(o, "updated");
  m.current_version = IntOr0(o, "current");
  m.oldest_version = IntOr0(o, "oldest");
  m.max_versions = IntOr0(o, "max_versions");
  m.cas_required = BoolOr(o, "cas_required");
  m.delete_version_after = IntOr0(o, "delete_version_after");
  if (const json::value* cm = o.if_contains("custom_metadata"); cm != nullptr && cm->is_object()) {
    m.custom_metadata = cm->get_object();
  }
  if (const json::value* vs = o.if_contains("versions"); vs != nullptr && vs->is_object()) {
    for (const auto& [key, value] : vs->get_object()) {
      const json::array* a = value.if_array();
      if (a == nullptr || a->size() != 3 || !(*a)[0].is_int64() || !(*a)[1].is_int64() ||
          !(*a)[2].is_bool()) {
        return InternalError("kv: corrupt key metadata");
      }
      int64_t number = 0;
      auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), number);
      if (ec != std::errc() || end != key.data() + key.size()) {
        return InternalError("kv: corrupt key metadata");
      }
      m.versions[number] = {(*a)[0].get_int64(), (*a)[1].get_int64(), (*a)[2].get_bool()};
    }
  }
  return m;
}

json::object KeyMetadata::View() const {
  json::object versions_json;
  for (const auto& [n, v] : versions) {
    versions_json[std::to_string(n)] = json::object{{"created_time", TimeOrEmpty(v.created_ns)},
                                                    {"deletion_time", TimeOrEmpty(v.deletion_ns)},
                                                    {"destroyed", v.destroyed}};
  }
  json::object out{
      {"cas_required", cas_required},
      {"created_time", TimeOrEmpty(created_ns)},
      {"current_version", current_version},
      {"delete_version_after", FormatDuration(Seconds(delete_version_after))},
      {"max_versions", max_versions},
      {"oldest_version", oldest_version},
      {"updated_time", TimeOrEmpty(updated_ns)},
      {"versions", std::move(versions_json)},
  };
  if (custom_metadata.empty()) {
    out["custom_metadata"] = nullptr;
  } else {
    out["custom_metadata"] = custom_metadata;
  }
  return out;
}

json::object KeyMetadata::VersionView(int64_t version) const {
  json::object out;
  out.reserve(5);  // one table for the five keys instead of growing it on each insert
  auto it = versions.find(version);
  VersionInfo info = it == versions.end() ? VersionInfo{} : it->second;
  // emplace: each value goes straight into its slot (operator[] stores a null, then replaces it).
  out.emplace("created_time", TimeOrEmptyJson(info.created_ns));
  out.emplace("custom_metadata",
              custom_metadata.empty() ? json::value(nullptr) : json::value(custom_metadata));
  out.emplace("deletion_time", TimeOrEmptyJson(info.deletion_ns));
  out.emplace("destroyed", info.destroyed);
  out.emplace("version", version);
  return out;
}

int64_t KeyMetadata::EffectiveMaxVersions(const KvConfig& config) const {
  if (max_versions > 0) {
    return max_versions;
  }
  return config.max_versions > 0 ? config.max_versions : kDefaultMaxVersions;
}

int64_t KeyMetadata::EffectiveDeleteVersionAfter(const KvConfig& config) const {
  return delete_version_after > 0 ? delete_version_after : config.delete_version_after;
}

std::vector<int64_t> KeyMetadata::AddVersion(TimePoint now, const KvConfig& config) {
  int64_t now_ns = ToUnixNanos(now);
  ++current_version;
  VersionInfo info;
  info.created_ns = now_ns;
  if (int64_t after = EffectiveDeleteVersionAfter(config); after > 0) {
    info.deletion_ns = now_ns + after * 1'000'000'000;
  }
  versions[current_version] = info;
  if (created_ns == 0) {
    created_ns = now_ns;
  }
  updated_ns = now_ns;
  return Prune(config);
}

std::vector<int64_t> KeyMetadata::Prune(const KvConfig& config) {
  std::vector<int64_t> dropped;
  int64_t keep = EffectiveMaxVersions(config);
  // Vault's window: once current - oldest reaches the limit, everything before the newest `keep`
  // goes (several at once when the limit was lowered).
  if (current_version - oldest_version < keep) {
    return dropped;
  }
  int64_t first_kept = current_version - keep + 1;
  while (!versions.empty() && versions.begin()->first < first_kept) {
    dropped.push_back(versions.begin()->first);
    versions.erase(versions.begin());
  }
  oldest_version = first_kept;
  return dropped;
}

Status ValidateCustomMetadata(const json::object& custom) {
  if (custom.size() > 64) {
    return InvalidArgumentError(
        "custom_metadata validation failed: payload must contain at most "
        "64 keys, provided " +
        std::to_string(custom.size()));
  }
  for (const auto& [k, v] : custom) {
    if (k.size() > 128) {
      return InvalidArgumentError("custom_metadata validation failed: length of key \"" +
                                  std::string(k) + "\" is greater than 128");
    }
    if (v.is_string() && v.get_string().size() > 512) {
      return InvalidArgumentError("custom_metadata validation failed: length of value for key \"" +
                                  std::string(k) + "\" is greater than 512");
    }
  }
  return OkStatus();
}

}  // namespace cellar::engines::kv
