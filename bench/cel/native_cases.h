// bench/cel/native_cases.h: hand-written C++ equivalents of some benchmark cases, the floor the
// engine is measured against.
#pragma once

#include <boost/json/fwd.hpp>
#include <functional>
#include <map>
#include <string>

namespace cellar::cel::bench {

// One closure per case name it knows, each checking the case over a copy of the cases file's
// bindings (its boolean/string result as an int, to keep it simple).
std::map<std::string, std::function<int()>> NativeCases(const boost::json::object& bindings);

}  // namespace cellar::cel::bench
