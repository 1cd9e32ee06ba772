// src/cel/function_registry.cc: overload storage and lookup by name, style and arity.
#include "cel/function_registry.h"

namespace cellar::cel {

void FunctionRegistry::Add(Overload overload) {
  std::string name = overload.name;
  by_name_[name].push_back(std::make_shared<const Overload>(std::move(overload)));
}

void FunctionRegistry::Add(std::string name, bool receiver_style, std::vector<Kind> arg_kinds,
                           FunctionImpl impl) {
  Overload o;
  o.name = std::move(name);
  o.receiver_style = receiver_style;
  o.arg_kinds = std::move(arg_kinds);
  o.impl = std::move(impl);
  Add(std::move(o));
}

void FunctionRegistry::Add(std::string name, bool receiver_style, Kind arg, UnaryFn fn) {
  Overload o;
  o.name = std::move(name);
  o.receiver_style = receiver_style;
  o.arg_kinds = {arg};
  o.impl = [fn](std::span<const Value> args, EvalContext& ctx) { return fn(args[0], ctx); };
  o.unary = fn;
  Add(std::move(o));
}

void FunctionRegistry::Add(std::string name, bool receiver_style, Kind arg0, Kind arg1,
                           BinaryFn fn) {
  Overload o;
  o.name = std::move(name);
  o.receiver_style = receiver_style;
  o.arg_kinds = {arg0, arg1};
  o.impl = [fn](std::span<const Value> args, EvalContext& ctx) {
    return fn(args[0], args[1], ctx);
  };
  o.binary = fn;
  Add(std::move(o));
}

std::vector<const Overload*> FunctionRegistry::Find(std::string_view name, bool receiver_style,
                                                    size_t arg_count) const {
  std::vector<const Overload*> out;
  auto it = by_name_.find(name);
  if (it == by_name_.end()) {
    return out;
  }
  for (const auto& o : it->second) {
    if (o->receiver_style == receiver_style && (o->variadic || o->arg_kinds.size() == arg_count)) {
      out.push_back(o.get());
    }
  }
  return out;
}

bool FunctionRegistry::HasName(std::string_view name) const {
  return by_name_.find(name) != by_name_.end();
}

}  // namespace cellar::cel
