// src/hcl/value.h: the result of constant evaluation: null, bool, number, string, list or map.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hcl/diagnostic.h"

namespace cellar::hcl {

// A value remembers the source range it came from so later checks (a policy decoder, a config
// loader) can report "file:line:col: ..." for it. Maps keep their source order; keys are unique.
class Value {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kList, kMap };
  using List = std::vector<Value>;
  using Map = std::vector<std::pair<std::string, Value>>;

  Value() = default;  // null
  static Value Null(Range r = {});
  static Value Bool(bool b, Range r = {});
  static Value Number(double n, Range r = {});
  static Value String(std::string s, Range r = {});
  static Value MakeList(List items, Range r = {});
  static Value MakeMap(Map entries, Range r = {});

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  bool is_number() const { return kind_ == Kind::kNumber; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_list() const { return kind_ == Kind::kList; }
  bool is_map() const { return kind_ == Kind::kMap; }

  // Accessors return the zero value when the kind differs; check the kind first.
  bool as_bool() const { return kind_ == Kind::kBool && bool_; }
  double as_number() const { return kind_ == Kind::kNumber ? number_ : 0; }
  const std::string& as_string() const { return string_; }
  const List& as_list() const { return list_; }
  const Map& as_map() const { return map_; }
  List& mutable_list() { return list_; }
  Map& mutable_map() { return map_; }

  // Map lookup; nullptr when absent or not a map.
  const Value* Find(std::string_view key) const;

  const Range& range() const { return range_; }
  void set_range(const Range& r) { range_ = r; }

  // "null", "true", "3", "1.5", "\"s\"", "[1, 2]", "{\"a\" = 1}": for messages and tests.
  std::string DebugString() const;

  // Structural equality, ignoring ranges.
  friend bool operator==(const Value& a, const Value& b);

 private:
  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  List list_;
  Map map_;
  Range range_;
};

std::string_view KindName(Value::Kind kind);  // "null", "bool", "number", "string", "list", "map"

// Formats a number as HCL prints it: integers without a decimal point.
std::string FormatNumber(double n);

}  // namespace cellar::hcl
