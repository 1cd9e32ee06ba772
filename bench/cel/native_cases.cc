// bench/cel/native_cases.cc: the hand-written floor: the same checks over plain C++ types.
#include "native_cases.h"

#include <algorithm>
#include <memory>
#include <unordered_map>
#include <vector>

#include <boost/json.hpp>

namespace cellar::cel::bench {
namespace {

namespace json = boost::json;

struct Native {
  std::string path;
  std::string operation;
  std::string ns;
  std::string team;
  std::string iss;
  std::string email;
  std::string display_name;
  bool email_verified = false;
  std::vector<std::string> groups;
  std::vector<std::string> aud;
  std::vector<std::string> policies;
  std::unordered_map<std::string, std::string> roles;
  std::unordered_map<std::string, json::value> claims;
};

std::vector<std::string> Strings(const json::value& v) {
  std::vector<std::string> out;
  for (const auto& e : v.as_array()) {
    out.emplace_back(e.as_string());
  }
  return out;
}

}  // namespace

static std::map<std::string, std::function<int()>> NativeCasesOrThrow(const json::object& b);

std::map<std::string, std::function<int()>> NativeCases(const json::object& b) {
  // Only the shipped cases file has the shape these functions expect.
  try {
    return NativeCasesOrThrow(b);
  } catch (const std::exception&) {
    return {};
  }
}

static std::map<std::string, std::function<int()>> NativeCasesOrThrow(const json::object& b) {
  auto n = std::make_shared<Native>();
  const json::object& req = b.at("request").as_object();
  const json::object& claims = b.at("claims").as_object();
  const json::object& auth = b.at("auth").as_object();
  n->path = req.at("path").as_string();
  n->operation = req.at("operation").as_string();
  n->ns = req.at("namespace").as_string();
  n->team = auth.at("metadata").as_object().at("team").as_string();
  n->iss = claims.at("iss").as_string();
  n->email = claims.at("email").as_string();
  n->display_name = auth.at("display_name").as_string();
  n->email_verified = claims.at("email_verified").as_bool();
  n->groups = Strings(claims.at("groups"));
  n->aud = Strings(claims.at("aud"));
  n->policies = Strings(auth.at("policies"));
  for (const auto& [k, v] : claims.at("roles").as_object()) {
    n->roles[std::string(k)] = std::string(v.as_string());
  }
  for (const auto& [k, v] : claims) {
    n->claims[std::string(k)] = v;
  }
  std::map<std::string, std::function<int()>> out;
  out["path_prefix"] = [n] {
    std::string prefix = "secret/data/" + n->team + "/";
    return static_cast<int>(n->path.rfind(prefix, 0) == 0);
  };
  out["exists_group"] = [n] {
    return static_cast<int>(std::find(n->groups.begin(), n->groups.end(), "admins") !=
                            n->groups.end());
  };
  out["operation_in_list"] = [n] {
    return static_cast<int>(n->operation == "read" || n->operation == "list");
  };
  out["nested_field"] = [n] {
    auto it = n->roles.find("team-a");
    return static_cast<int>(it != n->roles.end() && it->second == "admin" && n->email_verified);
  };
  out["ternary_role"] = [n] {
    bool admin = std::find(n->groups.begin(), n->groups.end(), "admins") != n->groups.end();
    return admin ? 1 : 2;
  };
  out["issuer_and_audience"] = [n] {
    return static_cast<int>(n->iss == "https://idp.example.com" &&
                            std::find(n->aud.begin(), n->aud.end(), "cellar") != n->aud.end());
  };
  out["has_fields"] = [n] {
    return static_cast<int>(n->claims.count("email") != 0 && n->claims.count("phone") == 0);
  };
  out["policies_and_name"] = [n] {
    return static_cast<int>(!n->policies.empty() && n->display_name.rfind("jwt-", 0) == 0);
  };
  return out;
}

}  // namespace cellar::cel::bench
