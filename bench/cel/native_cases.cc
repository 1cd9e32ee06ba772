// bench/cel/native_cases.cc: the hand-written floor: each case written directly in C++ over the
// same bindings, held as the parsed JSON a server has (claims from a token, request fields).
//
// Like the expression, each function looks its inputs up in those maps on every call (no field
// is pulled out ahead of time: that would time a struct member read, not the check); work
// that does not depend on the input, such as compiling a regular expression, is done once.
#include "native_cases.h"

#include <re2/re2.h>

#include <algorithm>
#include <boost/json.hpp>
#include <memory>
#include <string_view>
#include <vector>

namespace cellar::cel::bench {
namespace {

namespace json = boost::json;

std::string_view Text(const json::value& v) { return v.as_string(); }

bool ListHas(const json::value& list, std::string_view want) {
  const json::array& a = list.as_array();
  return std::any_of(a.begin(), a.end(), [&](const json::value& e) { return Text(e) == want; });
}

std::map<std::string, std::function<int()>> NativeCasesOrThrow(const json::object& bindings) {
  auto b = std::make_shared<json::object>(bindings);
  auto email_re = std::make_shared<RE2>("^[a-z0-9._%+-]+@example\\.com$");
  auto req = [b]() -> const json::object& { return b->at("request").as_object(); };
  auto claims = [b]() -> const json::object& { return b->at("claims").as_object(); };
  auto auth = [b]() -> const json::object& { return b->at("auth").as_object(); };
  std::map<std::string, std::function<int()>> out;
  out["path_prefix"] = [=] {
    std::string prefix = "secret/data/";
    prefix += Text(auth().at("metadata").as_object().at("team"));
    prefix += '/';
    return static_cast<int>(Text(req().at("path")).starts_with(prefix));
  };
  out["exists_group"] = [=] { return static_cast<int>(ListHas(claims().at("groups"), "admins")); };
  out["regex_email"] = [=] {
    std::string_view email = Text(claims().at("email"));
    return static_cast<int>(RE2::PartialMatch(email, *email_re));
  };
  out["map_filter"] = [=] {
    std::vector<std::string> result;
    for (const json::value& g : claims().at("groups").as_array()) {
      if (Text(g) != "ops") {
        result.push_back("group-" + std::string(Text(g)));
      }
    }
    return static_cast<int>(result.size());
  };
  out["nested_field"] = [=] {
    const json::object& c = claims();
    return static_cast<int>(Text(c.at("roles").as_object().at("team-a")) == "admin" &&
                            c.at("email_verified").as_bool());
  };
  out["operation_in_list"] = [=] {
    std::string_view op = Text(req().at("operation"));
    return static_cast<int>(op == "read" || op == "list");
  };
  out["all_keys_short"] = [=] {
    const json::array& keys = req().at("data_keys").as_array();
    return static_cast<int>(std::all_of(keys.begin(), keys.end(), [](const json::value& k) {
      return Text(k).size() < 32;  // CEL's size() counts code points; these keys are ASCII
    }));
  };
  out["ternary_role"] = [=] { return ListHas(claims().at("groups"), "admins") ? 1 : 2; };
  out["issuer_and_audience"] = [=] {
    const json::object& c = claims();
    return static_cast<int>(Text(c.at("iss")) == "https://idp.example.com" &&
                            ListHas(c.at("aud"), "cellar"));
  };
  out["has_fields"] = [=] {
    const json::object& c = claims();
    return static_cast<int>(c.contains("email") && !c.contains("phone"));
  };
  out["policies_and_name"] = [=] {
    const json::object& a = auth();
    return static_cast<int>(!a.at("policies").as_array().empty() &&
                            Text(a.at("display_name")).starts_with("jwt-"));
  };
  return out;
}

}  // namespace

std::map<std::string, std::function<int()>> NativeCases(const json::object& bindings) {
  // Only the shipped cases file has the shape these functions expect.
  try {
    return NativeCasesOrThrow(bindings);
  } catch (const std::exception&) {
    return {};
  }
}

}  // namespace cellar::cel::bench
