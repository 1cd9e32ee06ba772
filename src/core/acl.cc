// src/core/acl.cc: compiles policies into exact, prefix and segment tables and evaluates requests.
#include "core/acl.h"

#include <algorithm>
#include <boost/json/value.hpp>
#include <cctype>
#include <set>

#include "hcl/value.h"

namespace cellar::core {
namespace {

using framework::Operation;

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

std::vector<std::string> SplitSegments(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t slash = s.find('/', start);
    if (slash == std::string_view::npos) {
      out.emplace_back(s.substr(start));
      return out;
    }
    out.emplace_back(s.substr(start, slash - start));
    start = slash + 1;
  }
}

CapabilitySet CapabilityFor(Operation op) {
  switch (op) {
    case Operation::kRead:
      return kCapRead;
    case Operation::kList:
      return kCapList;
    case Operation::kCreate:
      return kCapCreate;
    case Operation::kUpdate:
      return kCapUpdate;
    case Operation::kPatch:
      return kCapPatch;
    case Operation::kDelete:
      return kCapDelete;
  }
  return 0;
}

// Merges `add` into `into` as Vault does for one pattern found in several policies: deny wipes
// everything else; an empty value list (any value) beats a restricted one; lists concatenate.
void MergeParameters(const ParameterMap& add, ParameterMap& into) {
  for (const auto& [key, values] : add) {
    auto it = into.find(key);
    if (it == into.end()) {
      into.emplace(key, values);
    } else if (values.empty() || it->second.empty()) {
      it->second.clear();
    } else {
      it->second.insert(it->second.end(), values.begin(), values.end());
    }
  }
}

void MergeRule(const PathRule& rule, Acl::Rule& into) {
  if (into.capabilities & kCapDeny) {
    return;
  }
  if (rule.capabilities & kCapDeny) {
    into.capabilities = kCapDeny;
    into.allowed_parameters.reset();
    into.denied_parameters.clear();
    into.required_parameters.clear();
    return;
  }
  into.capabilities |= rule.capabilities;
  if (rule.allowed_parameters && !rule.allowed_parameters->empty()) {
    if (!into.allowed_parameters) {
      into.allowed_parameters.emplace();
    }
    MergeParameters(*rule.allowed_parameters, *into.allowed_parameters);
  }
  MergeParameters(rule.denied_parameters, into.denied_parameters);
  for (const std::string& r : rule.required_parameters) {
    if (std::find(into.required_parameters.begin(), into.required_parameters.end(), r) ==
        into.required_parameters.end()) {
      into.required_parameters.push_back(r);
    }
  }
}

// Whether segment rule `rule` matches `path` ('/'-split in `path_segments`).
bool SegmentRuleMatches(const Acl::Rule& rule, const std::vector<std::string_view>& path_segments) {
  const std::vector<std::string>& segs = rule.segments;
  if (rule.glob ? path_segments.size() < segs.size() : path_segments.size() != segs.size()) {
    return false;
  }
  for (size_t i = 0; i < segs.size(); ++i) {
    if (segs[i] == "+") {
      continue;
    }
    bool last = i + 1 == segs.size();
    if (last && rule.glob) {
      if (!StartsWith(path_segments[i], segs[i])) {
        return false;
      }
    } else if (path_segments[i] != segs[i]) {
      return false;
    }
  }
  return true;
}

// True when `a` outranks `b` (API.md §5 priority list).
bool Outranks(const Acl::Rule& a, const Acl::Rule& b) {
  if (a.first_wildcard != b.first_wildcard) {
    return a.first_wildcard > b.first_wildcard;
  }
  if (a.glob != b.glob) {
    return !a.glob;
  }
  if (a.plus_count != b.plus_count) {
    return a.plus_count < b.plus_count;
  }
  if (a.pattern.size() != b.pattern.size()) {
    return a.pattern.size() > b.pattern.size();
  }
  return a.pattern > b.pattern;
}

// The canonical text of a request value, matching policy.cc's CanonicalText for HCL values.
std::string Canonical(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return v.get_bool() ? "true" : "false";
    case boost::json::kind::int64:
      return std::to_string(v.get_int64());
    case boost::json::kind::uint64:
      return std::to_string(v.get_uint64());
    case boost::json::kind::double_:
      return hcl::FormatNumber(v.get_double());
    case boost::json::kind::string: {
      std::string out = "\"";
      for (char c : v.get_string()) {
        if (c == '"' || c == '\\') {
          out.push_back('\\');
        }
        out.push_back(c);
      }
      return out + "\"";
    }
    case boost::json::kind::array: {
      std::string out = "[";
      bool first = true;
      for (const boost::json::value& item : v.get_array()) {
        if (!first) {
          out += ",";
        }
        out += Canonical(item);
        first = false;
      }
      return out + "]";
    }
    case boost::json::kind::object: {
      std::vector<std::pair<std::string, std::string>> entries;
      for (const auto& kv : v.get_object()) {
        entries.emplace_back(Canonical(boost::json::value(kv.key())), Canonical(kv.value()));
      }
      std::sort(entries.begin(), entries.end());
      std::string out = "{";
      for (size_t i = 0; i < entries.size(); ++i) {
        out += (i ? "," : "") + entries[i].first + ":" + entries[i].second;
      }
      return out + "}";
    }
  }
  return "null";
}

// Vault's valueInParameterList: an empty list admits anything; strings match string globs,
// other values match by canonical text.
bool ValueInList(const boost::json::value& v, const std::vector<ParameterValue>& list) {
  if (list.empty()) {
    return true;
  }
  std::string canonical;
  for (const ParameterValue& item : list) {
    if (item.is_string) {
      if (v.is_string() && GlobMatch(item.text, v.get_string())) {
        return true;
      }
      continue;
    }
    if (canonical.empty()) {
      canonical = Canonical(v);
    }
    if (canonical == item.text) {
      return true;
    }
  }
  return false;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// Vault's parameter checks (required, then denied, then allowed); false means refuse.
bool ParametersAllowed(const Acl::Rule& rule, const boost::json::object& data) {
  if (rule.required_parameters.empty() && rule.denied_parameters.empty() &&
      !rule.allowed_parameters) {
    return true;
  }
  std::vector<std::pair<std::string, const boost::json::value*>> fields;
  fields.reserve(data.size());
  for (const auto& kv : data) {
    fields.emplace_back(ToLower(kv.key()), &kv.value());
  }
  for (const std::string& required : rule.required_parameters) {
    bool present = std::any_of(fields.begin(), fields.end(),
                               [&](const auto& f) { return f.first == required; });
    if (!present) {
      return false;
    }
  }
  if (fields.empty()) {
    return true;
  }
  if (!rule.denied_parameters.empty()) {
    if (rule.denied_parameters.count("*")) {
      return false;
    }
    for (const auto& [key, value] : fields) {
      auto it = rule.denied_parameters.find(key);
      if (it != rule.denied_parameters.end() && ValueInList(*value, it->second)) {
        return false;
      }
    }
  }
  if (!rule.allowed_parameters || rule.allowed_parameters->empty()) {
    return true;
  }
  const ParameterMap& allowed = *rule.allowed_parameters;
  bool allow_all = allowed.count("*") > 0;
  if (allow_all && allowed.size() == 1) {
    return true;
  }
  for (const auto& [key, value] : fields) {
    auto it = allowed.find(key);
    if (it == allowed.end()) {
      if (!allow_all) {
        return false;
      }
    } else if (!ValueInList(*value, it->second)) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool GlobMatch(std::string_view glob, std::string_view value) {
  if (glob.size() < 2) {
    return glob == value;
  }
  bool prefix = glob.front() == '*';
  bool suffix = glob.back() == '*';
  if (prefix && suffix) {
    return value.find(glob.substr(1, glob.size() - 2)) != std::string_view::npos;
  }
  if (prefix) {
    return EndsWith(value, glob.substr(1));
  }
  if (suffix) {
    return StartsWith(value, glob.substr(0, glob.size() - 1));
  }
  return glob == value;
}

bool RequiresSudo(Operation op, std::string_view path) {
  auto under = [&](std::string_view dir) {  // dir or anything below it, "dir/" included
    return StartsWith(path, dir) && (path.size() == dir.size() || path[dir.size()] == '/');
  };
  // Grouped by their first segments: most requests (secrets) are in neither group and skip the
  // comparisons.
  if (StartsWith(path, "sys/") &&
      (path == "sys/seal" || path == "sys/step-down" || path == "sys/rotate" ||
       StartsWith(path, "sys/auth/") || under("sys/audit") ||
       StartsWith(path, "sys/leases/revoke-prefix/") ||
       StartsWith(path, "sys/leases/revoke-force/") || StartsWith(path, "sys/revoke-prefix/") ||
       StartsWith(path, "sys/revoke-force/") || StartsWith(path, "sys/profiles/debug/") ||
       (op == Operation::kList && StartsWith(path, "sys/leases/lookup/")))) {
    return true;
  }
  if (StartsWith(path, "auth/token/") &&
      (under("auth/token/accessors") || under("auth/token/revoke-orphan"))) {
    return true;
  }
  // */cel/role/<name>/debug under any mount.
  if (EndsWith(path, "/debug")) {
    std::string_view head = path.substr(0, path.size() - std::string_view("/debug").size());
    size_t slash = head.rfind('/');
    if (slash != std::string_view::npos && slash + 1 < head.size() &&
        EndsWith(head.substr(0, slash + 1), "/cel/role/")) {
      return true;
    }
  }
  return false;
}

std::shared_ptr<const Acl> Acl::Compile(const std::vector<const Policy*>& policies) {
  std::shared_ptr<Acl> acl(new Acl);
  std::map<std::string, Rule> merged;  // by pattern
  std::set<std::string> names;
  for (const Policy* policy : policies) {
    if (policy == nullptr) {
      continue;
    }
    names.insert(policy->name);
    if (policy->name == kRootPolicy) {
      acl->root_ = true;
    }
    for (const PathRule& rule : policy->rules) {
      Rule& into = merged[rule.pattern];
      into.pattern = rule.pattern;
      MergeRule(rule, into);
    }
  }
  acl->policy_names_.assign(names.begin(), names.end());
  std::set<size_t, std::greater<>> lengths;
  for (auto& [pattern, rule] : merged) {
    rule.glob = !pattern.empty() && pattern.back() == '*';
    std::string_view body = rule.glob ? std::string_view(pattern).substr(0, pattern.size() - 1)
                                      : std::string_view(pattern);
    std::vector<std::string> segments = SplitSegments(body);
    size_t offset = 0;
    rule.first_wildcard = rule.glob ? pattern.size() - 1 : pattern.size();
    for (const std::string& seg : segments) {
      if (seg == "+") {
        rule.first_wildcard = std::min(rule.first_wildcard, offset);
        ++rule.plus_count;
      }
      offset += seg.size() + 1;
    }
    if (rule.plus_count > 0) {
      rule.segments = std::move(segments);
      acl->segment_rules_.push_back(std::move(rule));
    } else if (rule.glob) {
      lengths.insert(body.size());
      std::string key(body);
      acl->prefix_.emplace(std::move(key), std::move(rule));
    } else {
      acl->exact_.emplace(pattern, std::move(rule));
    }
  }
  acl->prefix_lengths_.assign(lengths.begin(), lengths.end());
  std::set<size_t, std::greater<>> head_lengths;
  for (size_t i = 0; i < acl->segment_rules_.size(); ++i) {
    const Rule& rule = acl->segment_rules_[i];
    std::string head = rule.pattern.substr(0, rule.first_wildcard);
    head_lengths.insert(head.size());
    acl->segment_heads_[head].push_back(i);
  }
  acl->segment_head_lengths_.assign(head_lengths.begin(), head_lengths.end());
  return acl;
}

const Acl::Rule* Acl::MatchNonExact(std::string_view path) const {
  const Rule* best = nullptr;
  for (size_t len : prefix_lengths_) {
    if (len > path.size()) {
      continue;
    }
    auto it = prefix_.find(path.substr(0, len));
    if (it != prefix_.end()) {
      best = &it->second;
      break;
    }
  }
  if (segment_rules_.empty()) {
    return best;
  }
  std::vector<std::string_view> path_segments;  // split only once a bucket can match
  for (size_t len : segment_head_lengths_) {
    if (len > path.size()) {
      continue;
    }
    auto bucket = segment_heads_.find(path.substr(0, len));
    if (bucket == segment_heads_.end()) {
      continue;
    }
    if (path_segments.empty()) {
      size_t start = 0;
      for (size_t slash; (slash = path.find('/', start)) != std::string_view::npos;
           start = slash + 1) {
        path_segments.push_back(path.substr(start, slash - start));
      }
      path_segments.push_back(path.substr(start));
    }
    for (size_t index : bucket->second) {
      const Rule& rule = segment_rules_[index];
      if (SegmentRuleMatches(rule, path_segments) && (best == nullptr || Outranks(rule, *best))) {
        best = &rule;
      }
    }
  }
  return best;
}

const Acl::Rule* Acl::Match(std::string_view path, bool is_list) const {
  if (auto it = exact_.find(path); it != exact_.end()) {
    return &it->second;
  }
  std::string_view trimmed = path;
  if (is_list && !trimmed.empty() && trimmed.back() == '/') {
    trimmed.remove_suffix(1);
    if (auto it = exact_.find(trimmed); it != exact_.end()) {
      return &it->second;
    }
  }
  if (const Rule* rule = MatchNonExact(path)) {
    return rule;
  }
  if (trimmed.size() != path.size()) {
    return MatchNonExact(trimmed);
  }
  return nullptr;
}

CapabilitySet Acl::CapabilitiesFor(std::string_view path, bool is_list) const {
  if (root_) {
    return kCapCreate | kCapRead | kCapUpdate | kCapPatch | kCapDelete | kCapList | kCapSudo;
  }
  const Rule* rule = Match(path, is_list);
  if (rule == nullptr) {
    return 0;
  }
  return (rule->capabilities & kCapDeny) ? kCapDeny : rule->capabilities;
}

AclDecision Acl::Decide(Operation op, std::string_view path, const boost::json::object& data,
                        bool via_profile) const {
  if (root_) {
    return AclDecision::kAllow;
  }
  const Rule* rule = Match(path, op == Operation::kList);
  if (rule == nullptr) {
    return AclDecision::kNoRule;
  }
  CapabilitySet caps = rule->capabilities;
  if ((caps & kCapDeny) || ((caps & kCapDirectDeny) && !via_profile)) {
    return AclDecision::kDeny;
  }
  if ((caps & CapabilityFor(op)) == 0) {
    return AclDecision::kNoCapability;
  }
  if ((caps & kCapSudo) == 0 && RequiresSudo(op, path)) {
    return AclDecision::kNoSudo;
  }
  bool checks_parameters = op == Operation::kRead || op == Operation::kCreate ||
                           op == Operation::kUpdate || op == Operation::kPatch;
  if (checks_parameters && !ParametersAllowed(*rule, data)) {
    return AclDecision::kParameters;
  }
  return AclDecision::kAllow;
}

Status Acl::Authorize(Operation op, std::string_view path, const boost::json::object& data,
                      bool via_profile) const {
  if (Decide(op, path, data, via_profile) != AclDecision::kAllow) {
    return PermissionDeniedError();
  }
  return OkStatus();
}

Status Acl::Authorize(const framework::Request& request) const {
  return Authorize(request.operation, request.path, request.data, request.via_profile);
}

std::vector<std::string> Acl::Capabilities(std::string_view path) const {
  if (root_) {
    return {"root"};
  }
  const Rule* rule = Match(path, false);
  if (rule == nullptr || (rule->capabilities & (kCapDeny | kCapDirectDeny)) ||
      rule->capabilities == 0) {
    return {"deny"};
  }
  return CapabilityNames(rule->capabilities);
}

bool Acl::HasAnyCapabilityUnder(std::string_view prefix) const {
  if (root_) {
    return true;
  }
  auto grants = [](const Rule& r) { return r.capabilities != 0 && !(r.capabilities & kCapDeny); };
  for (const auto& [pattern, rule] : exact_) {
    if (grants(rule) && StartsWith(pattern, prefix)) {
      return true;
    }
  }
  for (const auto& [body, rule] : prefix_) {
    if (grants(rule) && (StartsWith(body, prefix) || StartsWith(prefix, body))) {
      return true;
    }
  }
  for (const Rule& rule : segment_rules_) {
    if (!grants(rule)) {
      continue;
    }
    // A segment rule reaches below `prefix` when its leading segments fit the prefix's.
    std::vector<std::string> prefix_segments = SplitSegments(prefix);
    if (!prefix_segments.empty() && prefix_segments.back().empty()) {
      prefix_segments.pop_back();
    }
    bool fits = rule.segments.size() >= prefix_segments.size() || rule.glob;
    for (size_t i = 0; fits && i < prefix_segments.size() && i < rule.segments.size(); ++i) {
      bool last_glob = rule.glob && i + 1 == rule.segments.size();
      fits = rule.segments[i] == "+" || rule.segments[i] == prefix_segments[i] ||
             (last_glob && StartsWith(prefix_segments[i], rule.segments[i]));
    }
    if (fits) {
      return true;
    }
  }
  return false;
}

}  // namespace cellar::core
