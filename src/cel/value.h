// src/cel/value.h: the run-time value of a CEL expression; cheap to copy (heap parts are shared).
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace cellar::cel {

enum class Kind : uint8_t {
  kNull,
  kBool,
  kInt,
  kUint,
  kDouble,
  kString,
  kBytes,
  kList,
  kMap,
  kType,
  kTimestamp,
  kDuration,
  kOptional,
  kMessage,
  kError,
  kUnknown,
};

// "int", "list", "google.protobuf.Timestamp", ... as CEL's type() names them.
std::string_view KindTypeName(Kind kind);

// Equality of two texts, inlined for the short ones policies compare (names, map keys, paths):
// a call to memcmp costs more than the comparison itself.
inline bool SameText(std::string_view a, std::string_view b) {
  size_t n = a.size();
  if (n != b.size()) {
    return false;
  }
  const char* p = a.data();
  const char* q = b.data();
  auto load64 = [](const char* at) {
    uint64_t w;
    std::memcpy(&w, at, 8);
    return w;
  };
  if (n >= 8) {
    if (n > 32) {
      return std::memcmp(p, q, n) == 0;
    }
    // Whole words, the last one overlapping the one before.
    for (size_t i = 0; i + 8 < n; i += 8) {
      if (load64(p + i) != load64(q + i)) {
        return false;
      }
    }
    return load64(p + n - 8) == load64(q + n - 8);
  }
  if (n >= 4) {
    uint32_t x0, y0, x1, y1;
    std::memcpy(&x0, p, 4);
    std::memcpy(&y0, q, 4);
    std::memcpy(&x1, p + n - 4, 4);
    std::memcpy(&y1, q + n - 4, 4);
    return x0 == y0 && x1 == y1;
  }
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != q[i]) {
      return false;
    }
  }
  return true;
}

// text.starts_with(prefix), comparing as SameText does.
inline bool StartsWithText(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && SameText(text.substr(0, prefix.size()), prefix);
}

class Value;

// Heap parts are immutable once the Value holding them is published, so they can be shared
// between threads and between evaluations without locks.
struct Rep {
  virtual ~Rep() = default;
};
struct StringRep final : Rep {
  explicit StringRep(std::string t) : text(std::move(t)) {}
  std::string text;
};
struct ListRep;
struct ErrorRep final : Rep {
  ErrorRep(StatusCode c, std::string m) : code(c), message(std::move(m)) {}
  StatusCode code;
  std::string message;
};
struct UnknownRep final : Rep {
  std::vector<int64_t> expr_ids;  // the expressions whose value is not known
};
class MapRep;
struct OptionalRep;

// A protobuf message (or any other structured object) supplied by a type provider. Implemented
// outside this header so libprotobuf stays out of it.
class MessageRep : public Rep {
 public:
  virtual std::string_view type_name() const = 0;
  // The field's value, or an error value ("no such field").
  virtual Value GetField(std::string_view field) const = 0;
  // has(): presence for message fields and proto2, non-default for proto3 scalars.
  virtual Value HasField(std::string_view field) const = 0;
  virtual bool Equals(const MessageRep& other) const = 0;
  virtual std::string DebugString() const = 0;
  // True for a message with no field set (optional.ofNonZeroValue treats it as zero).
  virtual bool IsEmpty() const { return false; }
};

class Value {
 public:
  Value() : kind_(Kind::kNull), i_(0) {}

  static Value Null() { return Value(); }
  static Value Bool(bool b) {
    Value v(Kind::kBool);
    v.b_ = b;
    return v;
  }
  static Value Int(int64_t i) {
    Value v(Kind::kInt);
    v.i_ = i;
    return v;
  }
  static Value Uint(uint64_t u) {
    Value v(Kind::kUint);
    v.u_ = u;
    return v;
  }
  static Value Double(double d) {
    Value v(Kind::kDouble);
    v.d_ = d;
    return v;
  }
  static Value String(std::string s);
  static Value Bytes(std::string s);
  static Value List(std::vector<Value> elems);
  static Value Map(std::shared_ptr<const MapRep> map);
  static Value Type(std::string name);
  // A value of protobuf enum `type_name` in the strong-enum mode (ProtoProviderOptions): an int
  // to every operator and function, but type() names the enum.
  static Value Enum(std::string type_name, int64_t number);
  // Seconds since the Unix epoch plus nanoseconds in [0, 1e9); range-checked by the caller.
  static Value Timestamp(int64_t seconds, int32_t nanos);
  // Seconds plus nanoseconds with the same sign.
  static Value Duration(int64_t seconds, int32_t nanos);
  static Value Optional(Value inner);
  static Value OptionalNone();
  static Value Message(std::shared_ptr<const MessageRep> message);
  static Value Error(StatusCode code, std::string message);
  static Value Error(std::string message) {
    return Error(StatusCode::kInvalidArgument, std::move(message));
  }
  static Value Unknown(std::vector<int64_t> expr_ids);

  Kind kind() const { return kind_; }
  bool is_error() const { return kind_ == Kind::kError; }
  bool is_unknown() const { return kind_ == Kind::kUnknown; }
  // Errors and unknowns propagate through strict functions.
  bool is_error_or_unknown() const { return kind_ >= Kind::kError; }
  // An int made by Enum(): the only int with a heap part (the enum's type name).
  bool is_enum() const { return kind_ == Kind::kInt && rep_ != nullptr; }

  bool bool_value() const { return b_; }
  int64_t int_value() const { return i_; }
  uint64_t uint_value() const { return u_; }
  double double_value() const { return d_; }
  // String, bytes and type values hold their text here.
  const std::string& string_value() const { return static_cast<const StringRep&>(*rep_).text; }
  const std::vector<Value>& list_elems() const;
  const MapRep& map_value() const;
  int64_t seconds() const { return i_; }
  int32_t nanos() const { return nanos_; }
  // Optional: has_value() and the inner value.
  bool optional_has_value() const;
  const Value& optional_value() const;
  const MessageRep& message_value() const { return static_cast<const MessageRep&>(*rep_); }
  const ErrorRep& error() const { return static_cast<const ErrorRep&>(*rep_); }
  const UnknownRep& unknown() const { return static_cast<const UnknownRep&>(*rep_); }
  const std::shared_ptr<const Rep>& rep() const { return rep_; }

  // The CEL type name of this value ("int", "map", message full name, ...).
  std::string TypeName() const;
  // A readable rendering for messages and tests, not a stable format.
  std::string DebugString() const;

 private:
  explicit Value(Kind k) : kind_(k), i_(0) {}

  Kind kind_;
  int32_t nanos_ = 0;
  union {
    bool b_;
    int64_t i_;
    uint64_t u_;
    double d_;
  };
  std::shared_ptr<const Rep> rep_;
};

struct ListRep final : Rep {
  std::vector<Value> elems;
};
inline const std::vector<Value>& Value::list_elems() const {
  return static_cast<const ListRep&>(*rep_).elems;
}

struct OptionalRep final : Rep {
  bool has_value = false;
  Value value;
};

// Map keys compare with CEL equality, so 1, 1u and 1.0 find the same entry.
class MapRep final : public Rep {
 public:
  // Adds an entry; false when the key is already present (the caller reports the duplicate).
  bool Insert(Value key, Value value);
  const Value* Find(const Value& key) const;
  // Find for a string key without building a Value (field selection).
  const Value* FindString(std::string_view key) const { return FindString(key, HashText(key)); }
  // Same, with `hash` = HashText(key) computed once (a constant field name, at plan time).
  const Value* FindString(std::string_view key, uint64_t hash) const;
  static uint64_t HashText(std::string_view text);
  size_t size() const { return entries_.size(); }
  const std::vector<std::pair<Value, Value>>& entries() const { return entries_; }

 private:
  struct Key {
    uint8_t cls;  // 0 bool, 1 number, 2 string
    bool negative;
    uint64_t number;
    std::string_view text;
    uint64_t hash;
    bool operator==(const Key& o) const {
      return hash == o.hash && cls == o.cls && negative == o.negative && number == o.number &&
             SameText(text, o.text);
    }
  };
  // Returns false when `key` cannot be a map key (or a double with a fraction, which matches
  // nothing).
  static bool MakeKey(const Value& key, Key* out);
  const Value* FindKey(const Key& k) const;
  void Reindex();

  std::vector<std::pair<Value, Value>> entries_;
  std::vector<Key> keys_;  // keys_[i] describes entries_[i].first
  // Small maps are scanned (comparing hashes first); past kIndexThreshold entries an
  // open-addressing table of entry positions + 1 (0 = empty), sized a power of two at most
  // half full.
  static constexpr size_t kIndexThreshold = 8;
  std::vector<uint32_t> table_;
};

// Inline: every field selection and map lookup goes through these.
inline const MapRep& Value::map_value() const { return static_cast<const MapRep&>(*rep_); }
inline bool Value::optional_has_value() const {
  return static_cast<const OptionalRep&>(*rep_).has_value;
}
inline const Value& Value::optional_value() const {
  return static_cast<const OptionalRep&>(*rep_).value;
}

// True for kinds allowed as map keys.
bool IsValidMapKey(const Value& key);

// CEL equality (heterogeneous numbers, deep lists/maps); errors are not handled here.
bool ValuesEqual(const Value& a, const Value& b);
// Three-way comparison for ordered kinds (numbers across kinds, strings, bytes, bools,
// timestamps, durations): -1, 0, 1; 2 when incomparable (NaN or kinds without an order).
int CompareValues(const Value& a, const Value& b);

// Go's strconv.FormatFloat(d, 'g', -1, 64), which CEL's string(double) follows.
std::string FormatDouble(double d);

// Messages used by evaluation errors, kept in one place so tests can match them.
Value NoMatchingOverload(std::string_view function);

}  // namespace cellar::cel
