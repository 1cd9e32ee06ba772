// src/core/acl.h: a set of policies compiled once into a lookup structure that authorises requests.
#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "core/policy.h"
#include "framework/logical.h"

namespace cellar::core {

// Whether `op` on `path` (full API path without /v1/, namespace stripped) needs the `sudo`
// capability (API.md §5 "sudo paths"). Root tokens pass regardless.
bool RequiresSudo(framework::Operation op, std::string_view path);

// Vault's GlobbedStringsMatch: "pre*" prefix, "*suf" suffix, "*mid*" contains, else equality.
bool GlobMatch(std::string_view glob, std::string_view value);

// Why the ACL answered as it did; CEL policies (CEL.md) may admit kNoRule, never kDeny.
enum class AclDecision {
  kAllow,
  kNoRule,        // no rule matches the path
  kDeny,          // the chosen rule has `deny` (or `direct-deny` on a direct request)
  kNoCapability,  // the rule lacks the operation's capability
  kNoSudo,        // a sudo path and the rule lacks `sudo`
  kParameters,    // required/allowed/denied parameters refuse the body
};

// The compiled union of several policies. Immutable after Compile, so it is shared between
// threads without locks (STYLE.md §8): every method is const and thread-safe.
//
// Matching (API.md §5): an exact rule wins; otherwise, among the longest matching prefix rule
// (`foo*`) and every matching segment rule (`a/+/b`, `a/+/b*`), the highest priority wins: later
// first wildcard, then no trailing `*`, fewer `+`, longer, lexically greater. Rules with the same
// pattern in several policies are merged (union of capabilities and parameters); `deny` in the
// chosen rule refuses everything. LIST looks up the path with its trailing '/' and then without.
class Acl {
 public:
  // Compiles `policies`. A policy named "root" makes the ACL allow everything.
  static std::shared_ptr<const Acl> Compile(const std::vector<const Policy*>& policies);

  // OK when `op` on `path` with body `data` is allowed; PermissionDenied ("permission denied")
  // when no rule matches, the rule denies, lacks the capability, lacks `sudo` on a sudo path, or
  // the parameters violate it. `via_profile` makes `direct-deny` inert. `op` must already be
  // create or update (never a bare write).
  Status Authorize(framework::Operation op, std::string_view path, const boost::json::object& data,
                   bool via_profile = false) const;

  // Same, from a request: uses request.operation, .path (full path), .data and .via_profile.
  Status Authorize(const framework::Request& request) const;

  // The decision with its reason (Authorize is OK exactly when this is kAllow).
  AclDecision Decide(framework::Operation op, std::string_view path,
                     const boost::json::object& data, bool via_profile = false) const;

  // The capability names a direct request would get on `path` (sys/capabilities): ["root"] for a
  // root ACL, ["deny"] when no rule matches or the rule denies (direct-deny included), else the
  // sorted names.
  std::vector<std::string> Capabilities(std::string_view path) const;

  // The raw capability bits of the rule chosen for `path` (0 when none, kCapDeny when denied).
  // `is_list` applies LIST's trailing-slash lookup. Root ACLs answer every bit but deny.
  CapabilitySet CapabilitiesFor(std::string_view path, bool is_list = false) const;

  // Whether any rule grants something at or below `prefix` ("secret/"): for sys/internal/ui/mounts.
  bool HasAnyCapabilityUnder(std::string_view prefix) const;

  bool is_root() const { return root_; }
  const std::vector<std::string>& policy_names() const { return policy_names_; }

  // A merged rule; public for tests and the debug tooling.
  struct Rule {
    std::string pattern;
    CapabilitySet capabilities = 0;
    std::optional<ParameterMap> allowed_parameters;
    ParameterMap denied_parameters;
    std::vector<std::string> required_parameters;
    // Precomputed priority terms.
    bool glob = false;          // trailing '*'
    size_t first_wildcard = 0;  // index of the first '+' segment or the '*'
    size_t plus_count = 0;
    std::vector<std::string> segments;  // '/'-split pattern without the '*' (segment rules only)
  };

  // The rule that governs `path`, or nullptr. Exposed for tests.
  const Rule* Match(std::string_view path, bool is_list) const;

 private:
  Acl() = default;
  const Rule* MatchNonExact(std::string_view path) const;

  // Lets the maps be searched with a string_view slice of the path, without allocating.
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <typename V>
  using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

  bool root_ = false;
  std::vector<std::string> policy_names_;
  StringMap<Rule> exact_;
  // Prefix rules keyed by prefix (pattern without '*'), looked up by each distinct length,
  // longest first: cheaper than a radix tree for the handful of lengths real policies use.
  StringMap<Rule> prefix_;
  std::vector<size_t> prefix_lengths_;  // descending, unique
  std::vector<Rule> segment_rules_;     // patterns with a '+' segment
  // Segment rules bucketed by their literal head (the text before the first '+'), looked up the
  // same way, so a path only tests the rules that can match it.
  StringMap<std::vector<size_t>> segment_heads_;  // head → indexes into segment_rules_
  std::vector<size_t> segment_head_lengths_;      // descending, unique
};

}  // namespace cellar::core
