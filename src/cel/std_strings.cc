// src/cel/std_strings.cc: contains, startsWith, endsWith and RE2 `matches`.
#include <re2/re2.h>

#include <memory>
#include <unordered_map>

#include "cel/library.h"

namespace cellar::cel {
namespace {

constexpr Kind S = Kind::kString;

// Compiled patterns, per thread so evaluation takes no lock; bounded so hostile programs
// cannot grow it without limit.
const RE2* CompiledPattern(const std::string& pattern) {
  thread_local std::unordered_map<std::string, std::unique_ptr<RE2>> cache;
  auto it = cache.find(pattern);
  if (it != cache.end()) {
    return it->second.get();
  }
  if (cache.size() >= 256) {
    cache.clear();
  }
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(pattern, options);
  const RE2* out = re.get();
  cache.emplace(pattern, std::move(re));
  return out;
}

Value Matches(const Value& text, const Value& pattern) {
  const RE2* re = CompiledPattern(pattern.string_value());
  if (!re->ok()) {
    return Value::Error("invalid regular expression '" + pattern.string_value() +
                        "': " + re->error());
  }
  const std::string& s = text.string_value();
  return Value::Bool(re->Match(s, 0, s.size(), RE2::UNANCHORED, nullptr, 0));
}

}  // namespace

Value StdStartsWith(const Value& text, const Value& prefix, EvalContext&) {
  return Value::Bool(StartsWithText(text.string_value(), prefix.string_value()));
}

Value StdMatches(const Value& text, const Value& pattern, EvalContext&) {
  return Matches(text, pattern);
}

void RegisterStringFunctions(FunctionRegistry& r) {
  r.Add("contains", true, S, S, [](const Value& a0, const Value& a1, EvalContext&) -> Value {
    return Value::Bool(a0.string_value().find(a1.string_value()) != std::string::npos);
  });
  r.Add("startsWith", true, S, S, StdStartsWith);
  r.Add("endsWith", true, S, S, [](const Value& a0, const Value& a1, EvalContext&) -> Value {
    const std::string& s = a0.string_value();
    const std::string& suffix = a1.string_value();
    return Value::Bool(s.size() >= suffix.size() &&
                       s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0);
  });
  r.Add("matches", true, S, S, StdMatches);
  r.Add("matches", false, S, S, StdMatches);
}

}  // namespace cellar::cel
