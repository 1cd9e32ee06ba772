// src/cel/library.h: registration of the built-in function libraries into a registry.
// Internal to src/cel; Env's Add*() methods call these.
#pragma once

#include <string>

#include "cel/function_registry.h"

namespace cellar::cel {

void RegisterOperators(FunctionRegistry& r);        // arithmetic, comparison, equality, in, size
void RegisterConversions(FunctionRegistry& r);      // int(), string(), type(), dyn(), ...
void RegisterStringFunctions(FunctionRegistry& r);  // contains, startsWith, matches, ...
void RegisterTimeFunctions(FunctionRegistry& r);    // timestamp/duration arithmetic, getters
void RegisterStringsExtension(FunctionRegistry& r);
void RegisterMathExtension(FunctionRegistry& r);
void RegisterEncodersExtension(FunctionRegistry& r);
void RegisterListsExtension(FunctionRegistry& r);
void RegisterSetsExtension(FunctionRegistry& r);
void RegisterOptionalsExtension(FunctionRegistry& r);

// Standard functions the planner recognises (by these pointers, so an Env that replaced them
// keeps its own) to build specialised nodes.
Value StdEquals(const Value& a, const Value& b, EvalContext& ctx);
Value StdNotEquals(const Value& a, const Value& b, EvalContext& ctx);
Value StdInList(const Value& element, const Value& list, EvalContext& ctx);
Value StdInMap(const Value& key, const Value& map, EvalContext& ctx);
Value StdStringConcat(const Value& a, const Value& b, EvalContext& ctx);
Value StdStartsWith(const Value& text, const Value& prefix, EvalContext& ctx);
Value StdMatches(const Value& text, const Value& pattern, EvalContext& ctx);
Value StdSplit(const Value& text, const Value& separator, EvalContext& ctx);
// The ordering operators _<_, _<=_, _>_, _>=_ for `op` 0, 1, 2, 3.
BinaryFn StdOrdering(int op);

// Standard base64 (with padding); Decode accepts input with or without padding.
std::string Base64Encode(const std::string& in);
bool Base64Decode(const std::string& in, std::string* out);

}  // namespace cellar::cel
