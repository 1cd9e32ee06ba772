// src/http/request_mapping.cc: method, path, query, body and headers to a logical Request.
#include "http/request_mapping.h"

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <cctype>
#include <optional>
#include <string>

namespace cellar::http {
namespace {

using framework::Operation;

constexpr std::string_view kApiPrefix = "/v1/";

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t extra;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= s.size()) {
      return false;
    }
    for (size_t k = 1; k <= extra; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) {
        return false;
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

std::string ToUpper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

// The path checks of API.md §1: no NUL, no "." or ".." segment, valid UTF-8.
std::optional<std::string> PathProblem(std::string_view path) {
  if (path.find('\0') != std::string_view::npos) {
    return "invalid path: contains a NUL byte";
  }
  if (!IsValidUtf8(path)) {
    return "invalid path: not valid UTF-8";
  }
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    std::string_view segment = path.substr(start, end - start);
    if (segment == "." || segment == "..") {
      return "invalid path: \".\" and \"..\" segments are not allowed";
    }
    start = end + 1;
  }
  return std::nullopt;
}

// Query parameters as Vault's parseQuery: one value is a string, repeated keys a list.
boost::json::object QueryToData(const boost::urls::url_view& url, bool* bad_utf8) {
  boost::json::object data;
  for (auto param : url.params()) {
    if (!IsValidUtf8(param.key) || !IsValidUtf8(param.value)) {
      *bad_utf8 = true;
      return {};
    }
    auto it = data.find(param.key);
    if (it == data.end()) {
      data[param.key] = param.value;
    } else if (it->value().is_array()) {
      it->value().as_array().emplace_back(param.value);
    } else {
      boost::json::array values;
      values.push_back(it->value());
      values.emplace_back(param.value);
      it->value() = std::move(values);
    }
  }
  return data;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

// The media type of a Content-Type header, lowercased, without parameters.
std::string MediaType(std::string_view content_type) {
  std::string type = Trim(content_type.substr(0, content_type.find(';')));
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return type;
}

// "a/b", "/a/b/" → "a/b/"; "" → "".
std::string NormalizeNamespace(std::string_view ns) {
  while (!ns.empty() && ns.front() == '/') {
    ns.remove_prefix(1);
  }
  while (!ns.empty() && ns.back() == '/') {
    ns.remove_suffix(1);
  }
  return ns.empty() ? std::string() : std::string(ns) + "/";
}

// True for an origin-form target made only of "/" and RFC 3986 pchars other than "%": the URL
// parser accepts it and its decoded path is the target itself.
bool IsPlainPath(std::string_view target) {
  static constexpr std::array<bool, 256> kPlain = [] {
    std::array<bool, 256> plain{};
    for (unsigned char c : std::string_view("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                            "0123456789-._~!$&'()*+,;=:@/")) {
      plain[c] = true;
    }
    return plain;
  }();
  if (target.empty() || target.front() != '/') {
    return false;
  }
  return std::all_of(target.begin(), target.end(), [](unsigned char c) { return kPlain[c]; });
}

std::string TokenFrom(const WireRequest& wire) {
  if (!wire.vault_token.empty()) {
    return Trim(wire.vault_token);
  }
  std::string auth = Trim(wire.authorization);
  constexpr std::string_view kBearer = "bearer ";
  if (auth.size() > kBearer.size() && ToUpper(auth.substr(0, kBearer.size())) == "BEARER ") {
    return Trim(std::string_view(auth).substr(kBearer.size()));
  }
  return "";
}

}  // namespace

std::optional<bool> ParseGoBool(std::string_view text) {
  if (text == "1" || text == "t" || text == "T" || text == "TRUE" || text == "true" ||
      text == "True") {
    return true;
  }
  if (text == "0" || text == "f" || text == "F" || text == "FALSE" || text == "false" ||
      text == "False") {
    return false;
  }
  return std::nullopt;
}

std::variant<framework::Request, WireResponse> MapRequest(const WireRequest& wire,
                                                          std::string request_id, bool* is_head) {
  *is_head = false;
  // Most targets are a plain path ("/v1/secret/data/app"): no query, no escapes, nothing the URL
  // parser would reject or decode, so it is skipped for them.
  std::optional<boost::urls::url_view> url;
  if (!IsPlainPath(wire.target)) {
    auto parsed = boost::urls::parse_origin_form(wire.target);
    if (!parsed) {
      return WireError(400, "invalid request target");
    }
    url = *parsed;
  }
  // Percent-decoded, like Go's r.URL.Path.
  std::string full_path = url ? std::string(url->path()) : wire.target;
  if (full_path.compare(0, kApiPrefix.size(), kApiPrefix) != 0) {
    WireResponse not_found;
    not_found.status = 404;
    not_found.body = R"({"errors":[]})";
    return not_found;
  }
  std::string path = full_path.substr(kApiPrefix.size());
  if (auto problem = PathProblem(path)) {
    return WireError(400, *problem);
  }

  framework::Request request;
  request.request_id = std::move(request_id);
  bool query_is_data = false;
  std::string method = ToUpper(wire.method);
  if (method == "GET" || method == "HEAD") {
    if (method == "HEAD") {
      // Only sys/health answers HEAD (hvac's read_health_status default).
      if (path != "sys/health") {
        return WireError(405, "unsupported operation");
      }
      *is_head = true;
    }
    request.operation = Operation::kRead;
    query_is_data = true;
  } else if (method == "LIST") {
    request.operation = Operation::kList;
    query_is_data = true;
  } else if (method == "POST" || method == "PUT") {
    request.operation = Operation::kUpdate;  // the core decides create vs update
  } else if (method == "PATCH") {
    if (MediaType(wire.content_type) != "application/merge-patch+json") {
      return WireError(415, "PATCH requires Content-Type application/merge-patch+json");
    }
    request.operation = Operation::kPatch;
  } else if (method == "DELETE") {
    request.operation = Operation::kDelete;
    query_is_data = true;
  } else {
    return WireError(405, "unsupported operation");
  }

  if (query_is_data) {
    bool bad_utf8 = false;
    if (url) {
      request.data = QueryToData(*url, &bad_utf8);
    }
    if (bad_utf8) {
      return WireError(400, "invalid query: not valid UTF-8");
    }
    if (request.operation == Operation::kRead) {
      if (auto it = request.data.find("list"); it != request.data.end()) {
        std::optional<bool> list;
        if (it->value().is_string()) {
          list = ParseGoBool(it->value().as_string());
        }
        if (!list) {
          return WireError(400, "invalid value for \"list\": expected a boolean");
        }
        request.data.erase(it);
        if (*list && !*is_head) {
          request.operation = Operation::kList;
        }
      }
    }
  } else {
    std::string_view body = wire.body;
    bool blank =
        std::all_of(body.begin(), body.end(), [](unsigned char c) { return std::isspace(c); });
    if (!blank) {
      boost::json::parse_options options;
      options.max_depth = 128;
      boost::system::error_code ec;
      boost::json::value value = boost::json::parse(body, ec, {}, options);
      if (ec) {
        return WireError(400, "failed to parse JSON input: " + ec.message());
      }
      // `null` decodes to an empty map in Go, so Vault takes it as an empty body.
      if (value.is_object()) {
        request.data = std::move(value.as_object());
      } else if (!value.is_null()) {
        return WireError(400, "failed to parse JSON input: the body must be a JSON object");
      }
    }
  }

  if (request.operation == Operation::kList && (path.empty() || path.back() != '/')) {
    path += '/';
  }
  if (wire.has_wrap_ttl) {
    return WireError(400, "response wrapping is not supported");
  }
  request.path = std::move(path);
  request.namespace_path = NormalizeNamespace(wire.namespace_header);
  request.caller.token = TokenFrom(wire);
  request.remote_addr = wire.remote_addr;
  request.peer_certificates_der = wire.peer_certificates_der;
  return request;
}

}  // namespace cellar::http
