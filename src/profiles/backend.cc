// src/profiles/backend.cc: the profile endpoints: storage of profile text, execute, plan, debug.
#include "profiles/backend.h"

#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "base/status_macros.h"
#include "core/core.h"
#include "profiles/signed_input.h"
#include "storage/storage.h"

namespace cellar::profiles {
namespace {

namespace json = boost::json;
using framework::FieldData;
using framework::FieldSchema;
using framework::FieldType;
using framework::Operation;
using framework::Path;
using framework::Request;
using framework::Response;

constexpr char kNamePattern[] = R"((?P<name>\w[\w.-]*))";

std::string Key(const std::string& name) { return "profile/" + name; }

json::object Summary(const Profile& p) {
  json::object inputs;
  for (const InputField& f : p.inputs) {
    inputs[f.name] = std::string(InputTypeName(f.type)) + (f.optional ? "?" : "");
  }
  json::array stages;
  for (const auto& stage : p.stages) {
    json::array names;
    for (const std::string& n : stage) {
      names.push_back(json::value(n));
    }
    stages.push_back(std::move(names));
  }
  return json::object{{"inputs", std::move(inputs)}, {"stages", std::move(stages)}};
}

Status ValidationError(const std::string& name, const ProfileParseResult& r) {
  std::string message = "profile \"" + name + "\" is invalid: ";
  bool first = true;
  for (const hcl::Diagnostic& d : r.diagnostics) {
    if (d.severity != hcl::Severity::kError) {
      continue;
    }
    message += (first ? "" : "; ") + std::to_string(d.range.start.line) + ":" +
               std::to_string(d.range.start.column) + ": " + d.message;
    first = false;
  }
  return InvalidArgumentError(message);
}

}  // namespace

ProfilesBackend::ProfilesBackend(framework::RequestHandler& handler, RoleTokens tokens,
                                 const Clock& clock)
    : PathBackend(framework::BackendType::kSecrets),
      executor_(handler),
      tokens_(std::move(tokens)),
      clock_(clock),
      nonces_(clock) {}

StatusOr<std::unique_ptr<ProfilesBackend>> ProfilesBackend::Create(
    framework::RequestHandler& handler) {
  auto* core = dynamic_cast<core::Core*>(&handler);
  if (core == nullptr) {
    return Create(handler, RoleTokens{}, Clock::System());
  }
  RoleTokens tokens{.issue =
                        [core](const framework::Auth& auth, std::string_view path,
                               std::string_view namespace_path) {
                          return core->IssueToken(auth, path, namespace_path);
                        },
                    .revoke = [core](std::string_view token) { return core->RevokeToken(token); }};
  return Create(handler, std::move(tokens), *core->options().clock);
}

std::vector<std::string> ProfilesBackend::UnauthenticatedPaths() const {
  // Tokenless callers: signed and `authenticated = false` profiles (Authorize refuses the rest).
  return {"profiles/nonce", "profiles/execute/*", "profiles/plan/*"};
}

StatusOr<std::unique_ptr<ProfilesBackend>> ProfilesBackend::Create(
    framework::RequestHandler& handler, RoleTokens tokens, const Clock& clock) {
  std::unique_ptr<ProfilesBackend> b(new ProfilesBackend(handler, std::move(tokens), clock));
  std::vector<FieldSchema> name_field = {{"name", FieldType::kString, "Profile name."}};
  std::vector<FieldSchema> write_fields = {
      {"name", FieldType::kString, "Profile name."},
      {"profile", FieldType::kString, "The profile in HCL or JSON."},
      {"workflow", FieldType::kString, "OpenBao's name for profile."},
      {"description", FieldType::kString, "Free text."},
      {"cas", FieldType::kInt, "Expected current version (0: must not exist).", -1}};
  auto modify = [&](const std::string& prefix) {
    return std::vector<Path>{
        {.pattern = prefix + "/?",
         .operations = {{Operation::kList, Bind(b.get(), &ProfilesBackend::List)}}},
        {.pattern = prefix + "/" + kNamePattern,
         .fields = write_fields,
         .operations = {{Operation::kRead, Bind(b.get(), &ProfilesBackend::Read)},
                        {Operation::kUpdate, Bind(b.get(), &ProfilesBackend::Write)},
                        {Operation::kCreate, Bind(b.get(), &ProfilesBackend::Write)},
                        {Operation::kDelete, Bind(b.get(), &ProfilesBackend::Delete)}},
         // A first write needs `create`, later ones `update` (as every Vault path).
         .existence_check = [](Request& req, const FieldData& d) -> StatusOr<bool> {
           if (req.storage == nullptr) {
             return true;
           }
           CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> v,
                                   req.storage->Get(Key(d.GetString("name"))));
           return v.has_value();
         }}};
  };
  auto run = [&](const std::string& pattern, framework::OperationHandler h) {
    return Path{.pattern = pattern + "/" + kNamePattern,
                .fields = name_field,
                .operations = {{Operation::kUpdate, h}, {Operation::kCreate, h}},
                .takes_arbitrary_input = true};
  };
  std::vector<Path> paths = modify("profiles/modify");
  framework::AppendPaths(paths, modify("workflows/manage"));
  paths.push_back(run("profiles/execute", Bind(b.get(), &ProfilesBackend::Execute)));
  paths.push_back(run("workflows/execute", Bind(b.get(), &ProfilesBackend::Execute)));
  paths.push_back(run("profiles/plan", Bind(b.get(), &ProfilesBackend::Plan)));
  paths.push_back(run("profiles/debug", Bind(b.get(), &ProfilesBackend::Debug)));
  paths.push_back(run("workflows/trace", Bind(b.get(), &ProfilesBackend::Debug)));
  framework::AppendPaths(paths, SigningPaths(b.get()));
  CELLAR_RETURN_IF_ERROR(b->SetPaths(std::move(paths)));
  return b;
}

StatusOr<std::shared_ptr<const ProfilesBackend::Stored>> ProfilesBackend::Load(
    Request& req, const std::string& name) {
  if (req.storage == nullptr) {
    return InternalError("profiles backend has no storage");
  }
  std::string cache_key = req.namespace_path + name;
  uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = cache_.find(cache_key); it != cache_.end()) {
      return it->second;
    }
    generation = generation_;
  }
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> raw, req.storage->Get(Key(name)));
  if (!raw) {
    return NotFoundError("no profile named \"" + name + "\"");
  }
  boost::system::error_code ec;
  json::value v = json::parse(*raw, ec);
  if (ec || !v.is_object() || !v.as_object().contains("profile")) {
    return InternalError("stored profile \"" + name + "\" is corrupt");
  }
  const json::object& o = v.as_object();
  auto s = std::make_shared<Stored>();
  s->text = std::string(o.at("profile").as_string());
  if (const json::value* d = o.if_contains("description"); d && d->is_string()) {
    s->description = std::string(d->as_string());
  }
  if (const json::value* ver = o.if_contains("version"); ver && ver->is_int64()) {
    s->version = ver->as_int64();
  }
  ProfileParseResult parsed =
      ParseProfile(s->text, {.filename = name, .in_namespace = !req.namespace_path.empty()});
  if (!parsed.profile) {
    return ValidationError(name, parsed);
  }
  s->profile = parsed.profile;
  std::lock_guard<std::mutex> lock(mu_);
  if (generation == generation_) {
    cache_[cache_key] = s;
  }
  return s;
}

void ProfilesBackend::Invalidate(const Request& req, const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  ++generation_;
  cache_.erase(req.namespace_path + name);
}

StatusOr<Response> ProfilesBackend::List(Request& req, const FieldData&) {
  if (req.storage == nullptr) {
    return InternalError("profiles backend has no storage");
  }
  CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> keys, req.storage->List("profile/"));
  if (keys.empty()) {
    return NotFoundError("");
  }
  json::array out;
  for (const std::string& k : keys) {
    out.push_back(json::value(k));
  }
  return Response::WithData({{"keys", std::move(out)}});
}

StatusOr<Response> ProfilesBackend::Read(Request& req, const FieldData& d) {
  std::string name = d.GetString("name");
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const Stored> s, Load(req, name));
  return Response::WithData({{"name", name},
                             {"profile", s->text},
                             {"description", s->description},
                             {"version", s->version},
                             {"summary", Summary(*s->profile)}});
}

StatusOr<Response> ProfilesBackend::Write(Request& req, const FieldData& d) {
  if (req.storage == nullptr) {
    return InternalError("profiles backend has no storage");
  }
  std::string name = d.GetString("name");
  std::string text = d.Has("profile") ? d.GetString("profile") : d.GetString("workflow");
  if (text.empty()) {
    return InvalidArgumentError("missing \"profile\": the profile text in HCL or JSON");
  }
  ProfileParseResult parsed =
      ParseProfile(text, {.filename = name, .in_namespace = !req.namespace_path.empty()});
  if (!parsed.profile) {
    return ValidationError(name, parsed);
  }
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> existing, req.storage->Get(Key(name)));
  int64_t version = 0;
  if (existing) {
    boost::system::error_code ec;
    json::value v = json::parse(*existing, ec);
    if (!ec && v.is_object()) {
      if (const json::value* ver = v.as_object().if_contains("version"); ver && ver->is_int64()) {
        version = ver->as_int64();
      }
    }
  }
  if (d.Has("cas") && d.GetInt("cas") >= 0 && d.GetInt("cas") != version) {
    return InvalidArgumentError("check-and-set parameter did not match the current version");
  }
  json::object stored{
      {"profile", text}, {"description", d.GetString("description")}, {"version", version + 1}};
  CELLAR_RETURN_IF_ERROR(req.storage->Put(Key(name), json::serialize(stored)));
  Invalidate(req, name);
  return Response{};
}

StatusOr<Response> ProfilesBackend::Delete(Request& req, const FieldData& d) {
  if (req.storage == nullptr) {
    return InternalError("profiles backend has no storage");
  }
  std::string name = d.GetString("name");
  CELLAR_RETURN_IF_ERROR(req.storage->Delete(Key(name)));
  Invalidate(req, name);
  return Response{};
}

json::object ProfilesBackend::InputBody(const Request& req, const Profile& profile) const {
  json::object body = req.data;
  body.erase("name");  // the path capture the framework merges into the fields
  // API.md's `input` key: {"input": {...}} unless the profile declares an input called "input".
  if (body.size() == 1 && body.contains("input") && body.at("input").is_object() &&
      std::none_of(profile.inputs.begin(), profile.inputs.end(),
                   [](const InputField& f) { return f.name == "input"; })) {
    return body.at("input").as_object();
  }
  return body;
}

StatusOr<ProfilesBackend::Authority> ProfilesBackend::Authorize(Request& req,
                                                                const std::string& name,
                                                                const Profile& profile,
                                                                const std::string& action) {
  if (!profile.signed_input) {
    // Only a profile that logs in by itself may run for a caller without a token.
    if (req.caller.token.empty() && profile.authenticated) {
      return PermissionDeniedError();
    }
    return Authority{.input = InputBody(req, profile), .token = req.caller.token};
  }
  if (!tokens_.issue || !tokens_.revoke) {
    return UnsupportedOperationError("signed inputs need a server that mints role tokens");
  }
  if (req.storage == nullptr) {
    return InternalError("profiles backend has no storage");
  }
  CELLAR_ASSIGN_OR_RETURN(SignedInput in,
                          VerifySignedInput(req.data, name, action, *req.storage, nonces_));
  // The role's policies plus "default" as every login token (it reaches no secret, and plan needs
  // its sys/capabilities-self), not renewable, gone when the execution ends.
  framework::Auth auth;
  auth.policies = in.binding.policies;
  auth.ttl = in.binding.token_ttl;
  auth.max_ttl = in.binding.token_ttl;
  auth.renewable = false;
  auth.display_name = in.binding.name;
  auth.metadata = {{"profile", name}, {"signing_key", in.binding.name}};
  CELLAR_ASSIGN_OR_RETURN(
      framework::Auth minted,
      tokens_.issue(auth, "sys/profiles/" + action + "/" + name, req.namespace_path));
  return Authority{
      .input = std::move(in.input), .token = minted.client_token, .minted = minted.client_token};
}

void ProfilesBackend::Release(const Authority& authority) {
  if (authority.minted.empty()) {
    return;
  }
  if (Status s = tokens_.revoke(authority.minted); !s.ok()) {
    // Short-lived anyway: it expires with its TTL.
    spdlog::warn("signed profile token not revoked: {}", s.ToString());
  }
}

ExecutionOptions ProfilesBackend::OptionsFor(const Request& req, const std::string& name,
                                             const Authority& authority) const {
  return ExecutionOptions{.token = authority.token,
                          .namespace_path = req.namespace_path,
                          .remote_addr = req.remote_addr,
                          .profile_name = name};
}

StatusOr<Response> ProfilesBackend::Execute(Request& req, const FieldData& d) {
  std::string name = d.GetString("name");
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const Stored> s, Load(req, name));
  CELLAR_ASSIGN_OR_RETURN(Authority authority, Authorize(req, name, *s->profile, "execute"));
  StatusOr<ExecutionResult> executed =
      executor_.Execute(*s->profile, authority.input, OptionsFor(req, name, authority));
  Release(authority);
  CELLAR_ASSIGN_OR_RETURN(ExecutionResult result, std::move(executed));
  if (result.output.is_object()) {
    return Response::WithData(std::move(result.output.as_object()));
  }
  // An output that is not an object still travels in `data`, under "value".
  return Response::WithData({{"value", result.output}});
}

StatusOr<Response> ProfilesBackend::Plan(Request& req, const FieldData& d) {
  std::string name = d.GetString("name");
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const Stored> s, Load(req, name));
  CELLAR_ASSIGN_OR_RETURN(Authority authority, Authorize(req, name, *s->profile, "plan"));
  StatusOr<json::array> planned =
      executor_.Plan(*s->profile, authority.input, OptionsFor(req, name, authority));
  Release(authority);
  CELLAR_ASSIGN_OR_RETURN(json::array plan, std::move(planned));
  return Response::WithData({{"requests", std::move(plan)}});
}

StatusOr<Response> ProfilesBackend::Debug(Request& req, const FieldData& d) {
  std::string name = d.GetString("name");
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const Stored> s, Load(req, name));
  CELLAR_ASSIGN_OR_RETURN(Authority authority, Authorize(req, name, *s->profile, "debug"));
  std::vector<Step> steps;
  ExecutionOptions options = OptionsFor(req, name, authority);
  options.trace = &steps;
  StatusOr<ExecutionResult> result = executor_.Execute(*s->profile, authority.input, options);
  Release(authority);
  json::array trace;
  for (const Step& step : steps) {
    trace.push_back(json::object{
        {"name", step.name},
        {"path", step.path},
        {"operation", step.operation},
        {"status", step.status},
        {"duration_ms", step.duration_ms},
        {"request", step.request},
        {"response", step.response},
        {"error", step.error.empty() ? json::value(nullptr) : json::value(step.error)}});
  }
  return Response::WithData(
      {{"output", result.ok() ? result->output : json::value(nullptr)},
       {"error", result.ok() ? json::value(nullptr) : json::value(result.status().message())},
       {"steps", std::move(trace)}});
}

}  // namespace cellar::profiles
