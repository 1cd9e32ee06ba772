// src/framework/token_fields.cc: parsing and rendering of the shared token_* fields.
#include "framework/token_fields.h"

#include <algorithm>

#include "base/status_macros.h"
#include "framework/cidr.h"

namespace cellar::framework {

namespace json = boost::json;

std::vector<FieldSchema> TokenFields() {
  return {
      {"token_policies", FieldType::kNameList, "Policies of tokens issued by this login."},
      {"policies", FieldType::kNameList, "Deprecated: use token_policies."},
      {"token_ttl", FieldType::kDuration, "Initial TTL of issued tokens."},
      {"token_max_ttl", FieldType::kDuration, "Maximum lifetime of issued tokens."},
      {"token_period", FieldType::kDuration, "Renewal period of issued periodic tokens."},
      {"token_explicit_max_ttl", FieldType::kDuration, "Hard cap on issued tokens' lifetime."},
      {"token_num_uses", FieldType::kInt, "Uses per issued token; 0 is unlimited."},
      {"token_no_default_policy", FieldType::kBool, "Leave out the default policy."},
      {"token_bound_cidrs", FieldType::kCommaList, "CIDRs issued tokens may be used from."},
      {"token_type", FieldType::kString, "Token type; only service tokens exist.", "default"},
  };
}

namespace {

json::array ToArray(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) {
    a.emplace_back(s);
  }
  return a;
}

std::vector<std::string> FromArray(const json::value* v) {
  std::vector<std::string> out;
  if (v != nullptr && v->is_array()) {
    for (const auto& item : v->get_array()) {
      if (item.is_string()) {
        out.emplace_back(item.get_string());
      }
    }
  }
  return out;
}

int64_t IntOr0(const json::object& in, std::string_view key) {
  const json::value* v = in.if_contains(key);
  return v != nullptr && v->is_int64() ? v->get_int64() : 0;
}

}  // namespace

Status TokenParams::ParseFrom(const FieldData& data) {
  if (data.Has("token_policies")) {
    policies = data.GetList("token_policies");
  } else if (data.Has("policies")) {
    policies = data.GetList("policies");
  }
  policies.erase(std::remove(policies.begin(), policies.end(), ""), policies.end());
  if (data.Has("token_ttl")) {
    ttl = data.GetDuration("token_ttl");
  }
  if (data.Has("token_max_ttl")) {
    max_ttl = data.GetDuration("token_max_ttl");
  }
  if (data.Has("token_period")) {
    period = data.GetDuration("token_period");
  }
  if (data.Has("token_explicit_max_ttl")) {
    explicit_max_ttl = data.GetDuration("token_explicit_max_ttl");
  }
  if (data.Has("token_num_uses")) {
    num_uses = data.GetInt("token_num_uses");
    if (num_uses < 0) {
      return InvalidArgumentError("token_num_uses cannot be negative");
    }
  }
  if (data.Has("token_no_default_policy")) {
    no_default_policy = data.GetBool("token_no_default_policy");
  }
  if (data.Has("token_bound_cidrs")) {
    bound_cidrs = data.GetList("token_bound_cidrs");
    for (const std::string& cidr : bound_cidrs) {
      CELLAR_RETURN_IF_ERROR(ValidateCidr(cidr));
    }
  }
  if (data.Has("token_type")) {
    std::string type = data.GetString("token_type");
    if (type != "default" && type != "service" && type != "default-service") {
      return InvalidArgumentError("invalid 'token_type' value \"" + type + "\"");
    }
    token_type = type;
  }
  if (max_ttl.count() > 0 && ttl > max_ttl) {
    return InvalidArgumentError("'token_ttl' cannot be greater than 'token_max_ttl'");
  }
  return OkStatus();
}

void TokenParams::AddTo(json::object& out) const {
  out["token_policies"] = ToArray(policies);
  out["policies"] = ToArray(policies);
  out["token_ttl"] = ttl.count();
  out["token_max_ttl"] = max_ttl.count();
  out["token_period"] = period.count();
  out["token_explicit_max_ttl"] = explicit_max_ttl.count();
  out["token_num_uses"] = num_uses;
  out["token_no_default_policy"] = no_default_policy;
  out["token_bound_cidrs"] = ToArray(bound_cidrs);
  out["token_type"] = token_type;
}

json::object TokenParams::ToJson() const {
  json::object out;
  AddTo(out);
  out.erase("policies");
  return out;
}

TokenParams TokenParams::FromJson(const json::object& in) {
  TokenParams t;
  t.policies = FromArray(in.if_contains("token_policies"));
  t.ttl = Seconds(IntOr0(in, "token_ttl"));
  t.max_ttl = Seconds(IntOr0(in, "token_max_ttl"));
  t.period = Seconds(IntOr0(in, "token_period"));
  t.explicit_max_ttl = Seconds(IntOr0(in, "token_explicit_max_ttl"));
  t.num_uses = IntOr0(in, "token_num_uses");
  const json::value* ndp = in.if_contains("token_no_default_policy");
  t.no_default_policy = ndp != nullptr && ndp->is_bool() && ndp->get_bool();
  t.bound_cidrs = FromArray(in.if_contains("token_bound_cidrs"));
  const json::value* type = in.if_contains("token_type");
  if (type != nullptr && type->is_string()) {
    t.token_type = std::string(type->get_string());
  }
  return t;
}

void TokenParams::PopulateAuth(Auth& auth) const {
  auth.token_policies = policies;
  auth.policies = policies;
  auth.ttl = ttl;
  // An explicit max TTL is a hard cap, so the tighter of the two limits the token.
  auth.max_ttl = max_ttl;
  if (explicit_max_ttl.count() > 0 && (auth.max_ttl.count() == 0 || explicit_max_ttl < max_ttl)) {
    auth.max_ttl = explicit_max_ttl;
  }
  auth.period = period;
  auth.num_uses = num_uses;
  auth.no_default_policy = no_default_policy;
  auth.bound_cidrs = bound_cidrs;
  auth.renewable = true;
}

}  // namespace cellar::framework
