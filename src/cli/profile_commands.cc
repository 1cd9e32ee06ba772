// src/cli/profile_commands.cc: the profile commands over sys/profiles/*; a rejected profile's
// errors are shown under the line of FILE they point at, with a caret.
#include "cli/profile_commands.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>
#include <regex>

#include "cli/command_util.h"
#include "cli/output.h"
#include "crypto/jws_signer.h"

namespace cellar::cli {
namespace {

namespace json = boost::json;

// key=value arguments, where key:=JSON gives a typed value.
std::optional<json::object> InputArgs(const Args& args) {
  std::optional<json::object> raw = ParseKeyValues(args, 1);
  if (!raw) {
    return std::nullopt;
  }
  json::object input;
  for (auto& [key, value] : *raw) {
    if (!key.ends_with(":")) {
      input[key] = std::move(value);
      continue;
    }
    boost::system::error_code ec;
    json::value parsed = json::parse(value.as_string(), ec);
    std::string name(key.substr(0, key.size() - 1));
    if (ec) {
      std::cerr << "Error: " << name << ":= needs a JSON value, got " << value.as_string() << "\n";
      return std::nullopt;
    }
    input[name] = std::move(parsed);
  }
  return input;
}

// The body of a signed request to `path`: a fresh nonce from the server, then a JWS over `input`
// (ACME-like header: alg, nonce, url, and kid or jwk). Sets `rc` when it returns nullopt.
std::optional<json::object> SignedBody(const Client& anonymous, const ProfileSignFlags& sign,
                                       const std::string& path, const json::object& input,
                                       int& rc) {
  rc = kLocalError;
  std::optional<std::string> pem = ReadFileOrStdin(sign.key_file);
  if (!pem) {
    std::cerr << "Error: cannot read " << sign.key_file << "\n";
    return std::nullopt;
  }
  StatusOr<crypto::JwsSigner> signer = crypto::JwsSigner::FromPem(*pem);
  if (!signer.ok()) {
    std::cerr << "Error: " << sign.key_file << ": " << signer.status().message() << "\n";
    return std::nullopt;
  }
  rc = kRemoteError;
  std::optional<Reply> reply = Call(anonymous, "GET", "sys/profiles/nonce");
  const json::value* data = reply ? Find(reply->body, "data") : nullptr;
  const json::value* nonce = data != nullptr ? Find(*data, "nonce") : nullptr;
  if (nonce == nullptr) {
    if (reply) {
      std::cerr << "Error: sys/profiles/nonce returned no nonce\n";
    }
    return std::nullopt;
  }
  json::object header{{"alg", signer->alg()},
                      {"nonce", *nonce},
                      {"url", anonymous.config().address + "/v1/" + path}};
  if (!sign.kid.empty()) {
    header["kid"] = sign.kid;
  } else {
    header["jwk"] = json::parse(signer->public_key().canonical_jwk());
  }
  StatusOr<crypto::FlattenedJws> jws =
      signer->Sign(json::serialize(header), json::serialize(input));
  if (!jws.ok()) {
    std::cerr << "Error: " << jws.status().message() << "\n";
    return std::nullopt;
  }
  return json::object{{"protected", jws->protected_b64},
                      {"payload", jws->payload_b64},
                      {"signature", jws->signature_b64}};
}

// Prints the server's errors for FILE; positioned ones with the source line and a caret.
void PrintWriteErrors(const json::value& body, const std::string& file, const std::string& text) {
  const json::value* errors = Find(body, "errors");
  if (errors == nullptr || !errors->is_array()) {
    std::cerr << "Error: the server refused the profile\n";
    return;
  }
  for (const json::value& e : errors->as_array()) {
    std::string message = e.is_string() ? std::string(e.as_string()) : json::serialize(e);
    hcl::Diagnostics diags = ProfileErrorsIn(message, file == "-" ? "<stdin>" : file);
    if (diags.empty()) {
      std::cerr << "Error: " << message << "\n";
      continue;
    }
    std::cerr << "Error: " << message.substr(0, message.find(": ") + 1) << "\n\n"
              << hcl::FormatDiagnostics(diags, text);
  }
}

int PrintPlan(const json::value& body) {
  const json::value* data = Find(body, "data");
  const json::value* requests = data != nullptr ? Find(*data, "requests") : nullptr;
  if (requests == nullptr || !requests->is_array()) {
    return 0;
  }
  Rows rows;
  for (const json::value& r : requests->as_array()) {
    auto get = [&](std::string_view k) {
      const json::value* v = Find(r, k);
      return v != nullptr && !v->is_null() ? FormatValue(*v) : std::string("-");
    };
    rows.emplace_back(get("name"),
                      get("operation") + " " + get("path") + "  allowed=" + get("allowed"));
  }
  PrintTable(rows, std::cout, "Request", "Operation, path, allowed");
  return 0;
}

int PrintDebug(const json::value& body) {
  const json::value* data = Find(body, "data");
  if (data == nullptr) {
    return 0;
  }
  Rows rows;
  if (const json::value* steps = Find(*data, "steps"); steps != nullptr && steps->is_array()) {
    for (const json::value& s : steps->as_array()) {
      auto get = [&](std::string_view k) {
        const json::value* v = Find(s, k);
        return v != nullptr && !v->is_null() ? FormatValue(*v) : std::string();
      };
      std::string line = get("status") + " " + get("operation") + " " + get("path") + " (" +
                         get("duration_ms") + " ms)";
      if (!get("error").empty()) {
        line += ": " + get("error");
      }
      rows.emplace_back(get("name"), line);
    }
  }
  PrintTable(rows, std::cout, "Step", "Status, operation, path");
  const json::value* error = Find(*data, "error");
  if (error != nullptr && !error->is_null()) {
    std::cout << "\nError: " << FormatValue(*error) << "\n";
    return kRemoteError;
  }
  if (const json::value* output = Find(*data, "output")) {
    std::cout << "\nOutput:\n";
    PrintJson(*output, std::cout);
  }
  return 0;
}

}  // namespace

hcl::Diagnostics ProfileErrorsIn(std::string_view message, std::string_view file) {
  static const std::regex kPosition(R"((?:^|: |; )(\d+):(\d+): )");
  std::string text(message);
  std::vector<std::smatch> hits;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kPosition);
       it != std::sregex_iterator(); ++it) {
    hits.push_back(*it);
  }
  hcl::Diagnostics diags;
  std::string_view interned = hcl::InternFileName(file);
  for (size_t i = 0; i < hits.size(); ++i) {
    size_t start = hits[i].position(0) + hits[i].length(0);
    size_t end = i + 1 < hits.size() ? hits[i + 1].position(0) : text.size();
    hcl::Diagnostic d;
    d.range.file = interned;
    d.range.start.line = std::stoi(hits[i][1].str());
    d.range.start.column = std::stoi(hits[i][2].str());
    d.message = text.substr(start, end - start);
    diags.push_back(std::move(d));
  }
  return diags;
}

int CmdProfileWrite(const Client& c, const Args& args) {
  if (int rc = NeedArgs(args, 2, "cellar profile write NAME FILE|-")) {
    return rc;
  }
  std::optional<std::string> text = ReadFileOrStdin(args[1]);
  if (!text) {
    std::cerr << "Error: cannot read " << args[1] << "\n";
    return kLocalError;
  }
  json::object body{{"profile", *text}};
  auto result = c.Do("PUT", "sys/profiles/modify/" + args[0], json::serialize(body));
  if (!result.ok()) {
    std::cerr << "Error: " << result.status().message() << "\n";
    return kRemoteError;
  }
  if (result->status >= 400) {
    boost::system::error_code ec;
    json::value reply = json::parse(result->body, ec);
    PrintWriteErrors(ec ? json::value() : reply, args[1], *text);
    return kRemoteError;
  }
  std::cout << "Success! Uploaded profile: " << args[0] << "\n";
  return 0;
}

int CmdProfileRead(const Client& c, const OutputFlags& o, const Args& args) {
  if (int rc = NeedArgs(args, 1, "cellar profile read NAME")) {
    return rc;
  }
  auto reply = Call(c, "GET", "sys/profiles/modify/" + args[0], nullptr, /*ok_404=*/true);
  if (!reply) {
    return kRemoteError;
  }
  if (reply->status == 404) {
    std::cerr << "No profile named: " << args[0] << "\n";
    return kRemoteError;
  }
  if (o.format == "json" || !o.field.empty()) {
    return PrintSecret(reply->body, o);
  }
  const json::value* data = Find(reply->body, "data");
  const json::value* text = data != nullptr ? Find(*data, "profile") : nullptr;
  std::cout << (text != nullptr ? FormatValue(*text) : "");
  if (text != nullptr && text->is_string() && !text->as_string().ends_with("\n")) {
    std::cout << "\n";
  }
  return 0;
}

int CmdProfileList(const Client& c, const OutputFlags& o) {
  auto reply = Call(c, "LIST", "sys/profiles/modify", nullptr, /*ok_404=*/true);
  if (!reply) {
    return kRemoteError;
  }
  return PrintKeys(reply->body, o);
}

int CmdProfileDelete(const Client& c, const Args& args) {
  if (int rc = NeedArgs(args, 1, "cellar profile delete NAME")) {
    return rc;
  }
  if (!Call(c, "DELETE", "sys/profiles/modify/" + args[0])) {
    return kRemoteError;
  }
  std::cout << "Success! Deleted profile: " << args[0] << "\n";
  return 0;
}

int CmdProfileRun(const Client& c, const OutputFlags& o, const ProfileSignFlags& sign,
                  const std::string& action, const Args& args) {
  std::string usage = "cellar profile " + action + " NAME [key=value | key:=JSON ...]";
  if (int rc = NeedArgs(args, 1, usage.c_str())) {
    return rc;
  }
  std::optional<json::object> input = InputArgs(args);
  if (!input) {
    return kLocalError;
  }
  std::string path = "sys/profiles/" + action + "/" + args[0];
  Client client = c;
  if (!sign.key_file.empty()) {
    client.set_token("");  // the signature is the authority: no token goes out
    int rc = 0;
    input = SignedBody(client, sign, path, *input, rc);
    if (!input) {
      return rc;
    }
  }
  auto reply = Call(client, "POST", path, &*input);
  if (!reply) {
    return kRemoteError;
  }
  if (o.format == "json" || !o.field.empty() || action == "execute") {
    return PrintSecret(reply->body, o);
  }
  return action == "plan" ? PrintPlan(reply->body) : PrintDebug(reply->body);
}

}  // namespace cellar::cli
