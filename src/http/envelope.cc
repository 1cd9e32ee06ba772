// src/http/envelope.cc: the Vault response envelope, with every key always present.
#include "http/envelope.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace cellar::http {
namespace {

boost::json::value StringMap(const std::map<std::string, std::string>& map) {
  if (map.empty()) {
    return nullptr;  // Vault serialises a nil map as null
  }
  boost::json::object out;
  for (const auto& [k, v] : map) {
    out[k] = v;
  }
  return out;
}

boost::json::array StringList(const std::vector<std::string>& list) {
  boost::json::array out;
  for (const auto& s : list) {
    out.emplace_back(s);
  }
  return out;
}

boost::json::object AuthBlock(const framework::Auth& auth) {
  boost::json::object out;
  out["client_token"] = auth.client_token;
  out["accessor"] = auth.accessor;
  out["policies"] = StringList(auth.policies);
  out["token_policies"] = StringList(auth.token_policies);
  out["metadata"] = StringMap(auth.metadata);
  out["lease_duration"] = auth.ttl.count();
  out["renewable"] = auth.renewable;
  out["entity_id"] = auth.entity_id;
  out["token_type"] = "service";
  out["orphan"] = auth.orphan;
  out["num_uses"] = auth.num_uses;
  return out;
}

}  // namespace

bool CopiesDataToTopLevel(std::string_view path) {
  for (std::string_view prefix :
       {"sys/mounts", "sys/auth", "sys/audit", "sys/policy", "sys/capabilities"}) {
    if (path.substr(0, prefix.size()) != prefix) {
      continue;
    }
    std::string_view rest = path.substr(prefix.size());
    // "sys/policy/x" and "sys/capabilities-self" count; "sys/authx" does not.
    if (rest.empty() || rest.front() == '/' || prefix == "sys/capabilities") {
      return true;
    }
  }
  return false;
}

WireResponse RenderResponse(const framework::Response& response,
                            const framework::Request& request) {
  WireResponse wire;
  if (response.raw) {
    wire.status = response.raw->http_status;
    wire.content_type = response.raw->content_type;
    wire.body = response.raw->body;
    return wire;
  }
  if (response.Empty() && response.http_status == 0) {
    using framework::Operation;
    if (request.operation == Operation::kRead || request.operation == Operation::kList) {
      wire.status = 404;  // Vault: a read or list with nothing to return is "not found"
      wire.body = R"({"errors":[]})";
    } else {
      wire.status = 204;
    }
    return wire;
  }

  boost::json::object env;
  env["request_id"] = request.request_id;
  env["lease_id"] = response.lease_id;
  env["renewable"] = response.renewable;
  env["lease_duration"] = response.lease_duration.count();
  if (response.data) {
    env["data"] = *response.data;
  } else {
    env["data"] = nullptr;
  }
  env["wrap_info"] = nullptr;
  if (response.warnings.empty()) {
    env["warnings"] = nullptr;
  } else {
    env["warnings"] = StringList(response.warnings);
  }
  if (response.auth) {
    env["auth"] = AuthBlock(*response.auth);
  } else {
    env["auth"] = nullptr;
  }
  env["mount_type"] = response.mount_type;
  if (response.data && CopiesDataToTopLevel(request.path)) {
    for (const auto& [key, value] : *response.data) {
      if (!env.contains(key)) {  // envelope keys win over a mount named like them
        env[key] = value;
      }
    }
  }
  wire.status = response.http_status != 0 ? response.http_status : 200;
  wire.body = boost::json::serialize(env);
  return wire;
}

}  // namespace cellar::http
