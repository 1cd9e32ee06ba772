// src/cel/checker_types.cc: unification and generality of checker types, following cel-go's
// checker/types.go (with wrappers and null kept as their own kinds).
#include "cel/checker_types.h"

#include <utility>

namespace cellar::cel {
namespace {

bool IsDynOrError(const Type& t) { return IsDynType(t) || t.kind == TypeKind::kError; }

bool IsPrimitive(TypeKind k) {
  return k == TypeKind::kBool || k == TypeKind::kInt || k == TypeKind::kUint ||
         k == TypeKind::kDouble || k == TypeKind::kString || k == TypeKind::kBytes;
}

// Types that admit null: messages and the well-known types the legacy checker made nullable.
bool IsNullable(const Type& t) {
  switch (t.kind) {
    case TypeKind::kNull:
    case TypeKind::kWrapper:
    case TypeKind::kMessage:
    case TypeKind::kAny:
    case TypeKind::kTimestamp:
    case TypeKind::kDuration:
    case TypeKind::kOptional:
    case TypeKind::kOpaque:
      return true;
    default:
      return false;
  }
}

// t1's primitive or wrapper matches t2's primitive or wrapper of the same primitive.
bool SamePrimitive(const Type& t1, const Type& t2) {
  TypeKind a = t1.kind == TypeKind::kWrapper ? t1.params[0].kind : t1.kind;
  TypeKind b = t2.kind == TypeKind::kWrapper ? t2.params[0].kind : t2.kind;
  return a == b;
}

bool IsEqualOrLessSpecific(const Type& t1, const Type& t2) {
  if (IsDynType(t1) || t1.kind == TypeKind::kTypeParam) {
    return true;
  }
  if (IsDynType(t2) || t2.kind == TypeKind::kTypeParam) {
    return false;
  }
  if (t2.kind == TypeKind::kNull) {
    return IsNullable(t1);
  }
  if (t1.kind == TypeKind::kWrapper && IsPrimitive(t2.kind)) {
    return SamePrimitive(t1, t2);
  }
  if (t1.kind != t2.kind) {
    return false;
  }
  switch (t1.kind) {
    case TypeKind::kOpaque:
    case TypeKind::kOptional:
    case TypeKind::kList:
    case TypeKind::kMap:
      if (t1.name != t2.name || t1.params.size() != t2.params.size()) {
        return false;
      }
      for (size_t i = 0; i < t1.params.size(); ++i) {
        if (!IsEqualOrLessSpecific(t1.params[i], t2.params[i])) {
          return false;
        }
      }
      return true;
    case TypeKind::kType:
      return true;
    default:
      return t1 == t2;
  }
}

// The occurs check: false if `param` appears in `within` (through bindings too).
bool NotReferencedIn(const TypeSubstitution& subs, const Type& param, const Type& within) {
  if (param == within) {
    return false;
  }
  if (within.kind == TypeKind::kTypeParam) {
    const Type* sub = subs.Find(within);
    return sub == nullptr || NotReferencedIn(subs, param, *sub);
  }
  for (const Type& p : within.params) {
    if (!NotReferencedIn(subs, param, p)) {
      return false;
    }
  }
  return true;
}

// Whether t2 (a type parameter, or its binding) can stand for t1; binds or widens it.
// `has_sub` reports whether t2 already had a binding.
bool IsValidSubstitution(TypeSubstitution& subs, const Type& t1, const Type& t2, bool* has_sub) {
  *has_sub = false;
  if (t1 == t2) {
    *has_sub = true;
    return true;
  }
  if (const Type* found = subs.Find(t2)) {
    *has_sub = true;
    Type t2_sub = *found;
    if (t1 == t2_sub) {
      return true;
    }
    if (IsAssignable(subs, t1, t2_sub)) {
      Type widened = MostGeneral(t1, t2_sub);
      if (NotReferencedIn(subs, t2, widened)) {
        subs.Add(t2, std::move(widened));
      }
      return true;
    }
    return false;
  }
  if (NotReferencedIn(subs, t2, t1)) {
    subs.Add(t2, t1);
    return true;
  }
  return false;
}

bool IsAssignableParams(TypeSubstitution& subs, const Type& t1, const Type& t2) {
  if (t1.params.size() != t2.params.size()) {
    return false;
  }
  for (size_t i = 0; i < t1.params.size(); ++i) {
    if (!IsAssignable(subs, t1.params[i], t2.params[i])) {
      return false;
    }
  }
  return true;
}

}  // namespace

namespace {

// N for a checker type variable "_var<N>".
std::optional<size_t> TypeVarNumber(const std::string& name) {
  if (name.size() <= 4 || name.compare(0, 4, "_var") != 0) {
    return std::nullopt;
  }
  size_t n = 0;
  for (size_t i = 4; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9' || n > (size_t{1} << 40)) {
      return std::nullopt;
    }
    n = n * 10 + static_cast<size_t>(name[i] - '0');
  }
  return n;
}

}  // namespace

std::optional<Type>* TypeSubstitution::Slot(const Type& param, bool create, bool* numbered,
                                             size_t* index) {
  if (auto n = TypeVarNumber(param.name)) {
    *numbered = true;
    *index = *n;
    if (*n >= numbered_.size()) {
      if (!create) {
        return nullptr;
      }
      numbered_.resize(*n + 1);
    }
    return &numbered_[*n];
  }
  *numbered = false;
  for (size_t i = 0; i < named_.size(); ++i) {
    if (named_[i].first == param.name) {
      *index = i;
      return &named_[i].second;
    }
  }
  if (!create) {
    return nullptr;
  }
  *index = named_.size();
  named_.emplace_back(param.name, std::nullopt);
  return &named_.back().second;
}

const Type* TypeSubstitution::Find(const Type& param) const {
  if (param.kind != TypeKind::kTypeParam) {
    return nullptr;
  }
  bool numbered = false;
  size_t index = 0;
  auto* slot = const_cast<TypeSubstitution*>(this)->Slot(param, false, &numbered, &index);
  return slot != nullptr && slot->has_value() ? &**slot : nullptr;
}

void TypeSubstitution::Add(const Type& param, Type t) {
  bool numbered = false;
  size_t index = 0;
  std::optional<Type>* slot = Slot(param, true, &numbered, &index);
  undo_.push_back(Undo{numbered, index, std::move(*slot)});
  *slot = std::move(t);
}

void TypeSubstitution::Rollback(size_t mark) {
  while (undo_.size() > mark) {
    Undo& u = undo_.back();
    std::optional<Type>& slot = u.numbered ? numbered_[u.index] : named_[u.index].second;
    slot = std::move(u.previous);
    undo_.pop_back();
  }
}

bool QuickReject(const Type& arg, const Type& param) {
  auto concrete = [](const Type& t) {
    switch (t.kind) {
      case TypeKind::kDyn:
      case TypeKind::kAny:
      case TypeKind::kError:
      case TypeKind::kTypeParam:
      case TypeKind::kNull:
      case TypeKind::kWrapper:
        return false;
      default:
        return true;
    }
  };
  return concrete(arg) && concrete(param) && arg.kind != param.kind;
}

Type NormalizeWellKnown(const Type& t) {
  size_t want = t.kind == TypeKind::kMap ? 2
                : t.kind == TypeKind::kList || t.kind == TypeKind::kOptional ||
                        t.kind == TypeKind::kWrapper
                    ? 1
                    : t.params.size();
  if (t.params.size() != want) {
    if (t.kind == TypeKind::kWrapper) {
      return Type::Dyn();
    }
    Type fixed = t;
    fixed.params.assign(want, Type::Dyn());
    return fixed;
  }
  if (t.kind == TypeKind::kMessage) {
    static const std::pair<const char*, TypeKind> kWrappers[] = {
        {"google.protobuf.BoolValue", TypeKind::kBool},
        {"google.protobuf.Int32Value", TypeKind::kInt},
        {"google.protobuf.Int64Value", TypeKind::kInt},
        {"google.protobuf.UInt32Value", TypeKind::kUint},
        {"google.protobuf.UInt64Value", TypeKind::kUint},
        {"google.protobuf.FloatValue", TypeKind::kDouble},
        {"google.protobuf.DoubleValue", TypeKind::kDouble},
        {"google.protobuf.StringValue", TypeKind::kString},
        {"google.protobuf.BytesValue", TypeKind::kBytes},
    };
    if (t.name.rfind("google.protobuf.", 0) != 0) {
      return t;
    }
    for (const auto& [name, kind] : kWrappers) {
      if (t.name == name) {
        return Type::Wrapper(kind);
      }
    }
    if (t.name == "google.protobuf.Timestamp") {
      return Type::Of(TypeKind::kTimestamp);
    }
    if (t.name == "google.protobuf.Duration") {
      return Type::Of(TypeKind::kDuration);
    }
    if (t.name == "google.protobuf.Any") {
      return Type::Of(TypeKind::kAny);
    }
    if (t.name == "google.protobuf.Value") {
      return Type::Dyn();
    }
    if (t.name == "google.protobuf.ListValue") {
      return Type::List(Type::Dyn());
    }
    if (t.name == "google.protobuf.Struct") {
      return Type::Map(Type::Of(TypeKind::kString), Type::Dyn());
    }
    if (t.name == "google.protobuf.NullValue") {
      return Type::Of(TypeKind::kNull);
    }
    return t;
  }
  if (t.params.empty()) {
    return t;
  }
  Type out = t;
  for (Type& p : out.params) {
    p = NormalizeWellKnown(p);
  }
  return out;
}

bool IsDynType(const Type& t) { return t.kind == TypeKind::kDyn || t.kind == TypeKind::kAny; }

bool IsAssignable(TypeSubstitution& subs, const Type& t1, const Type& t2) {
  if (t2.kind == TypeKind::kTypeParam) {
    bool has_sub = false;
    if (IsValidSubstitution(subs, t1, t2, &has_sub)) {
      return true;
    }
    if (has_sub) {
      return false;
    }
  }
  if (t1.kind == TypeKind::kTypeParam) {
    bool has_sub = false;
    return IsValidSubstitution(subs, t2, t1, &has_sub);
  }
  if (IsDynOrError(t1) || IsDynOrError(t2)) {
    return true;
  }
  if (t1.kind == TypeKind::kNull) {
    return IsNullable(t2);
  }
  if (t2.kind == TypeKind::kNull) {
    return IsNullable(t1);
  }
  if (IsPrimitive(t1.kind) || t1.kind == TypeKind::kWrapper) {
    return (IsPrimitive(t2.kind) || t2.kind == TypeKind::kWrapper) && SamePrimitive(t1, t2);
  }
  if (t1.kind != t2.kind) {
    return false;
  }
  switch (t1.kind) {
    case TypeKind::kList:
    case TypeKind::kMap:
    case TypeKind::kOptional:
    case TypeKind::kOpaque:
      return t1.name == t2.name && IsAssignableParams(subs, t1, t2);
    case TypeKind::kType:
      return true;
    case TypeKind::kMessage:
      return t1.name == t2.name;
    default:
      return true;  // timestamp, duration
  }
}

bool IsAssignableCommit(TypeSubstitution& subs, const Type& t1, const Type& t2) {
  size_t mark = subs.Mark();
  if (!IsAssignable(subs, t1, t2)) {
    subs.Rollback(mark);
    return false;
  }
  return true;
}

Type MostGeneral(const Type& t1, const Type& t2) {
  return IsEqualOrLessSpecific(t1, t2) ? t1 : t2;
}

bool HasTypeParams(const Type& t) {
  if (t.kind == TypeKind::kTypeParam) {
    return true;
  }
  for (const Type& p : t.params) {
    if (HasTypeParams(p)) {
      return true;
    }
  }
  return false;
}

Type Substitute(const TypeSubstitution& subs, const Type& t, bool free_to_dyn) {
  if (!HasTypeParams(t)) {
    return t;
  }
  if (const Type* sub = subs.Find(t)) {
    return Substitute(subs, *sub, free_to_dyn);
  }
  if (t.kind == TypeKind::kTypeParam) {
    return free_to_dyn ? Type::Dyn() : t;
  }
  if (t.params.empty() || t.kind == TypeKind::kWrapper) {
    return t;
  }
  Type out = t;
  for (Type& p : out.params) {
    p = Substitute(subs, p, free_to_dyn);
  }
  return out;
}

}  // namespace cellar::cel
