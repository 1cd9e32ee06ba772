// src/profiles/profile.cc: decodes a profile's HCL/JSON, validates it and compiles its expressions.
#include "profiles/profile.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "base/duration.h"
#include "core/namespace_routing.h"
#include "hcl/parser.h"
#include "hcl/schema.h"
#include "profiles/lower.h"

namespace cellar::profiles {
namespace {

using framework::Operation;
using hcl::Type;

hcl::BodySchema ProfileSchema() {
  hcl::BodySchema input{.attributes = {{"authenticated", Type::kBool},
                                       {"signed", Type::kBool},
                                       {"data", Type::kMap}}};
  hcl::BodySchema auth{
      .attributes = {{"path", Type::kExpression, true}, {"data", Type::kExpression}}};
  hcl::BodySchema request{.attributes = {{"path", Type::kExpression, true},
                                         {"operation", Type::kString},
                                         {"on_error", Type::kString},
                                         {"err", Type::kExpression},
                                         {"data", Type::kExpression},
                                         {"for_each", Type::kExpression},
                                         {"depends_on", Type::kExpression}}};
  hcl::BodySchema output{.attributes = {{"data", Type::kExpression, true}}};
  return hcl::BodySchema{.attributes = {{"transaction", Type::kBool},
                                        {"max_requests", Type::kNumber},
                                        {"timeout", Type::kStringOrNumber}},
                         .blocks = {{.type = "input", .body = input, .unique = true},
                                    {.type = "auth", .body = auth, .unique = true},
                                    {.type = "request", .labels = {"name"}, .body = request},
                                    {.type = "output", .body = output, .unique = true}}};
}

// "500ms" keeps its milliseconds (ParseDuration rounds to seconds); anything else goes through
// ParseDuration. Not positive or malformed: nullopt.
std::optional<std::chrono::milliseconds> ParseTimeout(std::string_view text) {
  if (text.ends_with("ms")) {
    std::string digits(text.substr(0, text.size() - 2));
    if (digits.empty() || digits.size() > 9 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::nullopt;
    }
    std::chrono::milliseconds ms(std::stoll(digits));
    return ms.count() > 0 ? std::optional(ms) : std::nullopt;
  }
  StatusOr<Seconds> d = ParseDuration(text);
  if (!d.ok() || d->count() <= 0) {
    return std::nullopt;
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(*d);
}

std::optional<Operation> ParseOperation(std::string_view s) {
  static const std::map<std::string_view, Operation> kOps = {
      {"read", Operation::kRead},     {"list", Operation::kList},    {"create", Operation::kCreate},
      {"update", Operation::kUpdate}, {"write", Operation::kUpdate}, {"patch", Operation::kPatch},
      {"delete", Operation::kDelete}};
  auto it = kOps.find(s);
  return it == kOps.end() ? std::nullopt : std::optional<Operation>(it->second);
}

// The literal text of an expression with no interpolation ("a/b" or a one-part template).
std::optional<std::string> LiteralString(const hcl::Expr& e) {
  if (e.kind == hcl::ExprKind::kString) {
    return std::string(e.text);
  }
  if (e.kind == hcl::ExprKind::kTemplate) {
    std::string out;
    for (const hcl::Expr* part : e.children) {
      if (part->kind != hcl::ExprKind::kString) {
        return std::nullopt;
      }
      out += part->text;
    }
    return out;
  }
  return std::nullopt;
}

// Where an expression may appear decides which references it may use.
enum class Place { kAuth, kRequest, kForEach, kEachRequest, kOutput };

class Builder {
 public:
  Builder(Profile& profile, hcl::Diagnostics& diags, bool in_namespace)
      : p_(profile), diags_(diags), in_namespace_(in_namespace) {}

  void Error(const hcl::Range& r, std::string message) {
    diags_.push_back({hcl::Severity::kError, r, std::move(message)});
  }

  void DecodeInput(const hcl::DecodedBlock& block) {
    if (const hcl::Value* v = block.body.Get("authenticated")) {
      p_.authenticated = v->as_bool();
    }
    if (const hcl::Value* v = block.body.Get("signed")) {
      p_.signed_input = v->as_bool();
    }
    if (const hcl::Value* data = block.body.Get("data")) {
      for (const auto& [name, type] : data->as_map()) {
        static const std::map<std::string_view, InputType> kTypes = {
            {"string", InputType::kString}, {"number", InputType::kNumber},
            {"bool", InputType::kBool},     {"list", InputType::kList},
            {"map", InputType::kMap},       {"any", InputType::kAny}};
        std::string_view text = type.as_string();
        InputField field{.name = name};
        if (text.ends_with("?")) {
          field.optional = true;
          text.remove_suffix(1);
        }
        auto it = kTypes.find(text);
        if (!type.is_string() || it == kTypes.end()) {
          Error(type.range(), "input \"" + name +
                                  "\": type must be string, number, bool, list, map or any, "
                                  "optionally followed by ?");
          continue;
        }
        field.type = it->second;
        p_.inputs.push_back(std::move(field));
      }
    }
  }

  // Lowers and compiles; records the references for the later checks.
  std::optional<ProfileExpr> Compile(const hcl::Expr& e, Place place, std::string_view owner) {
    std::optional<LoweredExpr> lowered = Lower(e, diags_);
    if (!lowered) {
      return std::nullopt;
    }
    for (const Reference& ref : lowered->refs) {
      CheckReference(ref, place, owner);
    }
    auto program = cel::Compile(lowered->cel, ProfileEnv());
    if (!program.ok()) {
      Error(e.range, "expression does not compile: " + program.status().message());
      return std::nullopt;
    }
    return ProfileExpr{std::move(lowered->cel), *std::move(program), e.range};
  }

  void CheckReference(const Reference& ref, Place place, std::string_view owner) {
    switch (ref.kind) {
      case Reference::Kind::kInput:
        if (!ref.name.empty() &&
            std::none_of(p_.inputs.begin(), p_.inputs.end(),
                         [&](const InputField& f) { return f.name == ref.name; })) {
          Error(ref.range, "input.data." + ref.name + " is not declared in the input block");
        }
        break;
      case Reference::Kind::kRequest:
        if (place == Place::kAuth) {
          Error(ref.range,
                "the auth block runs before every request and cannot use request." + ref.name);
        } else if (!request_names_.contains(ref.name)) {
          Error(ref.range, "request." + ref.name + " does not exist");
        } else {
          used_[ref.name].Add(ref.fields);
          if (place != Place::kOutput) {
            pending_deps_[std::string(owner)].insert(ref.name);
          }
        }
        break;
      case Reference::Kind::kEach:
        if (place != Place::kEachRequest) {
          Error(ref.range, "each." + ref.name + " is only available in a request with for_each");
        }
        break;
    }
  }

  void DecodeAuth(const hcl::DecodedBlock& block) {
    AuthSpec auth;
    const hcl::Expr* path = block.body.GetExpr("path");
    if (path == nullptr) {
      return;
    }
    std::optional<ProfileExpr> compiled = Compile(*path, Place::kAuth, "");
    if (std::optional<std::string> literal = LiteralString(*path)) {
      CheckLiteralPath(*literal, path->range);
    }
    if (const hcl::Expr* data = block.body.GetExpr("data")) {
      auth.data = Compile(*data, Place::kAuth, "");
    }
    if (compiled) {
      auth.path = std::move(*compiled);
      p_.auth = std::move(auth);
    }
  }

  void CheckLiteralPath(const std::string& literal, const hcl::Range& range) {
    std::string path = NormalizeApiPath(literal);
    if (std::optional<std::string> why = PathEscapeReason(path)) {
      Error(range, "path \"" + literal + "\" " + *why);
    } else if (in_namespace_ && core::IsRootNamespaceOnly(path)) {
      Error(range, "path \"" + literal + "\" is only available in the root namespace");
    }
  }

  void DecodeRequest(const hcl::DecodedBlock& block) {
    RequestSpec r;
    r.name = block.labels[0];
    r.range = block.range;
    bool each = block.body.GetExpr("for_each") != nullptr;
    Place place = each ? Place::kEachRequest : Place::kRequest;
    if (const hcl::Value* op = block.body.Get("operation")) {
      std::optional<Operation> parsed = ParseOperation(op->as_string());
      if (!parsed) {
        Error(op->range(), "request \"" + r.name + "\": unknown operation \"" + op->as_string() +
                               "\"; use read, list, create, update, patch or delete");
      } else {
        r.operation = *parsed;
      }
    }
    DecodeOnError(block, r);
    if (const hcl::Expr* path = block.body.GetExpr("path")) {
      if (std::optional<ProfileExpr> compiled = Compile(*path, place, r.name)) {
        r.path = std::move(*compiled);
      }
      if (std::optional<std::string> literal = LiteralString(*path)) {
        CheckLiteralPath(*literal, path->range);
        r.literal_path = NormalizeApiPath(*literal);
      }
    }
    if (const hcl::Expr* data = block.body.GetExpr("data")) {
      r.data = Compile(*data, place, r.name);
    }
    if (const hcl::Expr* for_each = block.body.GetExpr("for_each")) {
      r.for_each = Compile(*for_each, Place::kForEach, r.name);
    }
    if (const hcl::Expr* deps = block.body.GetExpr("depends_on")) {
      DecodeDependsOn(*deps, r);
    }
    p_.requests.push_back(std::move(r));
  }

  // on_error = "fatal" | "ignore", or the proposal's bare-word spelling err = fatal | ignore.
  void DecodeOnError(const hcl::DecodedBlock& block, RequestSpec& r) {
    std::string value;
    hcl::Range range;
    if (const hcl::Value* v = block.body.Get("on_error")) {
      value = v->as_string();
      range = v->range();
    } else if (const hcl::Expr* e = block.body.GetExpr("err")) {
      range = e->range;
      if (e->kind == hcl::ExprKind::kVariable) {
        value = std::string(e->text);
      } else if (std::optional<std::string> literal = LiteralString(*e)) {
        value = *literal;
      }
    } else {
      return;
    }
    if (value == "fatal") {
      r.on_error = OnError::kFatal;
    } else if (value == "ignore") {
      r.on_error = OnError::kIgnore;
    } else {
      Error(range, "request \"" + r.name + "\": on_error must be fatal or ignore");
    }
  }

  // depends_on = [request.a, "b"]
  void DecodeDependsOn(const hcl::Expr& e, RequestSpec& r) {
    if (e.kind != hcl::ExprKind::kTuple) {
      Error(e.range, "depends_on must be a list such as [request.a, request.b]");
      return;
    }
    for (const hcl::Expr* item : e.children) {
      std::optional<std::string> name = LiteralString(*item);
      if (!name && item->kind == hcl::ExprKind::kGetAttr &&
          item->children[0]->kind == hcl::ExprKind::kVariable &&
          item->children[0]->text == "request") {
        name = std::string(item->text);
      }
      if (!name) {
        Error(item->range, "depends_on items must be request.<name>");
        continue;
      }
      if (!request_names_.contains(*name)) {
        Error(item->range, "depends_on: request." + *name + " does not exist");
        continue;
      }
      r.depends_on.push_back(*name);
      pending_deps_[r.name].insert(*name);
    }
  }

  void Build(const hcl::DecodedBody& body) {
    for (const hcl::DecodedBlock* b : body.BlocksOfType("request")) {
      if (!request_names_.insert(b->labels[0]).second) {
        Error(b->label_ranges[0], "request \"" + b->labels[0] + "\" is defined twice");
      }
    }
    for (const hcl::DecodedBlock* b : body.BlocksOfType("input")) {
      DecodeInput(*b);
    }
    if (!p_.authenticated && !p_.signed_input && body.BlocksOfType("auth").empty()) {
      Error(body.range, "input { authenticated = false } needs an auth block to log in");
    }
    if (p_.signed_input && !body.BlocksOfType("auth").empty()) {
      // The signing key's role is the authority; a login on top would blur whose rights apply.
      Error(body.BlocksOfType("auth")[0]->range,
            "input { signed = true } runs under the signing key's role: remove the auth block");
    }
    for (const hcl::DecodedBlock* b : body.BlocksOfType("auth")) {
      DecodeAuth(*b);
    }
    std::set<std::string> decoded;
    for (const hcl::DecodedBlock* b : body.BlocksOfType("request")) {
      if (decoded.insert(b->labels[0]).second) {
        DecodeRequest(*b);
      }
    }
    for (const hcl::DecodedBlock* b : body.BlocksOfType("output")) {
      if (const hcl::Expr* data = b->body.GetExpr("data")) {
        p_.output = Compile(*data, Place::kOutput, "");
        p_.output_shape = ShapeOf(*data);
      }
    }
    if (p_.output_shape && ReadsForEach(*p_.output_shape)) {
      p_.output_shape.reset();  // it would always decline
    }
    DecodeSettings(body);
    for (RequestSpec& r : p_.requests) {
      const std::set<std::string>& deps = pending_deps_[r.name];
      r.dependencies.assign(deps.begin(), deps.end());
      if (!r.for_each) {
        r.used = std::move(used_[r.name]);
      }
    }
    p_.stages = ComputeStages(p_.requests, diags_);
  }

  // Whether `shape` reads a for_each request (a map of envelopes, left to CEL).
  bool ReadsForEach(const Shape& shape) const {
    if (shape.kind == Shape::Kind::kRequest) {
      auto it = std::find_if(p_.requests.begin(), p_.requests.end(),
                             [&](const RequestSpec& r) { return r.name == shape.request; });
      return it != p_.requests.end() && it->for_each.has_value();
    }
    return std::any_of(shape.items.begin(), shape.items.end(),
                       [&](const Shape& item) { return ReadsForEach(item); });
  }

  void DecodeSettings(const hcl::DecodedBody& body) {
    if (const hcl::Value* v = body.Get("transaction")) {
      p_.transaction = v->as_bool();
    }
    if (const hcl::Value* v = body.Get("max_requests")) {
      double n = v->as_number();
      if (n < 1 || n > 10000 || std::floor(n) != n) {
        Error(v->range(), "max_requests must be a whole number from 1 to 10000");
      } else {
        p_.max_requests = static_cast<int>(n);
      }
    }
    if (const hcl::Value* v = body.Get("timeout")) {
      std::string text = v->is_number() ? hcl::FormatNumber(v->as_number()) : v->as_string();
      std::optional<std::chrono::milliseconds> d = ParseTimeout(text);
      if (!d) {
        Error(v->range(), "timeout must be a positive duration such as \"30s\" or \"500ms\"");
      } else {
        p_.timeout = *d;
      }
    }
  }

 private:
  using Seconds = std::chrono::seconds;
  Profile& p_;
  hcl::Diagnostics& diags_;
  const bool in_namespace_;
  std::set<std::string> request_names_;
  std::map<std::string, std::set<std::string>> pending_deps_;
  std::map<std::string, FieldTree> used_;  // by request name, from every expression
};

}  // namespace

std::string_view InputTypeName(InputType type) {
  switch (type) {
    case InputType::kString:
      return "string";
    case InputType::kNumber:
      return "number";
    case InputType::kBool:
      return "bool";
    case InputType::kList:
      return "list";
    case InputType::kMap:
      return "map";
    case InputType::kAny:
      return "any";
  }
  return "any";
}

void CostHint::Record(int64_t nanos) const {
  int64_t old = nanos_.load(std::memory_order_relaxed);
  // Racing executions may drop one another's sample: it is a hint.
  int64_t next = (old == 0 || nanos < old) ? nanos : old + (nanos - old) / 16;
  nanos_.store(std::max<int64_t>(next, 1), std::memory_order_relaxed);
}

void FieldTree::Add(std::span<const std::string> chain) {
  FieldTree* at = this;
  for (const std::string& field : chain) {
    if (at->whole) {
      return;  // already converted entirely
    }
    at = &at->fields[field];
  }
  at->whole = true;
  at->fields.clear();
}

const RequestSpec* Profile::FindRequest(std::string_view name) const {
  for (const RequestSpec& r : requests) {
    if (r.name == name) {
      return &r;
    }
  }
  return nullptr;
}

std::string NormalizeApiPath(std::string_view path) {
  while (path.starts_with("/")) {
    path.remove_prefix(1);
  }
  if (path.starts_with("v1/")) {
    path.remove_prefix(3);
  }
  return std::string(path);
}

std::optional<std::string> PathEscapeReason(std::string_view path) {
  if (path.empty()) {
    return "is empty";
  }
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    std::string_view seg = path.substr(start, end - start);
    if (seg == "." || seg == "..") {
      return "leaves the profile's namespace (\"" + std::string(seg) + "\" segment)";
    }
    if (seg.empty() && end != path.size()) {
      return "has an empty segment";
    }
    start = end + 1;
  }
  return std::nullopt;
}

std::vector<std::vector<std::string>> ComputeStages(const std::vector<RequestSpec>& requests,
                                                    hcl::Diagnostics& diags) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < requests.size(); ++i) {
    index.emplace(requests[i].name, i);
  }
  std::vector<bool> placed(requests.size(), false);
  std::vector<std::vector<std::string>> stages;
  size_t remaining = requests.size();
  while (remaining > 0) {
    std::vector<size_t> ready;
    for (size_t i = 0; i < requests.size(); ++i) {
      if (placed[i]) {
        continue;
      }
      bool ok = std::all_of(requests[i].dependencies.begin(), requests[i].dependencies.end(),
                            [&](const std::string& d) {
                              auto it = index.find(d);
                              return it == index.end() || placed[it->second];
                            });
      if (ok) {
        ready.push_back(i);
      }
    }
    if (ready.empty()) {
      break;
    }
    stages.emplace_back();
    for (size_t i : ready) {
      placed[i] = true;
      stages.back().push_back(requests[i].name);
    }
    remaining -= ready.size();
  }
  // What is left sits on or behind a cycle: walk dependencies until a request repeats.
  std::set<size_t> reported;
  for (size_t start = 0; start < requests.size(); ++start) {
    if (placed[start] || reported.contains(start)) {
      continue;
    }
    std::vector<size_t> walk;
    size_t at = start;
    while (std::find(walk.begin(), walk.end(), at) == walk.end()) {
      walk.push_back(at);
      for (const std::string& d : requests[at].dependencies) {
        auto it = index.find(d);
        if (it != index.end() && !placed[it->second]) {
          at = it->second;
          break;
        }
      }
    }
    auto cycle_begin = std::find(walk.begin(), walk.end(), at);
    if (reported.contains(at)) {
      continue;
    }
    std::string text;
    for (auto it = cycle_begin; it != walk.end(); ++it) {
      text += requests[*it].name + " -> ";
      reported.insert(*it);
    }
    text += requests[at].name;
    diags.push_back(
        {hcl::Severity::kError, requests[at].range, "dependency cycle: request " + text});
  }
  return stages;
}

ProfileParseResult ParseProfile(std::string_view text, const ProfileParseOptions& options) {
  ProfileParseResult result;
  hcl::ParseResult parsed = hcl::ParseConfig(text, options.filename);
  result.diagnostics = parsed.diagnostics;
  if (!parsed.ok()) {
    return result;
  }
  auto profile = std::make_shared<Profile>();
  profile->text = std::string(text);
  hcl::DecodedBody body = hcl::Decode(parsed.body(), ProfileSchema(), result.diagnostics);
  Builder builder(*profile, result.diagnostics, options.in_namespace);
  builder.Build(body);
  if (profile->requests.empty() && !hcl::HasErrors(result.diagnostics)) {
    builder.Error(parsed.body().range, "a profile needs at least one request block");
  }
  if (!profile->output && !hcl::HasErrors(result.diagnostics)) {
    builder.Error(parsed.body().range, "a profile needs an output block");
  }
  if (hcl::HasErrors(result.diagnostics)) {
    return result;
  }
  // The File owns the AST; the profile keeps only compiled programs and ranges (interned names).
  result.profile = std::move(profile);
  return result;
}

}  // namespace cellar::profiles
