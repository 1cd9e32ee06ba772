// src/http/envelope.cc: the Vault response envelope, with every key always present.
#include "http/envelope.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serializer.hpp>
#include <charconv>
#include <string_view>
#include <type_traits>

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

constexpr std::string_view kEnvelopeKeys[] = {"request_id",     "lease_id", "renewable",
                                              "lease_duration", "data",     "wrap_info",
                                              "warnings",       "auth",     "mount_type"};

bool IsEnvelopeKey(std::string_view key) {
  for (std::string_view k : kEnvelopeKeys) {
    if (key == k) {
      return true;
    }
  }
  return false;
}

// Appends the JSON text of `value` (a value, object, array or string view) to `out`.
template <typename T>
void AppendJson(boost::json::serializer& sr, const T& value, std::string& out) {
  if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    sr.reset(std::string_view(value));
  } else {
    sr.reset(&value);
  }
  while (!sr.done()) {
    size_t used = out.size();
    out.resize(std::max(out.capacity(), used + 64));
    std::string_view written = sr.read(out.data() + used, out.size() - used);
    out.resize(used + written.size());
  }
}

void AppendInt(int64_t n, std::string& out) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), n);
  out.append(digits, end);
}

}  // namespace

bool CopiesDataToTopLevel(std::string_view path) {
  for (std::string_view prefix : {"sys/mounts", "sys/auth", "sys/audit", "sys/audit-hash",
                                  "sys/policy", "sys/capabilities"}) {
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

  // Written straight into the body in the order Vault uses, instead of building an object that
  // would deep-copy `data` only to serialise it.
  std::string& out = wire.body;
  out.reserve(512);
  boost::json::serializer sr;
  out.append(R"({"request_id":)");
  AppendJson(sr, request.request_id, out);
  out.append(R"(,"lease_id":)");
  AppendJson(sr, response.lease_id, out);
  out.append(R"(,"renewable":)").append(response.renewable ? "true" : "false");
  out.append(R"(,"lease_duration":)");
  AppendInt(response.lease_duration.count(), out);
  out.append(R"(,"data":)");
  if (response.data) {
    AppendJson(sr, *response.data, out);
  } else {
    out.append("null");
  }
  out.append(R"(,"wrap_info":null,"warnings":)");
  if (response.warnings.empty()) {
    out.append("null");
  } else {
    AppendJson(sr, StringList(response.warnings), out);
  }
  out.append(R"(,"auth":)");
  if (response.auth) {
    AppendJson(sr, AuthBlock(*response.auth), out);
  } else {
    out.append("null");
  }
  out.append(R"(,"mount_type":)");
  AppendJson(sr, response.mount_type, out);
  if (response.data && CopiesDataToTopLevel(request.path)) {
    for (const auto& [key, value] : *response.data) {
      if (IsEnvelopeKey(key)) {
        continue;  // envelope keys win over a mount named like them
      }
      out.push_back(',');
      AppendJson(sr, std::string_view(key), out);
      out.push_back(':');
      AppendJson(sr, value, out);
    }
  }
  out.push_back('}');
  wire.status = response.http_status != 0 ? response.http_status : 200;
  return wire;
}

}  // namespace cellar::http
