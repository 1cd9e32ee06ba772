// src/profiles/executor.cc: executes a profile's stages through the RequestHandler.
#include "profiles/executor.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <random>

#include "base/status_macros.h"
#include "cel/json.h"
#include "framework/status_to_http.h"
#include "profiles/shape.h"
#include "profiles/worker_pool.h"

namespace cellar::profiles {
namespace {

using Clock = std::chrono::steady_clock;
namespace json = boost::json;

// A stage expected to take less than this in all runs on the calling thread: about what handing
// sub-requests to pool threads and waiting for them costs on a busy machine.
constexpr int64_t kInlineStageNanos = 100'000;

// Ids tag audit entries; they need to be unique, not secret. One generator per thread, seeded
// once: a std::random_device per execution costs a system call each time.
std::string NewExecutionId() {
  thread_local std::mt19937_64 gen = [] {
    std::random_device rd;
    std::seed_seq seed{rd(), rd(), rd(), rd()};
    return std::mt19937_64(seed);
  }();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  for (int i = 0; i < 32; i += 16) {
    uint64_t bits = gen();
    for (int j = 0; j < 16; ++j) {
      id[i + j] = kHex[(bits >> (4 * j)) & 0xf];
    }
  }
  return id;
}

bool MatchesType(const json::value& v, InputType type) {
  switch (type) {
    case InputType::kString:
      return v.is_string();
    case InputType::kNumber:
      return v.is_number();
    case InputType::kBool:
      return v.is_bool();
    case InputType::kList:
      return v.is_array();
    case InputType::kMap:
      return v.is_object();
    case InputType::kAny:
      return true;
  }
  return false;
}

json::value Redact(const json::value& v) {
  if (v.is_object()) {
    json::object out;
    for (const auto& [k, item] : v.as_object()) {
      out[k] = Redact(item);
    }
    return out;
  }
  if (v.is_array()) {
    json::array out;
    for (const auto& item : v.as_array()) {
      out.push_back(Redact(item));
    }
    return out;
  }
  return v.is_null() ? v : json::value("<redacted>");
}

// The envelope a profile expression sees as request.<name> (`data` left out when !with_data).
json::object Envelope(const framework::Response& r, bool with_data = true) {
  json::object env;
  if (with_data) {
    env["data"] = r.data ? json::value(*r.data) : json::value(nullptr);
  }
  env["lease_id"] = r.lease_id;
  env["lease_duration"] = r.lease_duration.count();
  env["renewable"] = r.renewable;
  if (r.warnings.empty()) {
    env["warnings"] = nullptr;
  } else {
    json::array w;
    for (const std::string& s : r.warnings) {
      w.push_back(json::value(s));
    }
    env["warnings"] = std::move(w);
  }
  if (r.auth) {
    json::array policies;
    for (const std::string& p : r.auth->policies) {
      policies.push_back(json::value(p));
    }
    json::object meta;
    for (const auto& [k, v] : r.auth->metadata) {
      meta[k] = v;
    }
    env["auth"] =
        json::object{{"client_token", r.auth->client_token},  {"accessor", r.auth->accessor},
                     {"policies", std::move(policies)},       {"metadata", std::move(meta)},
                     {"lease_duration", r.auth->ttl.count()}, {"renewable", r.auth->renewable}};
  } else {
    env["auth"] = nullptr;
  }
  return env;
}

cel::Value ToCel(const json::value& v, int depth = 0) {
  cel::JsonToValueOptions options{.tagged = false};
  options.max_depth -= depth;
  StatusOr<cel::Value> out = cel::ValueFromJson(v, options);
  return out.ok() ? *out : cel::Value::Error(out.status().message());
}

// `o` as a CEL map of the fields `used` names (all of them when whole), each converted only
// along its own FieldTree. `depth`: how deep `o`'s values lie below the envelope's data, so a
// value nested too deeply fails as it would converted whole.
cel::Value ObjectToCel(const json::object& o, const FieldTree& used, int depth = 0) {
  auto map = std::make_shared<cel::MapRep>();
  if (used.whole) {
    for (const auto& [k, v] : o) {
      map->Insert(cel::Value::String(std::string(k)), ToCel(v, depth));
    }
    return cel::Value::Map(std::move(map));
  }
  for (const auto& [k, sub] : used.fields) {
    if (const json::value* v = o.if_contains(k)) {
      map->Insert(cel::Value::String(k), sub.whole || !v->is_object()
                                             ? ToCel(*v, depth)
                                             : ObjectToCel(v->get_object(), sub, depth + 1));
    }
  }
  return cel::Value::Map(std::move(map));
}

// ToCel(Envelope(r)) without building the JSON envelope first, and only the parts of it that the
// profile's expressions read (RequestSpec::used): this runs once per sub-request, and converting
// a whole secret to CEL costs about as much as reading it.
cel::Value CelEnvelope(const framework::Response& r, const FieldTree& used) {
  // The subtree of `used` for one envelope field, or null when nothing reads it.
  static const FieldTree kWhole{.whole = true};
  auto wanted = [&](std::string_view field) -> const FieldTree* {
    if (used.whole) {
      return &kWhole;
    }
    auto it = used.fields.find(field);
    return it == used.fields.end() ? nullptr : &it->second;
  };
  auto map = std::make_shared<cel::MapRep>();
  if (const FieldTree* data = wanted("data")) {
    map->Insert(cel::Value::String("data"),
                r.data ? ObjectToCel(*r.data, *data) : cel::Value::Null());
  }
  if (wanted("lease_id")) {
    map->Insert(cel::Value::String("lease_id"), cel::Value::String(r.lease_id));
  }
  if (wanted("lease_duration")) {
    map->Insert(cel::Value::String("lease_duration"), cel::Value::Int(r.lease_duration.count()));
  }
  if (wanted("renewable")) {
    map->Insert(cel::Value::String("renewable"), cel::Value::Bool(r.renewable));
  }
  if (wanted("warnings")) {
    cel::Value warnings = cel::Value::Null();
    if (!r.warnings.empty()) {
      std::vector<cel::Value> items;
      for (const std::string& w : r.warnings) {
        items.push_back(cel::Value::String(w));
      }
      warnings = cel::Value::List(std::move(items));
    }
    map->Insert(cel::Value::String("warnings"), std::move(warnings));
  }
  if (wanted("auth")) {
    // Rare (logins): the JSON envelope's conversion is good enough.
    map->Insert(cel::Value::String("auth"),
                r.auth ? ToCel(Envelope(r, /*with_data=*/false).at("auth")) : cel::Value::Null());
  }
  return cel::Value::Map(std::move(map));
}

cel::Value MapValue(const std::map<std::string, cel::Value>& entries) {
  auto map = std::make_shared<cel::MapRep>();
  for (const auto& [k, v] : entries) {
    map->Insert(cel::Value::String(k), v);
  }
  return cel::Value::Map(std::move(map));
}

// Evaluates to a value or a Status naming the failure (CEL error values become InvalidArgument).
StatusOr<cel::Value> Eval(const ProfileExpr& expr, const cel::Activation& vars) {
  StatusOr<cel::Value> v = expr.program->Evaluate(vars);
  if (!v.ok()) {
    return v.status();
  }
  if (v->is_error()) {
    return InvalidArgumentError(v->error().message);
  }
  return v;
}

StatusOr<json::object> EvalData(const ProfileExpr& expr, const cel::Activation& vars) {
  CELLAR_ASSIGN_OR_RETURN(cel::Value v, Eval(expr, vars));
  if (v.kind() == cel::Kind::kNull) {
    return json::object{};
  }
  if (v.kind() != cel::Kind::kMap) {
    return InvalidArgumentError("data must be an object, not " + v.TypeName());
  }
  CELLAR_ASSIGN_OR_RETURN(json::value j, cel::ValueToJson(v));
  return j.as_object();
}

StatusOr<std::string> EvalPath(const ProfileExpr& expr, const cel::Activation& vars) {
  CELLAR_ASSIGN_OR_RETURN(cel::Value v, Eval(expr, vars));
  if (v.kind() != cel::Kind::kString) {
    return InvalidArgumentError("path must be a string, not " + v.TypeName());
  }
  std::string path = NormalizeApiPath(v.string_value());
  if (std::optional<std::string> why = PathEscapeReason(path)) {
    return InvalidArgumentError("path \"" + path + "\" " + *why);
  }
  return path;
}

// One sub-request after for_each expansion.
struct Task {
  const RequestSpec* spec = nullptr;
  std::optional<std::string> key;  // each.key for a for_each request
  cel::Value each;
  // Results.
  std::string path;
  Status status;
  framework::Response response;
  double duration_ms = 0;
  json::value request_data;
};

class Execution : private ShapeSource {
 public:
  Execution(framework::RequestHandler& handler, const Profile& profile,
            const ExecutionOptions& options)
      : handler_(handler), profile_(profile), options_(options), token_(options.token) {}

  StatusOr<ExecutionResult> Run(const json::object& input_body) {
    result_.execution_id = NewExecutionId();
    origin_ = {options_.profile_name, result_.execution_id};
    CELLAR_ASSIGN_OR_RETURN(input_data_, CheckInput(profile_, input_body));
    Clock::time_point deadline = Clock::time_point::max();
    if (profile_.timeout.count() > 0) {
      deadline = Clock::now() + profile_.timeout;
    }
    CELLAR_RETURN_IF_ERROR(BeginScope());
    // The login is not part of the scope: its token lives until RevokeLoginToken, after the
    // commit, whatever the execution's outcome.
    if (profile_.auth) {
      CELLAR_RETURN_IF_ERROR(Login());
    }
    Status failure = RunStages(deadline);
    if (failure.ok()) {
      failure = EvaluateOutput();
    }
    if (failure.ok() && scope_ != nullptr) {
      failure = scope_->Commit();  // on error the scope has undone itself
    } else if (!failure.ok()) {
      Undo();
    }
    RevokeLoginToken();
    if (!failure.ok()) {
      return failure;
    }
    return std::move(result_);
  }

 private:
  // A result as `request.<name>`: kept as the response until a CEL expression needs it.
  struct Result {
    const framework::Response* response = nullptr;  // a single request that succeeded (in tasks_)
    const FieldTree* used = nullptr;                 // what of `response` CEL reads
    std::optional<cel::Value> value;                 // the CEL value, once built
  };

  const framework::Response* Response(std::string_view request) const override {
    auto it = results_.find(request);
    return it == results_.end() ? nullptr : it->second.response;
  }
  const json::object& InputData() const override { return input_data_; }

  // Brings `input` and `request` up to date for CEL (on the calling thread, before any
  // expression of the stage runs): outputs built as a Shape and requests with literal paths and
  // no data never need them.
  void PrepareCel() {
    if (!input_) {
      input_ = ToCel(json::object{{"data", input_data_}});
    }
    if (!request_stale_) {
      return;
    }
    auto map = std::make_shared<cel::MapRep>();
    for (auto& [name, result] : results_) {
      if (!result.value) {
        result.value = CelEnvelope(*result.response, *result.used);
      }
      map->Insert(cel::Value::String(name), *result.value);
    }
    request_value_ = cel::Value::Map(std::move(map));
    request_stale_ = false;
  }

  static bool NeedsCel(const RequestSpec& spec) { return !spec.literal_path || spec.data; }

  cel::Activation Vars(const cel::Value* each) const {
    cel::Activation vars;
    vars.Bind("input", *input_);
    vars.Bind("request", request_value_);
    if (each != nullptr) {
      vars.Bind("each", *each);
    }
    return vars;
  }

  framework::Request SubRequest(framework::Operation op, std::string path,
                                json::object data) const {
    framework::Request req;
    req.operation = op;
    req.path = std::move(path);
    req.data = std::move(data);
    req.caller.token = token_;
    req.namespace_path = options_.namespace_path;
    req.remote_addr = options_.remote_addr;
    req.via_profile = true;
    req.profile = &origin_;
    req.scope = scope_.get();
    return req;
  }

  // Every sub-request runs in one scope of the handler: it records what they create so a failure
  // can revoke it with the server's authority, and for `transaction = true` buffers their storage
  // writes until the commit. A handler without scopes (tests' fakes) can run only profiles
  // without a transaction; their leases are then revoked with the caller's token.
  Status BeginScope() {
    StatusOr<std::unique_ptr<framework::RequestScope>> scope =
        handler_.BeginScope(profile_.transaction);
    if (scope.ok()) {
      scope_ = *std::move(scope);
      return OkStatus();
    }
    if (profile_.transaction || scope.status().code() != StatusCode::kUnsupported) {
      return scope.status();
    }
    return OkStatus();
  }

  void Undo() {
    if (scope_ != nullptr) {
      scope_->Abort();
    } else {
      RevokeLeasesAsCaller();
    }
  }

  Status Login() {
    PrepareCel();
    cel::Activation vars = Vars(nullptr);
    CELLAR_ASSIGN_OR_RETURN(std::string path, EvalPath(profile_.auth->path, vars));
    json::object data;
    if (profile_.auth->data) {
      CELLAR_ASSIGN_OR_RETURN(data, EvalData(*profile_.auth->data, vars));
    }
    framework::Request req = SubRequest(framework::Operation::kUpdate, path, std::move(data));
    req.caller.token.clear();
    req.scope = nullptr;
    StatusOr<framework::Response> resp = handler_.HandleRequest(req);
    if (!resp.ok()) {
      return Status(resp.status().code(), "auth (" + path + "): " + resp.status().message());
    }
    if (!resp->auth || resp->auth->client_token.empty()) {
      return InvalidArgumentError("auth (" + path + "): the login returned no token");
    }
    token_ = resp->auth->client_token;
    login_token_ = token_;
    return OkStatus();
  }

  Status Expand(const RequestSpec& spec, std::deque<Task>& tasks) {
    if (!spec.for_each) {
      tasks.push_back(Task{.spec = &spec});
      return OkStatus();
    }
    PrepareCel();
    StatusOr<cel::Value> coll = Eval(*spec.for_each, Vars(nullptr));
    if (!coll.ok()) {
      return Status(coll.status().code(),
                    "request \"" + spec.name + "\" for_each: " + coll.status().message());
    }
    auto add = [&](std::string key, cel::Value value) {
      auto map = std::make_shared<cel::MapRep>();
      map->Insert(cel::Value::String("key"), cel::Value::String(key));
      map->Insert(cel::Value::String("value"), std::move(value));
      tasks.push_back(Task{.spec = &spec, .key = std::move(key), .each = cel::Value::Map(map)});
    };
    if (coll->kind() == cel::Kind::kList) {
      // A list iterates as a set of strings: each.key = each.value (Terraform's rule), so
      // request.<name> is keyed by the items.
      for (const cel::Value& item : coll->list_elems()) {
        if (item.kind() != cel::Kind::kString) {
          return InvalidArgumentError("request \"" + spec.name +
                                      "\" for_each: list items must be strings, not " +
                                      item.TypeName());
        }
        add(item.string_value(), item);
      }
    } else if (coll->kind() == cel::Kind::kMap) {
      for (const auto& [k, v] : coll->map_value().entries()) {
        add(k.kind() == cel::Kind::kString ? k.string_value() : k.DebugString(), v);
      }
    } else if (coll->kind() != cel::Kind::kNull) {
      return InvalidArgumentError("request \"" + spec.name +
                                  "\" for_each: needs a list or map, not " + coll->TypeName());
    }
    return OkStatus();
  }

  // Sets task.path and `data` for the sub-request, evaluated when not literal. On failure
  // task.path is the literal path, if there is one, for the error message.
  Status ResolveRequest(Task& task, json::object& data) const {
    const RequestSpec& spec = *task.spec;
    if (spec.literal_path) {
      task.path = *spec.literal_path;  // normalised and checked when the profile was written
    }
    if (!NeedsCel(spec)) {
      return OkStatus();
    }
    cel::Activation vars = Vars(spec.for_each ? &task.each : nullptr);
    CELLAR_ASSIGN_OR_RETURN(std::string path, EvalPath(spec.path, vars));
    if (spec.data) {
      CELLAR_ASSIGN_OR_RETURN(data, EvalData(*spec.data, vars));
    }
    task.path = std::move(path);
    return OkStatus();
  }

  void RunTask(Task& task) const {
    Clock::time_point start = Clock::now();
    json::object data;
    Status status = ResolveRequest(task, data);
    if (status.ok()) {
      if (options_.trace != nullptr) {
        task.request_data = data;  // only a trace shows it
      }
      framework::Request req = SubRequest(task.spec->operation, task.path, std::move(data));
      StatusOr<framework::Response> resp = handler_.HandleRequest(req);
      status = resp.status();
      if (resp.ok()) {
        task.response = *std::move(resp);
      }
    }
    task.status = status;
    Clock::duration took = Clock::now() - start;
    task.duration_ms = std::chrono::duration<double, std::milli>(took).count();
    task.spec->cost.Record(std::chrono::duration_cast<std::chrono::nanoseconds>(took).count());
  }

  Status CheckDeadline(Clock::time_point deadline) const {
    if (deadline != Clock::time_point::max() && Clock::now() > deadline) {  // max: no timeout
      return DeadlineExceededError("profile timed out after " +
                                   std::to_string(profile_.timeout.count()) + "ms (timeout)");
    }
    return OkStatus();
  }

  Status RunStages(Clock::time_point deadline) {
    int issued = 0;
    for (const std::vector<std::string>& stage : profile_.stages) {
      CELLAR_RETURN_IF_ERROR(CheckDeadline(deadline));
      // A deque: a Task is ~800 bytes, and a vector of a few would be an allocation above glibc's
      // small-bin limit, which makes malloc consolidate its fast bins on every stage.
      std::deque<Task>& tasks = tasks_.emplace_back();
      for (const std::string& name : stage) {
        CELLAR_RETURN_IF_ERROR(Expand(*profile_.FindRequest(name), tasks));
      }
      issued += static_cast<int>(tasks.size());
      if (issued > profile_.max_requests) {
        return InvalidArgumentError("profile would make more than " +
                                    std::to_string(profile_.max_requests) +
                                    " requests (max_requests)");
      }
      RunConcurrently(tasks);
      CELLAR_RETURN_IF_ERROR(Collect(tasks));
    }
    return CheckDeadline(deadline);
  }

  // A stage whose sub-requests have so far been quick runs on the calling thread: waking pool
  // threads and waiting for them would cost more than running side by side saves (KV reads).
  // Unknown or slow ones (a first run, certificates, remote credentials) go to the pool.
  void RunConcurrently(std::deque<Task>& tasks) {
    int64_t expected = 0;
    for (const Task& t : tasks) {
      int64_t cost = t.spec->cost.nanos();
      expected = (cost == 0) ? kInlineStageNanos + 1 : expected + cost;
      if (expected > kInlineStageNanos) {
        break;
      }
    }
    if (std::any_of(tasks.begin(), tasks.end(), [](const Task& t) { return NeedsCel(*t.spec); })) {
      PrepareCel();
    }
    size_t width = expected > kInlineStageNanos ? std::max(1, options_.max_parallel) : 1;
    ParallelFor(tasks.size(), width, [&](size_t i) { RunTask(tasks[i]); });
  }

  // Records the stage's results; returns the first fatal failure in source order.
  Status Collect(std::deque<Task>& tasks) {
    Status fatal;
    std::map<std::string, std::map<std::string, cel::Value>> expanded;
    for (Task& t : tasks) {
      const RequestSpec& spec = *t.spec;
      if (t.status.ok() && !t.response.lease_id.empty() && scope_ == nullptr) {
        leases_.push_back(t.response.lease_id);
      }
      if (options_.trace != nullptr) {
        Step step{.name = t.key ? spec.name + "[" + *t.key + "]" : spec.name,
                  .path = t.path,
                  .operation = std::string(framework::OperationName(spec.operation)),
                  .status = t.status.ok() ? (t.response.Empty() ? 204 : 200)
                                          : framework::HttpStatusFor(t.status.code()),
                  .duration_ms = t.duration_ms,
                  .request = Redact(t.request_data),
                  .response = t.status.ok() ? Redact(Envelope(t.response)) : json::value(nullptr),
                  .error = t.status.ok() ? "" : t.status.message()};
        options_.trace->push_back(std::move(step));
      }
      cel::Value value;
      if (t.status.ok() && !t.key) {
        results_[spec.name] = Result{.response = &t.response, .used = &spec.used};
        continue;
      }
      if (t.status.ok()) {
        value = CelEnvelope(t.response, spec.used);
      } else if (spec.on_error == OnError::kIgnore) {
        value = ToCel(json::object{{"error", t.status.message()},
                                   {"status", framework::HttpStatusFor(t.status.code())}});
      } else {
        if (fatal.ok()) {
          fatal = Status(t.status.code(),
                         "request \"" + spec.name + "\" (" + t.path + ") failed with status " +
                             std::to_string(framework::HttpStatusFor(t.status.code())) + ": " +
                             t.status.message());
        }
        continue;
      }
      if (t.key) {
        expanded[spec.name][*t.key] = std::move(value);
      } else {
        results_[spec.name] = Result{.value = std::move(value)};
      }
    }
    for (const Task& t : tasks) {
      if (t.spec->for_each && !results_.contains(t.spec->name)) {
        results_[t.spec->name] = Result{.value = MapValue(expanded[t.spec->name])};
      }
    }
    request_stale_ = true;
    return fatal;
  }

  Status EvaluateOutput() {
    if (!profile_.output) {
      return OkStatus();
    }
    if (profile_.output_shape) {
      if (std::optional<json::value> built = BuildShape(*profile_.output_shape, *this)) {
        result_.output = *std::move(built);
        return OkStatus();
      }
    }
    PrepareCel();
    StatusOr<cel::Value> out = Eval(*profile_.output, Vars(nullptr));
    if (!out.ok()) {
      return Status(out.status().code(), "output: " + out.status().message());
    }
    StatusOr<json::value> j = cel::ValueToJson(*out);
    if (!j.ok()) {
      return InvalidArgumentError("output: " + j.status().message());
    }
    result_.output = *std::move(j);
    return OkStatus();
  }

  // Without a scope only. Best effort: a lease that cannot be revoked now expires with its TTL.
  void RevokeLeasesAsCaller() {
    for (const std::string& lease : leases_) {
      framework::Request req = SubRequest(framework::Operation::kUpdate, "sys/leases/revoke",
                                          json::object{{"lease_id", lease}});
      (void)handler_.HandleRequest(req);
    }
  }

  // The auth block's token ends with the execution unless the output hands it to the caller.
  void RevokeLoginToken() {
    if (login_token_.empty()) {
      return;
    }
    if (json::serialize(result_.output).find(login_token_) != std::string::npos) {
      return;
    }
    framework::Request req =
        SubRequest(framework::Operation::kUpdate, "auth/token/revoke-self", json::object{});
    (void)handler_.HandleRequest(req);
  }

  framework::RequestHandler& handler_;
  const Profile& profile_;
  const ExecutionOptions& options_;
  std::string token_;
  std::string login_token_;
  std::unique_ptr<framework::RequestScope> scope_;
  json::object input_data_;           // checked input
  std::optional<cel::Value> input_;  // `input` for CEL, built on first need (PrepareCel)
  // Each stage's sub-requests, kept for the whole execution: results_ point to their responses
  // rather than moving them (a deque's elements stay where they are as it grows).
  std::deque<std::deque<Task>> tasks_;
  // By request name; written between stages only.
  std::map<std::string, Result, std::less<>> results_;
  // `request` as expressions see it: results_ as one CEL map, built by PrepareCel at most once
  // per stage rather than once per sub-request.
  cel::Value request_value_ = MapValue({});
  bool request_stale_ = false;
  std::vector<std::string> leases_;  // only without a scope (the scope records its own)
  ExecutionResult result_;
  framework::ProfileOrigin origin_;  // tags every sub-request's audit entries
};

}  // namespace

StatusOr<json::object> CheckInput(const Profile& profile, const json::object& input) {
  std::vector<std::string> problems;
  json::object out;
  for (const InputField& f : profile.inputs) {
    const json::value* v = input.if_contains(f.name);
    if (v == nullptr || v->is_null()) {
      if (!f.optional) {
        problems.push_back("missing required input \"" + f.name + "\"");
      }
      out[f.name] = nullptr;
      continue;
    }
    if (!MatchesType(*v, f.type)) {
      problems.push_back("input \"" + f.name + "\" must be a " +
                         std::string(InputTypeName(f.type)));
      continue;
    }
    out[f.name] = *v;
  }
  for (const auto& [k, v] : input) {
    if (std::none_of(profile.inputs.begin(), profile.inputs.end(),
                     [&](const InputField& f) { return f.name == k; })) {
      problems.push_back("unknown input \"" + std::string(k) + "\"");
    }
  }
  if (!problems.empty()) {
    std::string message;
    for (const std::string& p : problems) {
      message += (message.empty() ? "" : "; ") + p;
    }
    return InvalidArgumentError(message);
  }
  return out;
}

StatusOr<ExecutionResult> Executor::Execute(const Profile& profile, const json::object& input,
                                            const ExecutionOptions& options) const {
  Execution execution(handler_, profile, options);
  return execution.Run(input);
}

StatusOr<json::array> Executor::Plan(const Profile& profile, const json::object& input,
                                     const ExecutionOptions& options) const {
  CELLAR_ASSIGN_OR_RETURN(json::object data, CheckInput(profile, input));
  cel::Value input_value = ToCel(json::object{{"data", std::move(data)}});
  std::vector<std::optional<std::string>> paths;
  json::array known;
  for (const std::vector<std::string>& stage : profile.stages) {
    for (const std::string& name : stage) {
      const RequestSpec& spec = *profile.FindRequest(name);
      std::optional<std::string> path = spec.literal_path;
      if (!path && spec.dependencies.empty() && !spec.for_each) {
        cel::Activation vars;
        vars.Bind("input", input_value);
        vars.Bind("request", MapValue({}));
        StatusOr<std::string> p = EvalPath(spec.path, vars);
        if (p.ok()) {
          path = *p;
        }
      }
      if (path) {
        known.push_back(json::value(*path));
      }
      paths.push_back(path);
    }
  }
  json::object caps;
  if (!options.token.empty() && !known.empty()) {
    framework::Request req;
    req.operation = framework::Operation::kUpdate;
    req.path = "sys/capabilities-self";
    req.data = json::object{{"paths", known}};
    req.caller.token = options.token;
    req.namespace_path = options.namespace_path;
    req.via_profile = true;
    StatusOr<framework::Response> resp = handler_.HandleRequest(req);
    if (resp.ok() && resp->data) {
      caps = *resp->data;
    }
  }
  json::array out;
  size_t i = 0;
  for (const std::vector<std::string>& stage : profile.stages) {
    for (const std::string& name : stage) {
      const RequestSpec& spec = *profile.FindRequest(name);
      const std::optional<std::string>& path = paths[i++];
      json::array deps;
      for (const std::string& d : spec.dependencies) {
        deps.push_back(json::value(d));
      }
      json::value allowed = nullptr;
      if (path && caps.contains(*path) && caps.at(*path).is_array()) {
        bool yes = false;
        bool deny = false;
        std::string op(framework::OperationName(spec.operation));
        for (const json::value& c : caps.at(*path).as_array()) {
          if (!c.is_string()) {
            continue;
          }
          std::string_view cap = c.as_string();
          deny = deny || cap == "deny";
          yes = yes || cap == "root" || cap == op ||
                (spec.operation == framework::Operation::kUpdate && cap == "create");
        }
        allowed = yes && !deny;
      }
      out.push_back(json::object{{"name", name},
                                 {"operation", framework::OperationName(spec.operation)},
                                 {"path", path ? json::value(*path) : json::value(nullptr)},
                                 {"depends_on", std::move(deps)},
                                 {"allowed", allowed}});
    }
  }
  return out;
}

}  // namespace cellar::profiles
