// bench/cel/native_cases.h: hand-written C++ equivalents of some benchmark cases, the floor the
// engine is measured against.
#pragma once

#include <functional>
#include <map>
#include <string>

#include <boost/json/fwd.hpp>

namespace cellar::cel::bench {

// Builds native data from the cases file's bindings once, and returns one closure per case
// name it knows (each returns the case's boolean/string result, as an int to keep it simple).
std::map<std::string, std::function<int()>> NativeCases(const boost::json::object& bindings);

}  // namespace cellar::cel::bench
