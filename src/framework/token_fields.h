// src/framework/token_fields.h: the token_* fields shared by every auth method's users and roles
// (OpenBao's tokenutil), parsed once and turned into a login's Auth.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "base/status.h"
#include "framework/field_data.h"
#include "framework/logical.h"

namespace cellar::framework {

// token_policies (alias `policies`), token_ttl, token_max_ttl, token_period, token_num_uses,
// token_explicit_max_ttl, token_no_default_policy, token_bound_cidrs, token_type.
std::vector<FieldSchema> TokenFields();

struct TokenParams {
  std::vector<std::string> policies;
  Seconds ttl{0};
  Seconds max_ttl{0};
  Seconds period{0};
  Seconds explicit_max_ttl{0};
  int64_t num_uses = 0;
  bool no_default_policy = false;
  std::vector<std::string> bound_cidrs;
  std::string token_type = "default";

  // Applies the fields the request set (an update keeps the rest). `policies` is read when
  // `token_policies` is absent. Errors: InvalidArgument when token_ttl exceeds token_max_ttl, a
  // value is negative or a bound CIDR does not parse.
  Status ParseFrom(const FieldData& data);

  // Read view: the token_* keys plus legacy `policies`, as Vault returns them.
  void AddTo(boost::json::object& out) const;

  // Storage form and back (unknown or missing keys keep defaults).
  boost::json::object ToJson() const;
  static TokenParams FromJson(const boost::json::object& in);

  // Fills a login's Auth: policies (as token_policies), ttl, max_ttl, period, num_uses, ...
  void PopulateAuth(Auth& auth) const;
};

}  // namespace cellar::framework
