// src/profiles/signed_input.cc: JWS body → verified input plus the key binding it speaks for.
#include "profiles/signed_input.h"

#include <boost/json/parse.hpp>

#include "base/status_macros.h"
#include "crypto/jws.h"
#include "crypto/public_key.h"

namespace cellar::profiles {
namespace {

namespace json = boost::json;

Status Prefixed(const Status& s) { return Status(s.code(), "signed input: " + s.message()); }

std::string_view StringMember(const json::object& body, std::string_view name) {
  const json::value* v = body.if_contains(name);
  return v != nullptr && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
}

StatusOr<crypto::JwsMessage> ParseBody(const json::object& body) {
  if (std::string_view compact = StringMember(body, "jws"); !compact.empty()) {
    return crypto::ParseCompactJws(compact);
  }
  if (!body.contains("protected") || !body.contains("payload") || !body.contains("signature")) {
    return InvalidArgumentError(
        "this profile takes a JWS: {\"protected\", \"payload\", \"signature\"} or {\"jws\": "
        "\"<compact>\"}");
  }
  if (body.contains("header")) {
    return InvalidArgumentError("JWS unprotected header is not allowed: protect every member");
  }
  return crypto::ParseFlattenedJws(StringMember(body, "protected"), StringMember(body, "payload"),
                                   StringMember(body, "signature"));
}

// The binding the header names: by kid, or by the thumbprint of its embedded jwk.
StatusOr<KeyBinding> FindBinding(const crypto::JwsHeader& header, storage::Storage& storage) {
  if (!header.kid.empty()) {
    CELLAR_ASSIGN_OR_RETURN(std::optional<KeyBinding> b, GetKeyBinding(storage, header.kid));
    if (!b) {
      return PermissionDeniedError("key \"" + header.kid + "\" is not bound to a role");
    }
    return *std::move(b);
  }
  StatusOr<crypto::PublicKey> key = crypto::PublicKey::FromJwk(header.jwk);
  if (!key.ok()) {
    return InvalidArgumentError("JWS header jwk: " + key.status().message());
  }
  CELLAR_ASSIGN_OR_RETURN(std::optional<KeyBinding> b,
                          FindKeyBindingByThumbprint(storage, key->Thumbprint()));
  if (!b) {
    return PermissionDeniedError("key with thumbprint " + key->Thumbprint() +
                                 " is not bound to a role");
  }
  return *std::move(b);
}

// The url's path (scheme, host, query dropped) must end in the request this JWS was made for.
bool UrlNames(std::string_view url, const std::string& profile, const std::string& action) {
  if (size_t scheme = url.find("://"); scheme != std::string_view::npos) {
    size_t path = url.find('/', scheme + 3);
    url = path == std::string_view::npos ? std::string_view() : url.substr(path);
  }
  url = url.substr(0, url.find_first_of("?#"));
  std::string alias = action == "execute" ? "execute" : action == "debug" ? "trace" : "";
  auto ends_with = [&](const std::string& tail) {
    return url.ends_with(tail) &&
           (url.size() == tail.size() || url[url.size() - tail.size() - 1] == '/');
  };
  return ends_with("sys/profiles/" + action + "/" + profile) ||
         (!alias.empty() && ends_with("sys/workflows/" + alias + "/" + profile));
}

StatusOr<SignedInput> Verify(const json::object& body, const std::string& profile,
                             const std::string& action, storage::Storage& storage,
                             NonceStore& nonces) {
  CELLAR_ASSIGN_OR_RETURN(crypto::JwsMessage jws, ParseBody(body));
  CELLAR_ASSIGN_OR_RETURN(KeyBinding binding, FindBinding(jws.header, storage));
  CELLAR_ASSIGN_OR_RETURN(crypto::PublicKey key, crypto::PublicKey::Parse(binding.public_key));
  CELLAR_RETURN_IF_ERROR(crypto::VerifyJws(jws, key));
  // Only a verified message spends its nonce: a forgery cannot burn someone else's.
  if (jws.header.nonce.empty()) {
    return PermissionDeniedError("the JWS has no nonce: get one from sys/profiles/nonce");
  }
  CELLAR_RETURN_IF_ERROR(nonces.Consume(jws.header.nonce));
  if (!jws.header.url.empty() && !UrlNames(jws.header.url, profile, action)) {
    return PermissionDeniedError("the JWS url \"" + jws.header.url + "\" is not sys/profiles/" +
                                 action + "/" + profile);
  }
  if (!binding.AllowsProfile(profile)) {
    return PermissionDeniedError("key \"" + binding.name + "\" is not bound to profile \"" +
                                 profile + "\"");
  }
  SignedInput out;
  if (!jws.payload.empty()) {  // ACME's POST-as-GET: an empty payload is an empty input
    boost::system::error_code ec;
    json::value payload = json::parse(jws.payload, ec);
    if (ec || !payload.is_object()) {
      return InvalidArgumentError("the JWS payload must be a JSON object (the profile's input)");
    }
    out.input = std::move(payload.as_object());
  }
  out.binding = std::move(binding);
  return out;
}

}  // namespace

StatusOr<SignedInput> VerifySignedInput(const json::object& body, const std::string& profile,
                                        const std::string& action, storage::Storage& storage,
                                        NonceStore& nonces) {
  StatusOr<SignedInput> out = Verify(body, profile, action, storage, nonces);
  if (!out.ok()) {
    return Prefixed(out.status());
  }
  return out;
}

}  // namespace cellar::profiles
