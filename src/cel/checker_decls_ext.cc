// src/cel/checker_decls_ext.cc: checker signatures of the extension libraries the engine
// registers (strings, math, encoders, lists, sets, optionals), after cel-go's ext package.
#include "cel/checker_decls.h"

namespace cellar::cel {
namespace {

void AppendStringsExt(std::vector<DeclRow>& out) {
  std::vector<DeclRow> rows = {
      {"string_char_at_int", "charAt", true, "string, int -> string"},
      {"string_index_of_string", "indexOf", true, "string, string -> int"},
      {"string_index_of_string_int", "indexOf", true, "string, string, int -> int"},
      {"string_last_index_of_string", "lastIndexOf", true, "string, string -> int"},
      {"string_last_index_of_string_int", "lastIndexOf", true, "string, string, int -> int"},
      {"string_lower_ascii", "lowerAscii", true, "string -> string"},
      {"string_upper_ascii", "upperAscii", true, "string -> string"},
      {"string_replace_string_string", "replace", true, "string, string, string -> string"},
      {"string_replace_string_string_int", "replace", true,
       "string, string, string, int -> string"},
      {"string_split_string", "split", true, "string, string -> list(string)"},
      {"string_split_string_int", "split", true, "string, string, int -> list(string)"},
      {"string_substring_int", "substring", true, "string, int -> string"},
      {"string_substring_int_int", "substring", true, "string, int, int -> string"},
      {"string_trim", "trim", true, "string -> string"},
      {"list_join", "join", true, "list(string) -> string"},
      {"list_join_string", "join", true, "list(string), string -> string"},
      {"strings_quote", "strings.quote", false, "string -> string"},
      {"string_reverse", "reverse", true, "string -> string"},
      {"string_format", "format", true, "string, list(dyn) -> string"},
  };
  out.insert(out.end(), rows.begin(), rows.end());
}

void AppendMathExt(std::vector<DeclRow>& out) {
  struct Num {
    const char* type;
    const char* id;
  };
  const Num nums[] = {{"int", "int"}, {"uint", "uint"}, {"double", "double"}};
  for (const char* fn : {"greatest", "least"}) {
    std::string name = std::string("math.") + fn;
    std::string id = std::string("math_@") + (fn[0] == 'g' ? "max" : "min");
    for (const Num& a : nums) {
      out.push_back({id + "_" + a.id, name, false, std::string(a.type) + " -> " + a.type});
      // The list form also types calls with three or more arguments (see OverloadDecl).
      out.push_back({id + "_list_" + a.id, name, false,
                     std::string("list(") + a.type + ") -> " + a.type, true});
      for (const Num& b : nums) {
        std::string result = a.type == b.type ? a.type : "dyn";
        out.push_back({id + "_" + a.id + "_" + b.id, name, false,
                       std::string(a.type) + ", " + b.type + " -> " + result});
      }
    }
  }
  for (const char* fn : {"ceil", "floor", "round", "trunc"}) {
    out.push_back({std::string("math_") + fn + "_double", std::string("math.") + fn, false,
                   "double -> double"});
  }
  for (const char* fn : {"isNaN", "isInf", "isFinite"}) {
    out.push_back({std::string("math_") + fn + "_double", std::string("math.") + fn, false,
                   "double -> bool"});
  }
  for (const Num& n : nums) {
    std::string t = n.type;
    out.push_back({std::string("math_abs_") + n.id, "math.abs", false, t + " -> " + t});
    out.push_back({std::string("math_sign_") + n.id, "math.sign", false, t + " -> " + t});
    out.push_back({std::string("math_sqrt_") + n.id, "math.sqrt", false, t + " -> double"});
  }
  for (const Num& n : {nums[0], nums[1]}) {
    std::string t = n.type;
    for (const char* fn : {"bitAnd", "bitOr", "bitXor"}) {
      out.push_back({std::string("math_") + fn + "_" + n.id + "_" + n.id,
                     std::string("math.") + fn, false, t + ", " + t + " -> " + t});
    }
    out.push_back({std::string("math_bitNot_") + n.id, "math.bitNot", false, t + " -> " + t});
    for (const char* fn : {"bitShiftLeft", "bitShiftRight"}) {
      out.push_back({std::string("math_") + fn + "_" + n.id + "_int", std::string("math.") + fn,
                     false, t + ", int -> " + t});
    }
  }
}

void AppendEncodersExt(std::vector<DeclRow>& out) {
  out.push_back({"base64_encode_bytes", "base64.encode", false, "bytes -> string"});
  out.push_back({"base64_decode_string", "base64.decode", false, "string -> bytes"});
}

void AppendListsAndSetsExt(std::vector<DeclRow>& out) {
  std::vector<DeclRow> rows = {
      {"list_slice", "slice", true, "list(A), int, int -> list(A)"},
      {"list_flatten", "flatten", true, "list(list(A)) -> list(A)"},
      {"list_flatten_int", "flatten", true, "list(dyn), int -> list(dyn)"},
      {"list_distinct", "distinct", true, "list(A) -> list(A)"},
      {"lists_range", "lists.range", false, "int -> list(int)"},
      {"list_reverse", "reverse", true, "list(A) -> list(A)"},
      {"list_sort", "sort", true, "list(A) -> list(A)"},
      {"list_sort_by_associated_keys", "lists.@sortByAssociatedKeys", false,
       "list(A), list(B) -> list(A)"},
      {"list_first", "first", true, "list(A) -> optional_type(A)"},
      {"list_last", "last", true, "list(A) -> optional_type(A)"},
      {"list_sets_contains_list", "sets.contains", false, "list(A), list(A) -> bool"},
      {"list_sets_equivalent_list", "sets.equivalent", false, "list(A), list(A) -> bool"},
      {"list_sets_intersects_list", "sets.intersects", false, "list(A), list(A) -> bool"},
  };
  out.insert(out.end(), rows.begin(), rows.end());
}

void AppendOptionalsExt(std::vector<DeclRow>& out) {
  std::vector<DeclRow> rows = {
      {"optional_of", "optional.of", false, "A -> optional_type(A)"},
      {"optional_none", "optional.none", false, " -> optional_type(A)"},
      {"optional_of_non_zero_value", "optional.ofNonZeroValue", false,
       "A -> optional_type(A)"},
      {"optional_has_value", "hasValue", true, "optional_type(A) -> bool"},
      {"optional_value", "value", true, "optional_type(A) -> A"},
      {"optional_or_optional", "or", true,
       "optional_type(A), optional_type(A) -> optional_type(A)"},
      {"optional_orValue_value", "orValue", true, "optional_type(A), A -> A"},
      {"optional_unwrap", "optional.unwrap", false, "list(optional_type(A)) -> list(A)"},
      {"optional_unwrap_opt", "unwrapOpt", true, "list(optional_type(A)) -> list(A)"},
      {"list_optindex_optional_int", "_[?_]", false, "list(V), int -> optional_type(V)"},
      {"optional_list_optindex_optional_int", "_[?_]", false,
       "optional_type(list(V)), int -> optional_type(V)"},
      {"map_optindex_optional_value", "_[?_]", false, "map(K, V), K -> optional_type(V)"},
      {"optional_map_optindex_optional_value", "_[?_]", false,
       "optional_type(map(K, V)), K -> optional_type(V)"},
      {"optional_list_index_int", "_[_]", false,
       "optional_type(list(V)), int -> optional_type(V)"},
      {"optional_map_index_value", "_[_]", false,
       "optional_type(map(K, V)), K -> optional_type(V)"},
  };
  out.insert(out.end(), rows.begin(), rows.end());
}

}  // namespace

void AppendExtensionDeclRows(std::vector<DeclRow>& out) {
  AppendStringsExt(out);
  AppendMathExt(out);
  AppendEncodersExt(out);
  AppendListsAndSetsExt(out);
  AppendOptionalsExt(out);
}

}  // namespace cellar::cel
