// src/cel/std_strings.cc: contains, startsWith, endsWith and RE2 `matches`.
#include <memory>
#include <unordered_map>

#include <re2/re2.h>

#include "cel/library.h"

namespace cellar::cel {
namespace {

using Args = std::span<const Value>;
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
  return Value::Bool(RE2::PartialMatch(text.string_value(), *re));
}

}  // namespace

void RegisterStringFunctions(FunctionRegistry& r) {
  r.Add("contains", true, {S, S}, [](Args a, EvalContext&) {
    return Value::Bool(a[0].string_value().find(a[1].string_value()) != std::string::npos);
  });
  r.Add("startsWith", true, {S, S}, [](Args a, EvalContext&) {
    return Value::Bool(a[0].string_value().rfind(a[1].string_value(), 0) == 0);
  });
  r.Add("endsWith", true, {S, S}, [](Args a, EvalContext&) {
    const std::string& s = a[0].string_value();
    const std::string& suffix = a[1].string_value();
    return Value::Bool(s.size() >= suffix.size() &&
                       s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0);
  });
  r.Add("matches", true, {S, S}, [](Args a, EvalContext&) { return Matches(a[0], a[1]); });
  r.Add("matches", false, {S, S}, [](Args a, EvalContext&) { return Matches(a[0], a[1]); });
}

}  // namespace cellar::cel
