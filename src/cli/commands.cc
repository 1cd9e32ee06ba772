// src/cli/commands.cc: the client commands, each one or two HTTP calls plus Vault-style output.
#include "cli/commands.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "cli/command_util.h"
#include "cli/output.h"

namespace cellar::cli {

namespace json = boost::json;

namespace {

std::string Trimmed(std::string s) {
  while (!s.empty() && s.front() == '/') {
    s.erase(0, 1);
  }
  return s;
}

}  // namespace

std::optional<Reply> Call(const Client& c, std::string_view method, const std::string& path,
                          const json::object* body, bool ok_404, std::string_view content_type) {
  std::string text = body != nullptr ? json::serialize(*body) : "";
  auto result = c.Do(method, path, text, content_type);
  if (!result.ok()) {
    std::cerr << "Error: " << result.status().message() << "\n";
    return std::nullopt;
  }
  Reply reply;
  reply.status = result->status;
  if (!result->body.empty()) {
    boost::system::error_code ec;
    reply.body = json::parse(result->body, ec);
    if (ec) {
      reply.body = nullptr;
    }
  }
  if (reply.status >= 400 && !(ok_404 && reply.status == 404)) {
    std::cerr << "Error making API request.\n\nURL: " << method << " " << c.config().address
              << "/v1/" << path << "\nCode: " << reply.status << ". Errors:\n\n";
    if (reply.body.is_object() && reply.body.as_object().contains("errors") &&
        reply.body.at("errors").is_array()) {
      for (const auto& e : reply.body.at("errors").as_array()) {
        std::cerr << "* " << FormatValue(e) << "\n";
      }
    } else if (!result->body.empty()) {
      std::cerr << "* " << result->body << "\n";
    }
    return std::nullopt;
  }
  return reply;
}

std::optional<json::object> ParseKeyValues(const Args& args, size_t start) {
  json::object data;
  for (size_t i = start; i < args.size(); ++i) {
    const std::string& arg = args[i];
    size_t eq = arg.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "Error: expected key=value, got \"" << arg << "\"\n";
      return std::nullopt;
    }
    std::string key = arg.substr(0, eq);
    std::string value = arg.substr(eq + 1);
    if (!value.empty() && value[0] == '@') {
      std::ifstream in(value.substr(1), std::ios::binary);
      if (!in) {
        std::cerr << "Error: cannot read " << value.substr(1) << "\n";
        return std::nullopt;
      }
      std::ostringstream text;
      text << in.rdbuf();
      value = text.str();
    } else if (value == "-") {
      std::ostringstream text;
      text << std::cin.rdbuf();
      value = text.str();
    }
    data[key] = value;
  }
  return data;
}

std::optional<std::string> ReadFileOrStdin(const std::string& file) {
  std::ostringstream text;
  if (file == "-") {
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  text << in.rdbuf();
  return text.str();
}

const json::value* Find(const json::value& v, std::string_view key) {
  if (!v.is_object()) {
    return nullptr;
  }
  auto it = v.as_object().find(key);
  return it == v.as_object().end() ? nullptr : &it->value();
}

namespace {

// Prints one field (from data, then auth, then the top level) or returns kLocalError.
int PrintField(const json::value& body, const std::string& field) {
  for (const char* section : {"data", "auth"}) {
    if (const json::value* s = Find(body, section); s != nullptr && s->is_object()) {
      if (const json::value* v = Find(*s, field)) {
        std::cout << FormatValue(*v) << "\n";
        return 0;
      }
    }
  }
  if (const json::value* v = Find(body, field)) {
    std::cout << FormatValue(*v) << "\n";
    return 0;
  }
  std::cerr << "Field \"" << field << "\" not present in secret\n";
  return kLocalError;
}

Rows AuthRows(const json::object& auth) {
  Rows rows;
  auto get = [&](std::string_view k) {
    auto it = auth.find(k);
    return it == auth.end() ? std::string() : FormatValue(it->value());
  };
  rows.emplace_back("token", get("client_token"));
  rows.emplace_back("token_accessor", get("accessor"));
  auto duration = auth.find("lease_duration");
  rows.emplace_back("token_duration",
                    HumanDuration(duration == auth.end() ? json::value(0) : duration->value()));
  rows.emplace_back("token_renewable", get("renewable"));
  rows.emplace_back("token_policies", get("token_policies"));
  rows.emplace_back("identity_policies", "[]");
  rows.emplace_back("policies", get("policies"));
  if (auto it = auth.find("metadata"); it != auth.end() && it->value().is_object()) {
    for (const auto& [k, v] : it->value().as_object()) {
      rows.emplace_back("token_meta_" + std::string(k), FormatValue(v));
    }
  }
  return rows;
}

}  // namespace

int PrintSecret(const json::value& body, const OutputFlags& o) {
  if (!o.field.empty()) {
    return PrintField(body, o.field);
  }
  if (o.format == "json") {
    PrintJson(body, std::cout);
    return 0;
  }
  Rows rows;
  if (const json::value* lease = Find(body, "lease_id");
      lease != nullptr && lease->is_string() && !lease->as_string().empty()) {
    rows.emplace_back("lease_id", FormatValue(*lease));
    rows.emplace_back("lease_duration", HumanDuration(*Find(body, "lease_duration")));
    rows.emplace_back("lease_renewable", FormatValue(*Find(body, "renewable")));
  }
  if (const json::value* auth = Find(body, "auth"); auth != nullptr && auth->is_object()) {
    Rows a = AuthRows(auth->as_object());
    rows.insert(rows.end(), a.begin(), a.end());
  }
  if (const json::value* data = Find(body, "data"); data != nullptr && data->is_object()) {
    Rows d = RowsOf(data->as_object());
    rows.insert(rows.end(), d.begin(), d.end());
  }
  if (const json::value* w = Find(body, "warnings"); w != nullptr && w->is_array()) {
    for (const auto& warning : w->as_array()) {
      std::cerr << "WARNING! " << FormatValue(warning) << "\n";
    }
  }
  PrintTable(rows, std::cout);
  return 0;
}

int PrintKeys(const json::value& body, const OutputFlags& o) {
  const json::value* data = Find(body, "data");
  const json::value* keys = data != nullptr ? Find(*data, "keys") : nullptr;
  if (keys == nullptr || !keys->is_array()) {
    std::cerr << "No entries found\n";
    return kRemoteError;
  }
  if (o.format == "json") {
    PrintJson(*keys, std::cout);
    return 0;
  }
  std::cout << "Keys\n----\n";
  for (const auto& k : keys->as_array()) {
    std::cout << FormatValue(k) << "\n";
  }
  return 0;
}

int NeedArgs(const Args& args, size_t n, const char* usage) {
  if (args.size() < n) {
    std::cerr << "Not enough arguments. Usage: " << usage << "\n";
    return kLocalError;
  }
  return 0;
}

namespace {

// --- KV version detection, as Vault's CLI does it through sys/internal/ui/mounts. ---

struct KvPath {
  std::string mount;     // "secret/"
  std::string relative;  // "app/db"
  int version = 1;
};

std::optional<KvPath> ResolveKv(const Client& c, const KvFlags& k, std::string path) {
  path = Trimmed(path);
  std::string full = k.mount.empty() ? path : Trimmed(k.mount) + "/" + path;
  if (!k.mount.empty() && full.find("//") != std::string::npos) {
    full.erase(full.find("//"), 1);
  }
  auto reply = Call(c, "GET", "sys/internal/ui/mounts/" + full);
  if (!reply) {
    return std::nullopt;
  }
  const json::value* data = Find(reply->body, "data");
  KvPath out;
  if (data != nullptr) {
    if (const json::value* p = Find(*data, "path"); p != nullptr && p->is_string()) {
      out.mount = std::string(p->as_string());
    }
    if (const json::value* opts = Find(*data, "options"); opts != nullptr) {
      if (const json::value* v = Find(*opts, "version"); v != nullptr && FormatValue(*v) == "2") {
        out.version = 2;
      }
    }
    if (const json::value* t = Find(*data, "type");
        t != nullptr && t->is_string() && t->as_string() == "kv-v2") {
      out.version = 2;
    }
  }
  if (out.mount.empty()) {
    // No mount information: treat the first segment as the mount.
    out.mount = full.substr(0, full.find('/') + 1);
  }
  out.relative = full.substr(std::min(out.mount.size(), full.size()));
  return out;
}

std::string V2(const KvPath& p, std::string_view section) {
  return p.mount + std::string(section) + "/" + p.relative;
}

json::array VersionList(const std::string& csv) {
  json::array out;
  std::stringstream in(csv);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) {
      out.emplace_back(std::stoll(item));
    }
  }
  return out;
}

// `vault status`'s HA lines, from sys/leader: the node's mode and the active node, once unsealed.
void AppendHaRows(const Client& c, bool unsealed, Rows& rows) {
  auto leader = c.Do("GET", "sys/leader");
  boost::system::error_code ec;
  json::value body = leader.ok() && leader->status == 200 ? json::parse(leader->body, ec) : nullptr;
  const json::value* enabled = ec ? nullptr : Find(body, "ha_enabled");
  bool ha = enabled != nullptr && enabled->is_bool() && enabled->as_bool();
  rows.emplace_back("HA Enabled", ha ? "true" : "false");
  if (!ha || !unsealed) {
    return;
  }
  const json::value* is_self = Find(body, "is_self");
  const json::value* address = Find(body, "leader_address");
  bool active = is_self != nullptr && is_self->is_bool() && is_self->as_bool();
  rows.emplace_back("HA Mode", active ? "active" : "standby");
  rows.emplace_back("Active Node Address",
                    address != nullptr && address->is_string() && !address->as_string().empty()
                        ? std::string(address->as_string())
                        : "<none>");
}

}  // namespace

int CmdStatus(const Client& c, const OutputFlags& o) {
  auto reply = Call(c, "GET", "sys/seal-status");
  if (!reply) {
    return kRemoteError;
  }
  const json::value& b = reply->body;
  if (o.format == "json") {
    PrintJson(b, std::cout);
  } else {
    auto get = [&](std::string_view k) {
      const json::value* v = Find(b, k);
      return v == nullptr ? std::string("n/a") : FormatValue(*v);
    };
    Rows rows = {{"Seal Type", get("type")},
                 {"Initialized", get("initialized")},
                 {"Sealed", get("sealed")},
                 {"Total Shares", get("n")},
                 {"Threshold", get("t")},
                 {"Unseal Progress", get("progress") + "/" + get("t")},
                 {"Version", get("version")},
                 {"Storage Type", get("storage_type")},
                 {"Cluster Name", get("cluster_name")}};
    AppendHaRows(c, get("sealed") == "false", rows);
    PrintTable(rows, std::cout);
  }
  const json::value* sealed = Find(b, "sealed");
  return sealed != nullptr && sealed->is_bool() && sealed->as_bool() ? kRemoteError : 0;
}

int CmdOperatorInit(const Client& c, const OutputFlags& o, int shares, int threshold) {
  json::object body{{"secret_shares", shares}, {"secret_threshold", threshold}};
  auto reply = Call(c, "PUT", "sys/init", &body);
  if (!reply) {
    return kRemoteError;
  }
  if (o.format == "json") {
    PrintJson(reply->body, std::cout);
    return 0;
  }
  const json::value* keys = Find(reply->body, "keys_base64");
  int i = 1;
  if (keys != nullptr && keys->is_array()) {
    for (const auto& k : keys->as_array()) {
      std::cout << "Unseal Key " << i++ << ": " << FormatValue(k) << "\n";
    }
  }
  const json::value* root = Find(reply->body, "root_token");
  std::cout << "\nInitial Root Token: " << (root ? FormatValue(*root) : "") << "\n";
  return 0;
}

int CmdOperatorUnseal(const Client& c, const OutputFlags& o, const std::string& key, bool reset) {
  json::object body;
  if (reset) {
    body["reset"] = true;
  } else {
    body["key"] = key;
  }
  auto reply = Call(c, "PUT", "sys/unseal", &body);
  if (!reply) {
    return kRemoteError;
  }
  if (o.format == "json") {
    PrintJson(reply->body, std::cout);
    return 0;
  }
  Rows rows;
  for (const char* k : {"type", "initialized", "sealed", "t", "n", "progress", "version"}) {
    if (const json::value* v = Find(reply->body, k)) {
      rows.emplace_back(k, FormatValue(*v));
    }
  }
  PrintTable(rows, std::cout);
  return 0;
}

int CmdOperatorSeal(const Client& c) {
  if (!Call(c, "PUT", "sys/seal")) {
    return kRemoteError;
  }
  std::cout << "Success! Vault is sealed.\n";
  return 0;
}

int CmdOperatorStepDown(const Client& c) {
  if (!Call(c, "PUT", "sys/step-down")) {
    return kRemoteError;
  }
  std::cout << "Success! Stepped down: " << c.config().address << "\n";
  return 0;
}

int CmdLogin(Client c, const OutputFlags& o, const LoginFlags& l, const Args& args) {
  json::value body;
  if (l.method == "token") {
    std::string token;
    if (!args.empty()) {
      token = args[0].rfind("token=", 0) == 0 ? args[0].substr(6) : args[0];
    } else {
      std::getline(std::cin, token);  // "-" or piped, as `vault login -`
    }
    if (token.empty() || token == "-") {
      std::cerr << "Error: no token given\n";
      return kLocalError;
    }
    c.set_token(token);
    auto reply = Call(c, "GET", "auth/token/lookup-self");
    if (!reply) {
      return kRemoteError;
    }
    // Present the looked-up token as an auth block, like Vault's CLI.
    const json::value* data = Find(reply->body, "data");
    json::object auth;
    auth["client_token"] = token;
    if (data != nullptr && data->is_object()) {
      const json::object& d = data->as_object();
      auth["accessor"] = d.contains("accessor") ? d.at("accessor") : json::value("");
      auth["lease_duration"] = d.contains("ttl") ? d.at("ttl") : json::value(0);
      auth["renewable"] = d.contains("renewable") ? d.at("renewable") : json::value(false);
      auth["policies"] = d.contains("policies") ? d.at("policies") : json::value(json::array());
      auth["token_policies"] = auth["policies"];
    }
    body = json::object{{"auth", auth}};
  } else {
    auto data = ParseKeyValues(args, 0);
    if (!data) {
      return kLocalError;
    }
    std::string mount = l.path.empty() ? l.method : Trimmed(l.path);
    while (!mount.empty() && mount.back() == '/') {
      mount.pop_back();
    }
    std::string path;
    if (l.method == "userpass" || l.method == "ldap") {
      auto it = data->find("username");
      if (it == data->end()) {
        std::cerr << "Error: username=... is required\n";
        return kLocalError;
      }
      path = "auth/" + mount + "/login/" + std::string(it->value().as_string());
      data->erase(it);
    } else {
      path = "auth/" + mount + "/login";
    }
    auto reply = Call(c, "PUT", path, &*data);
    if (!reply) {
      return kRemoteError;
    }
    body = reply->body;
  }
  const json::value* auth = Find(body, "auth");
  const json::value* token = auth != nullptr ? Find(*auth, "client_token") : nullptr;
  if (token == nullptr || !token->is_string()) {
    std::cerr << "Error: the server returned no token\n";
    return kRemoteError;
  }
  if (!l.no_store) {
    if (Status s = StoreToken(std::string(token->as_string())); !s.ok()) {
      std::cerr << "Error: " << s.message() << "\n";
      return kLocalError;
    }
  }
  if (!o.field.empty()) {
    return PrintField(body, o.field == "token" ? "client_token" : o.field);
  }
  if (o.format == "json") {
    PrintJson(body, std::cout);
    return 0;
  }
  std::cout << "Success! You are now authenticated. The token information displayed below\n"
               "is already stored in the token helper. You do NOT need to run \"cellar login\"\n"
               "again. Future requests will use this token automatically.\n\n";
  PrintTable(AuthRows(auth->as_object()), std::cout);
  return 0;
}

int CmdRead(const Client& c, const OutputFlags& o, const Args& args) {
  if (int rc = NeedArgs(args, 1, "cellar read PATH [k=v...]")) {
    return rc;
  }
  std::string path = Trimmed(args[0]);
  auto query = ParseKeyValues(args, 1);
  if (!query) {
    return kLocalError;
  }
  std::string target = path;
  char sep = '?';
  for (const auto& [k, v] : *query) {
    target += sep + std::string(k) + "=" + std::string(v.as_string());
    sep = '&';
  }
  auto reply = Call(c, "GET", target, nullptr, /*ok_404=*/true);
  if (!reply) {
    return kRemoteError;
  }
  if (reply->status == 404 || reply->status == 204) {
    std::cerr << "No value found at " << path << "\n";
    return kRemoteError;
  }
  return PrintSecret(reply->body, o);
}

int CmdWrite(const Client& c, const OutputFlags& o, const Args& args) {
  if (int rc = NeedArgs(args, 1, "cellar write PATH [k=v...]")) {
    return rc;
  }
  std::string path = Trimmed(args[0]);
  std::optional<json::object> data;
  if (args.size() == 2 && args[1] == "-") {
    std::ostringstream text;
    text << std::cin.rdbuf();
    boost::system::error_code ec;
    json::value v = json::parse(text.str(), ec);
    if (ec || !v.is_object()) {
      std::cerr << "Error: stdin must hold a JSON object\n";
      return kLocalError;
    }
    data = v.as_object();
  } else {
    data = ParseKeyValues(args, 1);
  }
  if (!data) {
    return kLocalError;
  }
  auto reply = Call(c, "PUT", path, &*data);
  if (!reply) {
    return kRemoteError;
  }
  if (reply->status == 204 || reply->body.is_null()) {
    std::cout << "Success! Data written to: " << path << "\n";
    return 0;
  }
  return PrintSecret(reply->body, o);
}

int CmdList(const Client& c, const OutputFlags& o, const Args& args) {
  if (int rc = NeedArgs(args, 1, "cellar list PATH")) {
    return rc;
  }
  std::string path = Trimmed(args[0]);
  auto reply = Call(c, "LIST", path, nullptr, /*ok_404=*/true);
  if (!reply) {
    return kRemoteError;
  }
  if (reply->status == 404) {
    std::cerr << "No value found at " << path << (path.ends_with("/") ? "" : "/") << "\n";
    return kRemoteError;
  }
  return PrintKeys(reply->body, o);
}

int CmdDelete(const Client& c, const Args& args) {
  if (int rc = NeedArgs(args, 1, "cellar delete PATH")) {
    return rc;
  }
  std::string path = Trimmed(args[0]);
  if (!Call(c, "DELETE", path)) {
    return kRemoteError;
  }
  std::cout << "Success! Data deleted (if it existed) at: " << path << "\n";
  return 0;
}

int CmdKv(const Client& c, const OutputFlags& o, const std::string& sub, const KvFlags& k,
          const Args& args) {
  if (int rc = NeedArgs(args, 1, "cellar kv <subcommand> [flags] PATH [k=v...]")) {
    return rc;
  }
  auto kv = ResolveKv(c, k, args[0]);
  if (!kv) {
    return kRemoteError;
  }
  std::string display = kv->mount + kv->relative;
  if (sub == "get") {
    std::string path = kv->version == 2 ? V2(*kv, "data") : display;
    if (kv->version == 2 && k.version > 0) {
      path += "?version=" + std::to_string(k.version);
    }
    auto reply = Call(c, "GET", path, nullptr, /*ok_404=*/true);
    if (!reply) {
      return kRemoteError;
    }
    const json::value* data = Find(reply->body, "data");
    const json::value* inner = (kv->version == 2 && data) ? Find(*data, "data") : data;
    if (reply->status == 404 && (inner == nullptr || inner->is_null())) {
      if (kv->version == 2 && data != nullptr && data->is_object() && o.format != "json") {
        std::cerr << "No value found at " << path << " (deleted or destroyed)\n";
      } else {
        std::cerr << "No value found at " << path << "\n";
      }
      return kRemoteError;
    }
    if (!o.field.empty()) {
      if (inner != nullptr) {
        if (const json::value* v = Find(*inner, o.field)) {
          std::cout << FormatValue(*v) << "\n";
          return 0;
        }
      }
      std::cerr << "Field \"" << o.field << "\" not present in secret\n";
      return kLocalError;
    }
    if (o.format == "json") {
      PrintJson(reply->body, std::cout);
      return 0;
    }
    if (kv->version == 2) {
      std::cout << "== Secret Path ==\n" << V2(*kv, "data") << "\n\n";
      std::cout << "======= Metadata =======\n";
      const json::value* meta = data ? Find(*data, "metadata") : nullptr;
      PrintTable(meta && meta->is_object() ? RowsOf(meta->as_object()) : Rows{}, std::cout);
      std::cout << "\n====== Data ======\n";
    }
    PrintTable(inner && inner->is_object() ? RowsOf(inner->as_object()) : Rows{}, std::cout);
    return 0;
  }
  if (sub == "put" || sub == "patch") {
    auto data = ParseKeyValues(args, 1);
    if (!data) {
      return kLocalError;
    }
    if (kv->version == 1) {
      if (sub == "patch") {
        std::cerr << "Error: kv patch is only supported on KV v2\n";
        return kLocalError;
      }
      if (!Call(c, "PUT", display, &*data)) {
        return kRemoteError;
      }
      std::cout << "Success! Data written to: " << display << "\n";
      return 0;
    }
    json::object body{{"data", std::move(*data)}};
    if (k.cas >= 0) {
      body["options"] = json::object{{"cas", k.cas}};
    }
    std::optional<Reply> reply;
    if (sub == "put") {
      reply = Call(c, "PUT", V2(*kv, "data"), &body);
    } else {
      reply = Call(c, "PATCH", V2(*kv, "data"), &body, false, "application/merge-patch+json");
    }
    if (!reply) {
      return kRemoteError;
    }
    if (o.format == "json" || !o.field.empty()) {
      return PrintSecret(reply->body, o);
    }
    std::cout << "== Secret Path ==\n" << V2(*kv, "data") << "\n\n======= Metadata =======\n";
    const json::value* meta = Find(reply->body, "data");
    PrintTable(meta && meta->is_object() ? RowsOf(meta->as_object()) : Rows{}, std::cout);
    return 0;
  }
  if (sub == "list") {
    std::string path = kv->version == 2 ? V2(*kv, "metadata") : display;
    auto reply = Call(c, "LIST", path, nullptr, /*ok_404=*/true);
    if (!reply) {
      return kRemoteError;
    }
    if (reply->status == 404) {
      std::cerr << "No value found at " << path << "\n";
      return kRemoteError;
    }
    return PrintKeys(reply->body, o);
  }
  if (sub == "delete" || sub == "undelete" || sub == "destroy") {
    if (kv->version == 1) {
      if (sub != "delete") {
        std::cerr << "Error: kv " << sub << " is only supported on KV v2\n";
        return kLocalError;
      }
      if (!Call(c, "DELETE", display)) {
        return kRemoteError;
      }
    } else if (sub == "delete" && k.versions.empty()) {
      if (!Call(c, "DELETE", V2(*kv, "data"))) {
        return kRemoteError;
      }
    } else {
      if (k.versions.empty()) {
        std::cerr << "Error: -versions is required\n";
        return kLocalError;
      }
      json::object body{{"versions", VersionList(k.versions)}};
      if (!Call(c, "PUT", V2(*kv, sub), &body)) {
        return kRemoteError;
      }
    }
    std::cout << "Success! Data " << (sub == "delete" ? "deleted (if it existed)" : sub + "ed")
              << " at: " << display << "\n";
    return 0;
  }
  std::cerr << "Unknown kv subcommand \"" << sub << "\"\n";
  return kLocalError;
}

int CmdKvMetadata(const Client& c, const OutputFlags& o, const std::string& sub, const KvFlags& k,
                  const Args& args) {
  if (int rc = NeedArgs(args, 1, "cellar kv metadata get|put|delete PATH")) {
    return rc;
  }
  auto kv = ResolveKv(c, k, args[0]);
  if (!kv) {
    return kRemoteError;
  }
  if (kv->version != 2) {
    std::cerr << "Error: metadata is only supported on KV v2\n";
    return kLocalError;
  }
  std::string path = V2(*kv, "metadata");
  if (sub == "get") {
    auto reply = Call(c, "GET", path, nullptr, /*ok_404=*/true);
    if (!reply) {
      return kRemoteError;
    }
    if (reply->status == 404) {
      std::cerr << "No value found at " << path << "\n";
      return kRemoteError;
    }
    return PrintSecret(reply->body, o);
  }
  if (sub == "put") {
    json::object body;
    if (k.max_versions >= 0) {
      body["max_versions"] = k.max_versions;
    }
    if (!k.cas_required.empty()) {
      body["cas_required"] = k.cas_required == "true";
    }
    if (!k.delete_version_after.empty()) {
      body["delete_version_after"] = k.delete_version_after;
    }
    if (!k.custom_metadata.empty()) {
      auto custom = ParseKeyValues(k.custom_metadata, 0);
      if (!custom) {
        return kLocalError;
      }
      body["custom_metadata"] = std::move(*custom);
    }
    if (!Call(c, "PUT", path, &body)) {
      return kRemoteError;
    }
    std::cout << "Success! Data written to: " << path << "\n";
    return 0;
  }
  if (sub == "delete") {
    if (!Call(c, "DELETE", path)) {
      return kRemoteError;
    }
    std::cout << "Success! Data deleted (if it existed) at: " << path << "\n";
    return 0;
  }
  std::cerr << "Unknown kv metadata subcommand \"" << sub << "\"\n";
  return kLocalError;
}

int CmdMountEnable(const Client& c, const std::string& kind, const MountFlags& m,
                   const Args& args) {
  if (int rc = NeedArgs(args, 1, "cellar secrets|auth enable [-path=P] TYPE")) {
    return rc;
  }
  std::string type = args[0];
  std::string path = Trimmed(m.path.empty() ? type : m.path);
  while (path.ends_with("/")) {
    path.pop_back();  // a write to a path ending in '/' is refused
  }
  json::object body{{"type", type}};
  if (!m.description.empty()) {
    body["description"] = m.description;
  }
  if (!m.version.empty()) {
    body["options"] = json::object{{"version", m.version}};
  }
  std::string api = kind == "auth" ? "sys/auth/" : "sys/mounts/";
  if (!Call(c, "POST", api + path, &body)) {
    return kRemoteError;
  }
  std::cout << "Success! Enabled "
            << (kind == "auth" ? type + " auth method" : "the " + type + " secrets engine")
            << " at: " << path << "/\n";
  return 0;
}

int CmdMountDisable(const Client& c, const std::string& kind, const Args& args) {
  if (int rc = NeedArgs(args, 1, "cellar secrets|auth disable PATH")) {
    return rc;
  }
  std::string path = Trimmed(args[0]);
  while (path.ends_with("/")) {
    path.pop_back();
  }
  if (!Call(c, "DELETE", (kind == "auth" ? "sys/auth/" : "sys/mounts/") + path)) {
    return kRemoteError;
  }
  std::cout << "Success! Disabled the " << (kind == "auth" ? "auth method" : "secrets engine")
            << " (if it existed) at: " << path << "/\n";
  return 0;
}

int CmdMountList(const Client& c, const OutputFlags& o, const std::string& kind) {
  auto reply = Call(c, "GET", kind == "auth" ? "sys/auth" : "sys/mounts");
  if (!reply) {
    return kRemoteError;
  }
  const json::value* data = Find(reply->body, "data");
  if (o.format == "json") {
    PrintJson(data != nullptr ? *data : reply->body, std::cout);
    return 0;
  }
  if (data == nullptr || !data->is_object()) {
    return kRemoteError;
  }
  Rows rows;
  size_t width = 4;
  for (const auto& [path, mount] : data->as_object()) {
    width = std::max(width, path.size());
  }
  std::vector<std::string> paths;
  for (const auto& [path, mount] : data->as_object()) {
    paths.emplace_back(path);
  }
  std::sort(paths.begin(), paths.end());
  auto pad = [](std::string s, size_t w) {
    return s + std::string(w - std::min(w, s.size()) + 4, ' ');
  };
  std::cout << pad("Path", width) << pad("Type", 12) << pad("Accessor", 24) << "Description\n";
  std::cout << pad("----", width) << pad("----", 12) << pad("--------", 24) << "-----------\n";
  for (const auto& path : paths) {
    const json::value& m = data->as_object().at(path);
    auto field = [&](std::string_view k) {
      const json::value* v = Find(m, k);
      return v ? FormatValue(*v) : std::string();
    };
    std::cout << pad(path, width) << pad(field("type"), 12) << pad(field("accessor"), 24)
              << field("description") << "\n";
  }
  return 0;
}

int CmdPolicyWrite(const Client& c, const Args& args) {
  if (int rc = NeedArgs(args, 2, "cellar policy write NAME FILE|-")) {
    return rc;
  }
  std::optional<std::string> text = ReadFileOrStdin(args[1]);
  if (!text) {
    std::cerr << "Error: cannot read " << args[1] << "\n";
    return kLocalError;
  }
  json::object body{{"policy", *text}};
  if (!Call(c, "PUT", "sys/policies/acl/" + args[0], &body)) {
    return kRemoteError;
  }
  std::cout << "Success! Uploaded policy: " << args[0] << "\n";
  return 0;
}

int CmdPolicyRead(const Client& c, const OutputFlags& o, const Args& args) {
  if (int rc = NeedArgs(args, 1, "cellar policy read NAME")) {
    return rc;
  }
  auto reply = Call(c, "GET", "sys/policies/acl/" + args[0], nullptr, /*ok_404=*/true);
  if (!reply) {
    return kRemoteError;
  }
  if (reply->status == 404) {
    std::cerr << "No policy named: " << args[0] << "\n";
    return kRemoteError;
  }
  if (o.format == "json") {
    PrintJson(reply->body, std::cout);
    return 0;
  }
  const json::value* data = Find(reply->body, "data");
  const json::value* policy = data ? Find(*data, "policy") : nullptr;
  std::cout << (policy ? FormatValue(*policy) : "") << "\n";
  return 0;
}

int CmdPolicyList(const Client& c, const OutputFlags& o) {
  auto reply = Call(c, "LIST", "sys/policies/acl");
  if (!reply) {
    return kRemoteError;
  }
  const json::value* data = Find(reply->body, "data");
  const json::value* keys = data ? Find(*data, "keys") : nullptr;
  if (o.format == "json") {
    PrintJson(keys ? *keys : json::value(json::array()), std::cout);
    return 0;
  }
  if (keys != nullptr && keys->is_array()) {
    for (const auto& k : keys->as_array()) {
      std::cout << FormatValue(k) << "\n";
    }
  }
  return 0;
}

int CmdPolicyDelete(const Client& c, const Args& args) {
  if (int rc = NeedArgs(args, 1, "cellar policy delete NAME")) {
    return rc;
  }
  if (!Call(c, "DELETE", "sys/policies/acl/" + args[0])) {
    return kRemoteError;
  }
  std::cout << "Success! Deleted policy: " << args[0] << "\n";
  return 0;
}

int CmdTokenCreate(const Client& c, const OutputFlags& o, const TokenFlags& t) {
  json::object body;
  if (!t.policies.empty()) {
    json::array p;
    for (const auto& s : t.policies) {
      p.emplace_back(s);
    }
    body["policies"] = std::move(p);
  }
  if (!t.metadata.empty()) {
    auto meta = ParseKeyValues(t.metadata, 0);
    if (!meta) {
      return kLocalError;
    }
    body["meta"] = std::move(*meta);
  }
  if (!t.ttl.empty()) body["ttl"] = t.ttl;
  if (!t.explicit_max_ttl.empty()) body["explicit_max_ttl"] = t.explicit_max_ttl;
  if (!t.period.empty()) body["period"] = t.period;
  if (!t.display_name.empty()) body["display_name"] = t.display_name;
  if (!t.id.empty()) body["id"] = t.id;
  if (t.use_limit > 0) body["num_uses"] = t.use_limit;
  if (t.no_default_policy) body["no_default_policy"] = true;
  if (!t.renewable.empty()) body["renewable"] = t.renewable == "true";
  std::string path = t.orphan ? "auth/token/create-orphan" : "auth/token/create";
  if (!t.role.empty()) {
    path = "auth/token/create/" + t.role;
  }
  auto reply = Call(c, "POST", path, &body);
  if (!reply) {
    return kRemoteError;
  }
  if (!o.field.empty()) {
    return PrintField(reply->body, o.field == "token"            ? "client_token"
                                   : o.field == "token_accessor" ? "accessor"
                                                                 : o.field);
  }
  if (o.format == "json") {
    PrintJson(reply->body, std::cout);
    return 0;
  }
  const json::value* auth = Find(reply->body, "auth");
  PrintTable(auth && auth->is_object() ? AuthRows(auth->as_object()) : Rows{}, std::cout);
  return 0;
}

int CmdTokenLookup(const Client& c, const OutputFlags& o, const TokenFlags& t, const Args& args) {
  std::optional<Reply> reply;
  if (args.empty()) {
    reply = Call(c, "GET", "auth/token/lookup-self");
  } else if (t.accessor) {
    json::object body{{"accessor", args[0]}};
    reply = Call(c, "POST", "auth/token/lookup-accessor", &body);
  } else {
    json::object body{{"token", args[0]}};
    reply = Call(c, "POST", "auth/token/lookup", &body);
  }
  if (!reply) {
    return kRemoteError;
  }
  return PrintSecret(reply->body, o);
}

int CmdTokenRenew(const Client& c, const OutputFlags& o, const TokenFlags& t, const Args& args) {
  json::object body;
  if (!t.increment.empty()) {
    body["increment"] = t.increment;
  }
  std::optional<Reply> reply;
  if (args.empty()) {
    reply = Call(c, "POST", "auth/token/renew-self", &body);
  } else if (t.accessor) {
    body["accessor"] = args[0];
    reply = Call(c, "POST", "auth/token/renew-accessor", &body);
  } else {
    body["token"] = args[0];
    reply = Call(c, "POST", "auth/token/renew", &body);
  }
  if (!reply) {
    return kRemoteError;
  }
  return PrintSecret(reply->body, o);
}

int CmdTokenRevoke(const Client& c, const TokenFlags& t, const Args& args) {
  std::optional<Reply> reply;
  if (t.self || args.empty()) {
    reply = Call(c, "POST", "auth/token/revoke-self");
  } else if (t.accessor) {
    json::object body{{"accessor", args[0]}};
    reply = Call(c, "POST", "auth/token/revoke-accessor", &body);
  } else {
    json::object body{{"token", args[0]}};
    reply = Call(c, "POST", "auth/token/revoke", &body);
  }
  if (!reply) {
    return kRemoteError;
  }
  std::cout << "Success! Revoked token (if it existed)\n";
  return 0;
}

}  // namespace cellar::cli
