// src/cel/program.cc: Env, Activation, Arena, Program and Compile: the public entry points.
#include <optional>
#include <set>

#include "base/status_macros.h"
#include "cel/cel.h"
#include "cel/checker.h"
#include "cel/enum_conversion.h"
#include "cel/eval_nodes.h"
#include "cel/library.h"
#include "cel/parser.h"
#include "cel/planner.h"

namespace cellar::cel {

Env::Env() : functions_(std::make_shared<FunctionRegistry>()) {}

Env Env::Standard() {
  Env env;
  env.AddStandardLibrary();
  env.AddStringsExtension();
  env.AddMathExtension();
  env.AddEncodersExtension();
  env.AddListsExtension();
  env.AddSetsExtension();
  env.AddOptionalsExtension();
  return env;
}

FunctionRegistry& Env::MutableFunctions() {
  if (functions_.use_count() > 1) {
    // Another Env (a copy) shares the registry: give this one its own before writing.
    functions_ = std::make_shared<FunctionRegistry>(*functions_);
  }
  return *functions_;
}

void Env::AddStandardLibrary() {
  RegisterOperators(MutableFunctions());
  RegisterConversions(MutableFunctions());
  RegisterStringFunctions(MutableFunctions());
  RegisterTimeFunctions(MutableFunctions());
}
void Env::AddStringsExtension() { RegisterStringsExtension(MutableFunctions()); }
void Env::AddMathExtension() { RegisterMathExtension(MutableFunctions()); }
void Env::AddEncodersExtension() { RegisterEncodersExtension(MutableFunctions()); }
void Env::AddListsExtension() { RegisterListsExtension(MutableFunctions()); }
void Env::AddSetsExtension() { RegisterSetsExtension(MutableFunctions()); }
void Env::AddOptionalsExtension() { RegisterOptionalsExtension(MutableFunctions()); }
void Env::AddFunction(Overload overload) { MutableFunctions().Add(std::move(overload)); }

Status Env::DeclareVariable(std::string name, std::string_view type_text) {
  CELLAR_ASSIGN_OR_RETURN(Type type, ParseType(type_text));
  variables_[std::move(name)] = std::move(type);
  return OkStatus();
}

void Env::DeclareVariable(std::string name, Type type) {
  variables_[std::move(name)] = std::move(type);
}

void Activation::Bind(std::string name, Value value) {
  uint64_t hash = MapRep::HashText(name);
  if (Value* existing = const_cast<Value*>(Find(name, hash))) {
    *existing = std::move(value);
    return;
  }
  vars_.push_back({std::move(name), hash, std::move(value)});
  if (!index_.empty()) {
    index_.emplace(vars_.back().name, vars_.size() - 1);
  } else if (vars_.size() > kIndexThreshold) {
    for (size_t i = 0; i < vars_.size(); ++i) {
      index_.emplace(vars_[i].name, i);
    }
  }
}

const Value* Activation::Find(std::string_view name) const {
  return Find(name, MapRep::HashText(name));
}

const Value* Activation::Find(std::string_view name, uint64_t hash) const {
  if (!index_.empty()) {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &vars_[it->second].value;
  }
  for (const Var& v : vars_) {
    if (v.hash == hash && SameText(v.name, name)) {
      return &v.value;
    }
  }
  return nullptr;
}

struct Arena::Rep {
  Frame frame;
};
Arena::Arena() : rep_(std::make_unique<Rep>()) {}
Arena::~Arena() = default;

struct Program::Impl {
  std::string source;
  Plan plan;
  Limits limits;
  std::shared_ptr<const FunctionRegistry> functions;  // keeps overload pointers alive
  std::shared_ptr<const TypeProvider> provider;
  Type result_type;
};

Program::Program(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Program::~Program() = default;

const std::string& Program::source() const { return impl_->source; }
const Type& Program::result_type() const { return impl_->result_type; }

StatusOr<Value> Program::Evaluate(const Activation& vars) const {
  // One reusable arena per thread; a nested evaluation (a host function evaluating another
  // program) finds it busy and uses a fresh one.
  thread_local Arena arena;
  thread_local bool busy = false;
  if (busy) {
    Arena fresh;
    return Evaluate(fresh, vars);
  }
  busy = true;
  StatusOr<Value> result = Evaluate(arena, vars);
  busy = false;
  return result;
}

StatusOr<Value> Program::Evaluate(Arena& arena, const Activation& vars) const {
  Frame& frame = arena.rep_->frame;
  frame.Reset(&vars, impl_->plan.var_names.size(), impl_->plan.num_slots, impl_->limits);
  Value result = impl_->plan.root->Eval(frame);
  if (frame.aborted()) {
    return frame.abort_status();
  }
  return result;
}

StatusOr<std::shared_ptr<const Program>> Compile(std::string_view source, const Env& env) {
  CELLAR_ASSIGN_OR_RETURN(ParsedExpr parsed, Parse(source, ParseOptionsFor(env)));
  CheckedExpr checked = CheckParsed(*parsed.root, *parsed.source, env);
  if (env.ShouldTypeCheck()) {
    CELLAR_RETURN_IF_ERROR(checked.status());
  }
  // Enum conversions the checker found are planned as functions of a copy of the Env.
  const Env* plan_env = &env;
  std::optional<Env> with_enums;
  if (!checked.enum_conversions.empty()) {
    with_enums.emplace(env);
    std::set<std::string> added;
    for (const auto& [call, enum_type] : checked.enum_conversions) {
      if (added.insert(call).second) {
        AddEnumConversion(*with_enums, call, enum_type);
      }
    }
    plan_env = &*with_enums;
  }
  CELLAR_ASSIGN_OR_RETURN(Plan plan, BuildPlan(*parsed.root, *parsed.source, *plan_env));
  auto impl = std::make_unique<Program::Impl>();
  impl->source = std::string(source);
  impl->plan = std::move(plan);
  impl->limits = env.limits();
  impl->result_type = checked.errors.empty() ? std::move(checked.result_type) : Type::Dyn();
  impl->functions = plan_env->shared_functions();
  impl->provider = env.shared_type_provider();
  return std::shared_ptr<const Program>(std::make_shared<Program>(std::move(impl)));
}

}  // namespace cellar::cel
