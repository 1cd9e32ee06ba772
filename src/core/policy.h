// src/core/policy.h: the ACL policy model and its parser (HCL, JSON, or base64 of either).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status_or.h"

namespace cellar::core {

// Capabilities as bits, so merging rules is an OR and checking one is an AND.
enum Capability : uint32_t {
  kCapCreate = 1u << 0,
  kCapRead = 1u << 1,
  kCapUpdate = 1u << 2,
  kCapPatch = 1u << 3,
  kCapDelete = 1u << 4,
  kCapList = 1u << 5,
  kCapSudo = 1u << 6,
  kCapDeny = 1u << 7,
  kCapDirectDeny = 1u << 8,  // (C) deny on direct requests only; profile sub-requests ignore it
};
using CapabilitySet = uint32_t;

// "read" → kCapRead, ...; nullopt for an unknown name.
std::optional<Capability> ParseCapability(std::string_view name);

// Sorted capability names of `caps` (Vault sorts them), e.g. ["create", "read"].
std::vector<std::string> CapabilityNames(CapabilitySet caps);

// One allowed or denied value of a parameter. Strings may be globs (`pre-*`, `*-suf`, `*mid*`);
// other values (numbers, bools, lists) compare by their canonical JSON text.
struct ParameterValue {
  bool is_string = true;
  std::string text;  // the string itself, or canonical JSON for other kinds

  friend bool operator==(const ParameterValue&, const ParameterValue&) = default;
};

// Parameter key (lower-cased) → accepted values; an empty list means any value. Key "*" = all keys.
using ParameterMap = std::map<std::string, std::vector<ParameterValue>>;

// One `path "pattern" { ... }` block.
struct PathRule {
  std::string pattern;  // as written, leading '/' removed: "secret/+/data*"
  CapabilitySet capabilities = 0;
  // nullopt when the policy does not set allowed_parameters at all (then every key passes).
  std::optional<ParameterMap> allowed_parameters;
  ParameterMap denied_parameters;
  std::vector<std::string> required_parameters;  // lower-cased
  std::chrono::seconds min_wrapping_ttl{0};
  std::chrono::seconds max_wrapping_ttl{0};
};

struct Policy {
  std::string name;
  std::string text;  // the source as submitted (after base64 decoding), shown back on reads
  std::vector<PathRule> rules;  // source order; the same pattern may appear twice
};

// Names of the built-ins.
inline constexpr std::string_view kRootPolicy = "root";
inline constexpr std::string_view kDefaultPolicy = "default";

// The text of the built-in `default` policy (API.md §5 "Built-ins").
std::string_view DefaultPolicyText();

// Parses a policy in HCL native syntax or JSON, or standard base64 of either (Vault clients send
// both). `name` is only recorded. Warnings (ignored Enterprise keys) are appended to `warnings`
// when non-null. Errors: InvalidArgument with "policy:line:col: message" for syntax errors,
// unknown keys, bad capabilities or malformed parameters.
StatusOr<Policy> ParsePolicy(std::string_view name, std::string_view text,
                             std::vector<std::string>* warnings = nullptr);

// Policy names are case-insensitive (Vault lower-cases them). Returns the lower-cased, trimmed
// name or InvalidArgument when empty or containing '/', control characters or "..".
StatusOr<std::string> NormalizePolicyName(std::string_view name);

}  // namespace cellar::core
