// src/profiles/profile.h: the parsed, validated and compiled form of one profile (PROFILES.md).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cel/cel.h"
#include "framework/logical.h"
#include "hcl/diagnostic.h"
#include "profiles/shape.h"

namespace cellar::profiles {

enum class InputType { kString, kNumber, kBool, kList, kMap, kAny };
std::string_view InputTypeName(InputType type);

struct InputField {
  std::string name;
  InputType type = InputType::kAny;
  bool optional = false;  // "string?"
};

enum class OnError { kFatal, kIgnore };

// One HCL expression, lowered to CEL and compiled at write time.
struct ProfileExpr {
  std::string cel;
  std::shared_ptr<const cel::Program> program;
  hcl::Range range;
};

// How long one sub-request of a RequestSpec usually takes, learnt by the executor to choose
// between running a stage on the calling thread and handing it to the pool. A scheduling hint,
// not part of the profile's meaning: that is why a const Profile may update it, and a copy starts
// unlearnt.
class CostHint {
 public:
  CostHint() = default;
  CostHint(const CostHint&) {}
  CostHint& operator=(const CostHint&) { return *this; }

  // 0 until a sub-request has been recorded.
  int64_t nanos() const { return nanos_.load(std::memory_order_relaxed); }
  // Follows a faster run at once and a slower one 1/16 of the way: one run preempted on a busy
  // machine weighs less than a sub-request that is slow every time.
  void Record(int64_t nanos) const;

 private:
  mutable std::atomic<int64_t> nanos_{0};
};

// What expressions can see of one request's result: the attribute chains they select after
// request.<name> (request.a.data.x adds data → x). An execution converts a result to CEL only
// along them; anything else of the result is unreachable. A node used otherwise (indexed, passed
// to a function, iterated, or the end of a chain) is `whole`: converted entirely.
struct FieldTree {
  bool whole = false;
  std::map<std::string, FieldTree, std::less<>> fields;

  // Adds one chain; an empty chain makes this node whole.
  void Add(std::span<const std::string> chain);
};

struct RequestSpec {
  std::string name;
  hcl::Range range;
  ProfileExpr path;
  // The path when it has no references (already without "/v1/"); plan shows null otherwise.
  std::optional<std::string> literal_path;
  framework::Operation operation = framework::Operation::kRead;
  OnError on_error = OnError::kFatal;
  std::optional<ProfileExpr> data;
  std::optional<ProfileExpr> for_each;
  std::vector<std::string> depends_on;    // as written
  std::vector<std::string> dependencies;  // depends_on plus every request referenced; sorted
  // The parts of the result that expressions read. A for_each request's result (a map of
  // envelopes) is always whole.
  FieldTree used{.whole = true};
  CostHint cost;
};

struct AuthSpec {
  ProfileExpr path;
  std::optional<ProfileExpr> data;
};

// Immutable once built; shared between concurrent executions.
struct Profile {
  std::string text;  // the source as written
  bool authenticated = true;
  bool signed_input = false;
  std::vector<InputField> inputs;
  std::optional<AuthSpec> auth;
  std::vector<RequestSpec> requests;  // source order
  std::optional<ProfileExpr> output;  // output { data = ... }
  // The output when it is a plain shape of literals and references to single requests (most
  // are): executions build it from the results' JSON and use `output` only when it declines.
  std::optional<Shape> output_shape;
  bool transaction = false;  // every storage write of an execution commits together or not at all
  int max_requests = 64;
  // 0: no bound. Checked before and after each stage: a stage in flight is not interrupted.
  std::chrono::milliseconds timeout{0};
  // Requests grouped by dependency depth: every request's dependencies are in earlier stages.
  std::vector<std::vector<std::string>> stages;

  const RequestSpec* FindRequest(std::string_view name) const;
};

struct ProfileParseOptions {
  std::string filename = "profile.hcl";
  // Stored in a namespace (not the root): literal paths to root-only sys endpoints are errors.
  bool in_namespace = false;
};

struct ProfileParseResult {
  std::shared_ptr<const Profile> profile;  // null when there are errors
  hcl::Diagnostics diagnostics;            // every error, each with line:column
};

// Parses HCL native or JSON text, validates it completely (unknown blocks and attributes, bad
// types and operations, references to undeclared inputs or requests, dependency cycles, paths
// leaving the namespace, expressions that do not lower or compile) and compiles every expression.
// All errors are collected; a profile is returned only when there are none.
ProfileParseResult ParseProfile(std::string_view text, const ProfileParseOptions& options = {});

// Groups requests into stages (Kahn's algorithm, source order within a stage) from their
// `dependencies`; appends one positioned error per dependency cycle and leaves its members out.
std::vector<std::vector<std::string>> ComputeStages(const std::vector<RequestSpec>& requests,
                                                    hcl::Diagnostics& diags);

// Removes a leading "/" and "v1/" (profiles may spell API paths as /v1/secret/...).
std::string NormalizeApiPath(std::string_view path);

// Whether `path` stays inside the namespace it is relative to: no "." or ".." segment, no empty
// segment, not empty. Returns the reason when it does not.
std::optional<std::string> PathEscapeReason(std::string_view path);

}  // namespace cellar::profiles
