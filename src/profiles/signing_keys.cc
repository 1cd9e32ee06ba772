// src/profiles/signing_keys.cc: key bindings: validation, JSON form, storage.
#include "profiles/signing_keys.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "base/status_macros.h"
#include "crypto/public_key.h"
#include "storage/storage.h"

namespace cellar::profiles {
namespace {

namespace json = boost::json;

constexpr std::string_view kPrefix = "signing-key/";

std::string Key(std::string_view name) { return std::string(kPrefix) + std::string(name); }

json::array ToArray(const std::vector<std::string>& items) {
  json::array out;
  for (const std::string& s : items) {
    out.push_back(json::value(s));
  }
  return out;
}

std::vector<std::string> FromArray(const json::value* v) {
  std::vector<std::string> out;
  if (v != nullptr && v->is_array()) {
    for (const json::value& item : v->as_array()) {
      if (item.is_string()) {
        out.emplace_back(item.as_string());
      }
    }
  }
  return out;
}

StatusOr<KeyBinding> Decode(std::string_view name, const std::string& raw) {
  boost::system::error_code ec;
  json::value v = json::parse(raw, ec);
  if (ec || !v.is_object()) {
    return InternalError("stored signing key \"" + std::string(name) + "\" is corrupt");
  }
  const json::object& o = v.as_object();
  const json::value* key = o.if_contains("public_key");
  const json::value* ttl = o.if_contains("token_ttl");
  StatusOr<KeyBinding> b = MakeKeyBinding(
      std::string(name), key != nullptr && key->is_string() ? std::string(key->as_string()) : "",
      FromArray(o.if_contains("policies")), FromArray(o.if_contains("profiles")),
      std::chrono::seconds(ttl != nullptr && ttl->is_int64() ? ttl->as_int64() : 300));
  if (!b.ok()) {
    return InternalError("stored signing key \"" + std::string(name) +
                         "\" no longer decodes: " + b.status().message());
  }
  return b;
}

}  // namespace

bool KeyBinding::AllowsProfile(std::string_view profile) const {
  return std::any_of(profiles.begin(), profiles.end(),
                     [&](const std::string& p) { return p == "*" || p == profile; });
}

json::object KeyBinding::ToJson() const {
  return json::object{{"public_key", public_key},      {"thumbprint", thumbprint},
                      {"algorithm", algorithm},        {"policies", ToArray(policies)},
                      {"profiles", ToArray(profiles)}, {"token_ttl", token_ttl.count()}};
}

StatusOr<KeyBinding> MakeKeyBinding(std::string name, std::string public_key,
                                    std::vector<std::string> policies,
                                    std::vector<std::string> profiles,
                                    std::chrono::seconds token_ttl) {
  StatusOr<crypto::PublicKey> key = crypto::PublicKey::Parse(public_key);
  if (!key.ok()) {
    return InvalidArgumentError("public_key: " + key.status().message());
  }
  if (policies.empty()) {
    return InvalidArgumentError("policies: a key binding needs at least one policy");
  }
  if (std::find(policies.begin(), policies.end(), "root") != policies.end()) {
    return InvalidArgumentError("policies: a signing key cannot be bound to root");
  }
  if (profiles.empty()) {
    return InvalidArgumentError("profiles: name the signed profiles this key may run (or \"*\")");
  }
  if (token_ttl.count() <= 0) {
    return InvalidArgumentError("token_ttl must be positive");
  }
  KeyBinding b;
  b.name = std::move(name);
  b.public_key = std::move(public_key);
  b.thumbprint = key->Thumbprint();
  b.algorithm = std::string(key->algorithm());
  b.policies = std::move(policies);
  b.profiles = std::move(profiles);
  b.token_ttl = token_ttl;
  return b;
}

StatusOr<std::optional<KeyBinding>> GetKeyBinding(storage::Storage& storage,
                                                  std::string_view name) {
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> raw, storage.Get(Key(name)));
  if (!raw) {
    return std::optional<KeyBinding>();
  }
  CELLAR_ASSIGN_OR_RETURN(KeyBinding b, Decode(name, *raw));
  return std::optional<KeyBinding>(std::move(b));
}

StatusOr<std::optional<KeyBinding>> FindKeyBindingByThumbprint(storage::Storage& storage,
                                                               std::string_view thumbprint) {
  CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> names, ListKeyBindings(storage));
  for (const std::string& name : names) {
    CELLAR_ASSIGN_OR_RETURN(std::optional<KeyBinding> b, GetKeyBinding(storage, name));
    if (b && b->thumbprint == thumbprint) {
      return b;
    }
  }
  return std::optional<KeyBinding>();
}

StatusOr<std::vector<std::string>> ListKeyBindings(storage::Storage& storage) {
  return storage.List(kPrefix);
}

Status PutKeyBinding(storage::Storage& storage, const KeyBinding& binding) {
  return storage.Put(Key(binding.name), json::serialize(binding.ToJson()));
}

Status DeleteKeyBinding(storage::Storage& storage, std::string_view name) {
  return storage.Delete(Key(name));
}

}  // namespace cellar::profiles
