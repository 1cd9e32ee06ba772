// src/core/audit_entry.cc: formats audit entries as Vault's file device writes them.
#include "core/audit_entry.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "crypto/hash.h"
#include "framework/time_format.h"

namespace cellar::core {
namespace {

namespace json = boost::json;

class Hasher {
 public:
  explicit Hasher(const AuditFormat& format) : format_(format) {}

  // A secret (token, data string): hashed unless the device logs raw.
  json::value Secret(std::string_view s) const {
    if (format_.log_raw || s.empty()) {
      return json::value(s);
    }
    return json::value(AuditHash(format_.hmac_key, s));
  }
  json::value Accessor(std::string_view s) const {
    return format_.hmac_accessor ? Secret(s) : json::value(s);
  }
  // Vault's HashStructure: every string, at any depth, is a secret; keys, numbers and booleans
  // stay readable so an operator can still see what a request asked for.
  json::value Data(const json::value& v) const {
    if (format_.log_raw) {
      return v;
    }
    switch (v.kind()) {
      case json::kind::string:
        return Secret(v.get_string());
      case json::kind::array: {
        json::array out;
        out.reserve(v.get_array().size());
        for (const json::value& item : v.get_array()) {
          out.push_back(Data(item));
        }
        return out;
      }
      case json::kind::object: {
        json::object out;
        for (const auto& [key, item] : v.get_object()) {
          out[key] = Data(item);
        }
        return out;
      }
      default:
        return v;
    }
  }

 private:
  const AuditFormat& format_;
};

json::array Strings(const std::vector<std::string>& items) {
  json::array out;
  for (const std::string& s : items) {
    out.push_back(json::value(s));
  }
  return out;
}

json::value Metadata(const std::map<std::string, std::string>& metadata) {
  if (metadata.empty()) {
    return nullptr;  // Vault writes null for a token without metadata
  }
  json::object out;
  for (const auto& [k, v] : metadata) {
    out[k] = v;
  }
  return out;
}

// The entry's "auth": who made the request.
json::object CallerAuth(const AuditRecord& record, const Hasher& hash) {
  json::object auth;
  auth["client_token"] = hash.Secret(record.client_token);
  if (record.caller) {
    const framework::Caller& c = *record.caller;
    auth["accessor"] = hash.Accessor(c.accessor);
    auth["display_name"] = c.display_name;
    auth["policies"] = Strings(c.policies);
    auth["token_policies"] = Strings(c.policies);
    auth["metadata"] = Metadata(c.metadata);
    auth["entity_id"] = c.entity_id;
    auth["token_type"] = "service";
  }
  return auth;
}

json::object RequestSection(const AuditRecord& record, const Hasher& hash) {
  json::object req;
  req["id"] = record.request_id;
  req["operation"] = framework::OperationName(record.operation);
  req["mount_type"] = record.mount_type;
  req["mount_accessor"] = record.mount_accessor;
  req["client_token"] = hash.Secret(record.client_token);
  req["client_token_accessor"] = hash.Accessor(record.caller ? record.caller->accessor : "");
  // Vault writes the namespace's id and path; the root's id is "root" and its path empty.
  req["namespace"] = record.namespace_path.empty() ? json::object{{"id", "root"}}
                                                   : json::object{{"path", record.namespace_path}};
  req["path"] = record.path;
  if (!record.data.empty()) {
    req["data"] = hash.Data(record.data);
  }
  req["remote_address"] = record.remote_address;
  if (!record.execution_id.empty()) {
    req["profile"] = record.profile_name;
    req["profile_execution_id"] = record.execution_id;
  }
  return req;
}

// A login's or token endpoint's Auth in a response: the new token is a secret like any other.
json::object ResponseAuth(const framework::Auth& a, const Hasher& hash) {
  json::object auth;
  auth["client_token"] = hash.Secret(a.client_token);
  auth["accessor"] = hash.Accessor(a.accessor);
  auth["display_name"] = a.display_name;
  auth["policies"] = Strings(a.policies);
  auth["token_policies"] = Strings(a.token_policies.empty() ? a.policies : a.token_policies);
  auth["metadata"] = Metadata(a.metadata);
  auth["entity_id"] = a.entity_id;
  auth["token_type"] = "service";
  auth["token_ttl"] = a.ttl.count();
  return auth;
}

// `response` null: the request failed, and the entry's "error" says why.
json::object ResponseSection(const AuditRecord& record, const framework::Response* answer,
                             const Hasher& hash) {
  json::object out;
  out["mount_type"] = record.mount_type;
  out["mount_accessor"] = record.mount_accessor;
  if (answer == nullptr) {
    return out;
  }
  const framework::Response& response = *answer;
  if (response.auth) {
    out["auth"] = ResponseAuth(*response.auth, hash);
  }
  if (!response.lease_id.empty()) {
    out["secret"] = json::object{{"lease_id", response.lease_id}};
  }
  if (response.data) {
    out["data"] = hash.Data(*response.data);
  } else if (response.raw) {
    // Vault's names for a response written without the envelope.
    out["data"] = json::object{{"http_raw_body", hash.Secret(response.raw->body)},
                               {"http_status_code", response.raw->http_status},
                               {"http_content_type", response.raw->content_type}};
  }
  if (!response.warnings.empty()) {
    out["warnings"] = Strings(response.warnings);
  }
  return out;
}

}  // namespace

std::string AuditHash(std::string_view key, std::string_view input) {
  return "hmac-sha256:" + crypto::HmacSha256Hex(key, input);
}

std::string FormatAuditEntry(AuditEntryType type, const AuditRecord& record,
                             const framework::Response* response, const Status& error,
                             TimePoint time, const AuditFormat& format) {
  Hasher hash(format);
  json::object entry;
  entry["time"] = framework::FormatRfc3339Nano(time);
  entry["type"] = type == AuditEntryType::kResponse ? "response" : "request";
  entry["auth"] = CallerAuth(record, hash);
  entry["request"] = RequestSection(record, hash);
  if (type == AuditEntryType::kResponse) {
    entry["response"] = ResponseSection(record, response, hash);
  }
  if (!error.ok()) {
    entry["error"] = error.message();
  }
  return json::serialize(entry);
}

}  // namespace cellar::core
