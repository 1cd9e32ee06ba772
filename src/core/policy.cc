// src/core/policy.cc: decodes ACL policy text into PathRules with positioned errors.
#include "core/policy.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "base/duration.h"
#include "base/status_macros.h"
#include "base/text.h"
#include "hcl/parser.h"
#include "hcl/schema.h"

namespace cellar::core {
namespace {

struct CapabilityName {
  std::string_view name;
  Capability cap;
};

// Sorted by name, so CapabilityNames comes out in Vault's (sorted) order.
constexpr std::array<CapabilityName, 9> kCapabilityNames = {{
    {"create", kCapCreate},
    {"delete", kCapDelete},
    {"deny", kCapDeny},
    {"direct-deny", kCapDirectDeny},
    {"list", kCapList},
    {"patch", kCapPatch},
    {"read", kCapRead},
    {"sudo", kCapSudo},
    {"update", kCapUpdate},
}};

constexpr std::string_view kDefaultPolicyText =
    R"(# Allow tokens to look up their own properties
path "auth/token/lookup-self" {
  capabilities = ["read"]
}

# Allow tokens to renew themselves
path "auth/token/renew-self" {
  capabilities = ["update"]
}

# Allow tokens to revoke themselves
path "auth/token/revoke-self" {
  capabilities = ["update"]
}

# Allow a token to look up its own capabilities on a path
path "sys/capabilities-self" {
  capabilities = ["update"]
}

# Allow a token to look up its own leases
path "sys/leases/lookup" {
  capabilities = ["update"]
}

# Allow a token to renew a lease
path "sys/leases/renew" {
  capabilities = ["update"]
}

# Allow a token to manage its own cubbyhole
path "cubbyhole/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}
)";

constexpr CapabilitySet kLegacyRead = kCapRead | kCapList;
constexpr CapabilitySet kLegacyWrite =
    kCapCreate | kCapRead | kCapUpdate | kCapPatch | kCapDelete | kCapList;

const hcl::BodySchema& PolicySchema() {
  static const hcl::BodySchema* schema = [] {
    hcl::BodySchema open;
    open.allow_any_attributes = true;
    hcl::BodySchema path_body;
    path_body.attributes = {
        {"capabilities", hcl::Type::kStringList},
        {"policy", hcl::Type::kString},
        {"allowed_parameters", hcl::Type::kMap},
        {"denied_parameters", hcl::Type::kMap},
        {"required_parameters", hcl::Type::kStringList},
        {"min_wrapping_ttl", hcl::Type::kStringOrNumber},
        {"max_wrapping_ttl", hcl::Type::kStringOrNumber},
        {"mfa_methods", hcl::Type::kAny},
    };
    // Enterprise's control_group is written as a block; accept and ignore it either way.
    path_body.blocks = {{.type = "control_group", .labels = {}, .body = open}};
    auto* s = new hcl::BodySchema;
    s->attributes = {{"name", hcl::Type::kString}};
    s->blocks = {{.type = "path", .labels = {"path"}, .body = path_body}};
    return s;
  }();
  return *schema;
}

std::string At(const hcl::Range& range, std::string_view message) {
  return range.StartString() + ": " + std::string(message);
}

bool IsBase64Char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/';
}

// Decodes standard base64 (padding optional); nullopt when `text` is not base64 at all.
std::optional<std::string> DecodeBase64(std::string_view text) {
  while (!text.empty() && text.back() == '=') {
    text.remove_suffix(1);
  }
  if (text.empty() || text.size() % 4 == 1) {
    return std::nullopt;
  }
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    if (!IsBase64Char(c)) {
      return std::nullopt;
    }
    int v = c >= 'A' && c <= 'Z'   ? c - 'A'
            : c >= 'a' && c <= 'z' ? c - 'a' + 26
            : c >= '0' && c <= '9' ? c - '0' + 52
            : c == '+'             ? 62
                                   : 63;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

// Policy text is readable ASCII/UTF-8; a base64 decode yielding control bytes was not a policy.
bool LooksLikeText(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 && u != '\n' && u != '\r' && u != '\t';
  });
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// Canonical JSON-ish text for a non-string value, matched against request values the same way.
std::string CanonicalText(const hcl::Value& v) {
  switch (v.kind()) {
    case hcl::Value::Kind::kNull:
      return "null";
    case hcl::Value::Kind::kBool:
      return v.as_bool() ? "true" : "false";
    case hcl::Value::Kind::kNumber:
      return hcl::FormatNumber(v.as_number());
    case hcl::Value::Kind::kString: {
      std::string out = "\"";
      for (char c : v.as_string()) {
        if (c == '"' || c == '\\') {
          out.push_back('\\');
        }
        out.push_back(c);
      }
      return out + "\"";
    }
    case hcl::Value::Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < v.as_list().size(); ++i) {
        if (i > 0) {
          out += ",";
        }
        out += CanonicalText(v.as_list()[i]);
      }
      return out + "]";
    }
    case hcl::Value::Kind::kMap: {
      std::vector<std::pair<std::string, std::string>> entries;
      for (const auto& [k, item] : v.as_map()) {
        entries.emplace_back(k, CanonicalText(item));
      }
      std::sort(entries.begin(), entries.end());
      std::string out = "{";
      for (size_t i = 0; i < entries.size(); ++i) {
        if (i > 0) {
          out += ",";
        }
        out += CanonicalText(hcl::Value::String(entries[i].first)) + ":" + entries[i].second;
      }
      return out + "}";
    }
  }
  return "null";
}

StatusOr<ParameterMap> DecodeParameters(const hcl::Value& value, std::string_view attr) {
  ParameterMap out;
  for (const auto& [key, values] : value.as_map()) {
    if (!values.is_list()) {
      return InvalidArgumentError(
          At(values.range(), std::string(attr) + ": the value of \"" + key + "\" must be a list"));
    }
    std::vector<ParameterValue>& slot = out[ToLower(key)];
    for (const hcl::Value& item : values.as_list()) {
      if (item.is_string()) {
        slot.push_back({.is_string = true, .text = item.as_string()});
      } else {
        slot.push_back({.is_string = false, .text = CanonicalText(item)});
      }
    }
  }
  return out;
}

StatusOr<std::chrono::seconds> DecodeTtl(const hcl::Value& value) {
  if (value.is_number()) {
    if (value.as_number() < 0) {
      return InvalidArgumentError(At(value.range(), "wrapping TTL must not be negative"));
    }
    return std::chrono::seconds(static_cast<int64_t>(value.as_number()));
  }
  StatusOr<std::chrono::seconds> d = ParseDuration(value.as_string());
  if (!d.ok()) {
    return InvalidArgumentError(At(value.range(), d.status().message()));
  }
  return *d;
}

StatusOr<PathRule> DecodeRule(const hcl::DecodedBlock& block, std::vector<std::string>* warnings) {
  PathRule rule;
  std::string_view pattern;
  if (!block.labels.empty()) {
    pattern = block.labels[0];
  }
  if (!pattern.empty() && pattern.front() == '/') {
    pattern.remove_prefix(1);
  }
  rule.pattern = std::string(pattern);
  const hcl::DecodedBody& body = block.body;
  if (const hcl::Value* legacy = body.Get("policy")) {
    const std::string& p = legacy->as_string();
    if (p == "deny") {
      rule.capabilities |= kCapDeny;
    } else if (p == "read") {
      rule.capabilities |= kLegacyRead;
    } else if (p == "write") {
      rule.capabilities |= kLegacyWrite;
    } else if (p == "sudo") {
      rule.capabilities |= kLegacyWrite | kCapSudo;
    } else {
      return InvalidArgumentError(
          At(legacy->range(), "invalid policy \"" + p + "\" (want read, write, sudo or deny)"));
    }
  }
  if (const hcl::Value* caps = body.Get("capabilities")) {
    for (const hcl::Value& item : caps->as_list()) {
      std::optional<Capability> cap = ParseCapability(item.as_string());
      if (!cap) {
        return InvalidArgumentError(
            At(item.range(), "invalid capability \"" + item.as_string() + "\""));
      }
      rule.capabilities |= *cap;
    }
  }
  if (rule.capabilities & kCapDeny) {
    rule.capabilities = kCapDeny;  // as Vault: a deny rule grants nothing else
  }
  if (const hcl::Value* v = body.Get("allowed_parameters")) {
    CELLAR_ASSIGN_OR_RETURN(rule.allowed_parameters, DecodeParameters(*v, "allowed_parameters"));
  }
  if (const hcl::Value* v = body.Get("denied_parameters")) {
    CELLAR_ASSIGN_OR_RETURN(rule.denied_parameters, DecodeParameters(*v, "denied_parameters"));
  }
  if (const hcl::Value* v = body.Get("required_parameters")) {
    for (const hcl::Value& item : v->as_list()) {
      rule.required_parameters.push_back(ToLower(item.as_string()));
    }
  }
  if (const hcl::Value* v = body.Get("min_wrapping_ttl")) {
    CELLAR_ASSIGN_OR_RETURN(rule.min_wrapping_ttl, DecodeTtl(*v));
  }
  if (const hcl::Value* v = body.Get("max_wrapping_ttl")) {
    CELLAR_ASSIGN_OR_RETURN(rule.max_wrapping_ttl, DecodeTtl(*v));
  }
  if (rule.max_wrapping_ttl.count() > 0 && rule.min_wrapping_ttl > rule.max_wrapping_ttl) {
    return InvalidArgumentError(At(block.range, "max_wrapping_ttl is below min_wrapping_ttl"));
  }
  if (warnings) {
    if (body.Get("mfa_methods")) {
      warnings->push_back("path \"" + rule.pattern +
                          "\": mfa_methods is a Vault Enterprise feature and is ignored");
    }
    if (!body.BlocksOfType("control_group").empty()) {
      warnings->push_back("path \"" + rule.pattern +
                          "\": control_group is a Vault Enterprise feature and is ignored");
    }
  }
  return rule;
}

}  // namespace

std::optional<Capability> ParseCapability(std::string_view name) {
  for (const CapabilityName& c : kCapabilityNames) {
    if (c.name == name) {
      return c.cap;
    }
  }
  return std::nullopt;
}

std::vector<std::string> CapabilityNames(CapabilitySet caps) {
  std::vector<std::string> out;
  for (const CapabilityName& c : kCapabilityNames) {
    if (caps & c.cap) {
      out.emplace_back(c.name);
    }
  }
  return out;
}

std::string_view DefaultPolicyText() { return kDefaultPolicyText; }

StatusOr<Policy> ParsePolicy(std::string_view name, std::string_view text,
                             std::vector<std::string>* warnings) {
  std::string source(text);
  std::string_view trimmed = TrimSpace(text);
  if (std::optional<std::string> decoded = DecodeBase64(trimmed);
      decoded && LooksLikeText(*decoded)) {
    source = std::move(*decoded);
  }
  if (TrimSpace(source).empty()) {
    return InvalidArgumentError("policy is empty");
  }
  hcl::ParseResult parsed = hcl::ParseConfig(source, "policy");
  if (!parsed.ok()) {
    return hcl::DiagnosticsToStatus(parsed.diagnostics);
  }
  hcl::Diagnostics diags;
  hcl::DecodedBody body = hcl::Decode(parsed.body(), PolicySchema(), diags);
  if (hcl::HasErrors(diags)) {
    return hcl::DiagnosticsToStatus(diags);
  }
  Policy policy;
  policy.name = std::string(name);
  policy.text = std::move(source);
  for (const hcl::DecodedBlock* block : body.BlocksOfType("path")) {
    CELLAR_ASSIGN_OR_RETURN(PathRule rule, DecodeRule(*block, warnings));
    policy.rules.push_back(std::move(rule));
  }
  return policy;
}

StatusOr<std::string> NormalizePolicyName(std::string_view name) {
  std::string out = ToLower(TrimSpace(name));
  if (out.empty()) {
    return InvalidArgumentError("policy name is missing");
  }
  bool bad_char = std::any_of(out.begin(), out.end(), [](char c) {
    return c == '/' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
  if (bad_char || out.find("..") != std::string::npos) {
    return InvalidArgumentError("invalid policy name \"" + std::string(name) + "\"");
  }
  return out;
}

}  // namespace cellar::core
