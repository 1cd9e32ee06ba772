// src/cel/checker_decls_std.cc: checker signatures of the standard library (operators,
// conversions, strings, timestamps and durations), with cel-go's overload ids.
#include "cel/checker_decls.h"

namespace cellar::cel {
namespace {

void AppendOperators(std::vector<DeclRow>& out) {
  std::vector<DeclRow> rows = {
      {"conditional", "_?_:_", false, "bool, A, A -> A"},
      {"logical_and", "_&&_", false, "bool, bool -> bool"},
      {"logical_or", "_||_", false, "bool, bool -> bool"},
      {"logical_not", "!_", false, "bool -> bool"},
      {"not_strictly_false", "@not_strictly_false", false, "bool -> bool"},
      {"equals", "_==_", false, "A, A -> bool"},
      {"not_equals", "_!=_", false, "A, A -> bool"},
      {"add_int64", "_+_", false, "int, int -> int"},
      {"add_uint64", "_+_", false, "uint, uint -> uint"},
      {"add_double", "_+_", false, "double, double -> double"},
      {"add_string", "_+_", false, "string, string -> string"},
      {"add_bytes", "_+_", false, "bytes, bytes -> bytes"},
      {"add_list", "_+_", false, "list(A), list(A) -> list(A)"},
      {"add_timestamp_duration", "_+_", false, "timestamp, duration -> timestamp"},
      {"add_duration_timestamp", "_+_", false, "duration, timestamp -> timestamp"},
      {"add_duration_duration", "_+_", false, "duration, duration -> duration"},
      {"subtract_int64", "_-_", false, "int, int -> int"},
      {"subtract_uint64", "_-_", false, "uint, uint -> uint"},
      {"subtract_double", "_-_", false, "double, double -> double"},
      {"subtract_timestamp_timestamp", "_-_", false, "timestamp, timestamp -> duration"},
      {"subtract_timestamp_duration", "_-_", false, "timestamp, duration -> timestamp"},
      {"subtract_duration_duration", "_-_", false, "duration, duration -> duration"},
      {"multiply_int64", "_*_", false, "int, int -> int"},
      {"multiply_uint64", "_*_", false, "uint, uint -> uint"},
      {"multiply_double", "_*_", false, "double, double -> double"},
      {"divide_int64", "_/_", false, "int, int -> int"},
      {"divide_uint64", "_/_", false, "uint, uint -> uint"},
      {"divide_double", "_/_", false, "double, double -> double"},
      {"modulo_int64", "_%_", false, "int, int -> int"},
      {"modulo_uint64", "_%_", false, "uint, uint -> uint"},
      {"negate_int64", "-_", false, "int -> int"},
      {"negate_double", "-_", false, "double -> double"},
      {"negate_duration", "-_", false, "duration -> duration"},
      {"index_list", "_[_]", false, "list(A), int -> A"},
      {"index_map", "_[_]", false, "map(K, V), K -> V"},
      {"in_list", "@in", false, "A, list(A) -> bool"},
      {"in_map", "@in", false, "K, map(K, V) -> bool"},
      {"size_string", "size", false, "string -> int"},
      {"size_bytes", "size", false, "bytes -> int"},
      {"size_list", "size", false, "list(A) -> int"},
      {"size_map", "size", false, "map(K, V) -> int"},
      {"string_size", "size", true, "string -> int"},
      {"bytes_size", "size", true, "bytes -> int"},
      {"list_size", "size", true, "list(A) -> int"},
      {"map_size", "size", true, "map(K, V) -> int"},
      // Transform macros accumulate into a map through this helper.
      {"map_insert_key_value", "cel.@mapInsert", false, "map(K, V), K, V -> map(K, V)"},
      {"map_insert_map", "cel.@mapInsert", false, "map(K, V), map(K, V) -> map(K, V)"},
  };
  out.insert(out.end(), rows.begin(), rows.end());

  // Ordering: every ordered type with itself, and the numeric types with each other.
  struct Op {
    const char* name;
    const char* id;
  };
  const Op ops[] = {{"_<_", "less"}, {"_<=_", "less_equals"}, {"_>_", "greater"},
                    {"_>=_", "greater_equals"}};
  struct Ordered {
    const char* type;
    const char* id;
  };
  const Ordered same[] = {{"bool", "bool"},          {"int", "int64"},     {"uint", "uint64"},
                          {"double", "double"},      {"string", "string"}, {"bytes", "bytes"},
                          {"timestamp", "timestamp"}, {"duration", "duration"}};
  const Ordered numeric[] = {{"int", "int64"}, {"uint", "uint64"}, {"double", "double"}};
  for (const Op& op : ops) {
    for (const Ordered& t : same) {
      out.push_back({std::string(op.id) + "_" + t.id, op.name, false,
                     std::string(t.type) + ", " + t.type + " -> bool"});
    }
    for (const Ordered& a : numeric) {
      for (const Ordered& b : numeric) {
        if (a.type == b.type) {
          continue;
        }
        out.push_back({std::string(op.id) + "_" + a.id + "_" + b.id, op.name, false,
                       std::string(a.type) + ", " + b.type + " -> bool"});
      }
    }
  }
}

void AppendConversions(std::vector<DeclRow>& out) {
  std::vector<DeclRow> rows = {
      {"int64_to_int64", "int", false, "int -> int"},
      {"uint64_to_int64", "int", false, "uint -> int"},
      {"double_to_int64", "int", false, "double -> int"},
      {"string_to_int64", "int", false, "string -> int"},
      {"timestamp_to_int64", "int", false, "timestamp -> int"},
      {"duration_to_int64", "int", false, "duration -> int"},
      {"uint64_to_uint64", "uint", false, "uint -> uint"},
      {"int64_to_uint64", "uint", false, "int -> uint"},
      {"double_to_uint64", "uint", false, "double -> uint"},
      {"string_to_uint64", "uint", false, "string -> uint"},
      {"double_to_double", "double", false, "double -> double"},
      {"int64_to_double", "double", false, "int -> double"},
      {"uint64_to_double", "double", false, "uint -> double"},
      {"string_to_double", "double", false, "string -> double"},
      {"string_to_string", "string", false, "string -> string"},
      {"int64_to_string", "string", false, "int -> string"},
      {"uint64_to_string", "string", false, "uint -> string"},
      {"double_to_string", "string", false, "double -> string"},
      {"bool_to_string", "string", false, "bool -> string"},
      {"bytes_to_string", "string", false, "bytes -> string"},
      {"timestamp_to_string", "string", false, "timestamp -> string"},
      {"duration_to_string", "string", false, "duration -> string"},
      {"bytes_to_bytes", "bytes", false, "bytes -> bytes"},
      {"string_to_bytes", "bytes", false, "string -> bytes"},
      {"bool_to_bool", "bool", false, "bool -> bool"},
      {"string_to_bool", "bool", false, "string -> bool"},
      {"string_to_timestamp", "timestamp", false, "string -> timestamp"},
      {"timestamp_to_timestamp", "timestamp", false, "timestamp -> timestamp"},
      {"int64_to_timestamp", "timestamp", false, "int -> timestamp"},
      {"string_to_duration", "duration", false, "string -> duration"},
      {"duration_to_duration", "duration", false, "duration -> duration"},
      {"to_dyn", "dyn", false, "A -> dyn"},
      {"type", "type", false, "A -> type(A)"},
  };
  out.insert(out.end(), rows.begin(), rows.end());
}

void AppendStrings(std::vector<DeclRow>& out) {
  std::vector<DeclRow> rows = {
      {"contains_string", "contains", true, "string, string -> bool"},
      {"starts_with_string", "startsWith", true, "string, string -> bool"},
      {"ends_with_string", "endsWith", true, "string, string -> bool"},
      {"matches", "matches", false, "string, string -> bool"},
      {"matches_string", "matches", true, "string, string -> bool"},
  };
  out.insert(out.end(), rows.begin(), rows.end());
}

void AppendTime(std::vector<DeclRow>& out) {
  struct Getter {
    const char* name;
    const char* id;
    bool duration;  // also defined on durations
  };
  const Getter getters[] = {
      {"getFullYear", "year", false},         {"getMonth", "month", false},
      {"getDayOfYear", "day_of_year", false}, {"getDayOfMonth", "day_of_month", false},
      {"getDate", "day_of_month_1_based", false}, {"getDayOfWeek", "day_of_week", false},
      {"getHours", "hours", true},            {"getMinutes", "minutes", true},
      {"getSeconds", "seconds", true},        {"getMilliseconds", "milliseconds", true},
  };
  for (const Getter& g : getters) {
    out.push_back({std::string("timestamp_to_") + g.id, g.name, true, "timestamp -> int"});
    out.push_back({std::string("timestamp_to_") + g.id + "_with_tz", g.name, true,
                   "timestamp, string -> int"});
    if (g.duration) {
      out.push_back({std::string("duration_to_") + g.id, g.name, true, "duration -> int"});
    }
  }
}

}  // namespace

void AppendStandardDeclRows(std::vector<DeclRow>& out) {
  AppendOperators(out);
  AppendConversions(out);
  AppendStrings(out);
  AppendTime(out);
}

}  // namespace cellar::cel
