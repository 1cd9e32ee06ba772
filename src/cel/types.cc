// src/cel/types.cc: type text rendering and parsing.
#include "cel/types.h"

#include <cctype>

#include "base/status_macros.h"

namespace cellar::cel {

Type Type::List(Type elem) {
  Type t = Of(TypeKind::kList);
  t.params.push_back(std::move(elem));
  return t;
}

Type Type::Map(Type key, Type value) {
  Type t = Of(TypeKind::kMap);
  t.params.push_back(std::move(key));
  t.params.push_back(std::move(value));
  return t;
}

Type Type::Message(std::string full_name) {
  Type t = Of(TypeKind::kMessage);
  t.name = std::move(full_name);
  return t;
}

Type Type::Param(std::string name) {
  Type t = Of(TypeKind::kTypeParam);
  t.name = std::move(name);
  return t;
}

Type Type::Wrapper(TypeKind primitive) {
  Type t = Of(TypeKind::kWrapper);
  t.params.push_back(Of(primitive));
  return t;
}

Type Type::Optional(Type elem) {
  Type t = Of(TypeKind::kOptional);
  t.params.push_back(std::move(elem));
  return t;
}

Type Type::TypeOf(Type of) {
  Type t = Of(TypeKind::kType);
  t.params.push_back(std::move(of));
  return t;
}

std::string Type::ToString() const {
  auto with_params = [&](const char* base) {
    std::string out = base;
    if (params.empty()) {
      return out;
    }
    out += "(";
    for (size_t i = 0; i < params.size(); ++i) {
      out += (i ? ", " : "") + params[i].ToString();
    }
    return out + ")";
  };
  switch (kind) {
    case TypeKind::kDyn:
      return "dyn";
    case TypeKind::kNull:
      return "null_type";
    case TypeKind::kBool:
      return "bool";
    case TypeKind::kInt:
      return "int";
    case TypeKind::kUint:
      return "uint";
    case TypeKind::kDouble:
      return "double";
    case TypeKind::kString:
      return "string";
    case TypeKind::kBytes:
      return "bytes";
    case TypeKind::kList:
      return with_params("list");
    case TypeKind::kMap:
      return with_params("map");
    case TypeKind::kType:
      return with_params("type");
    case TypeKind::kTimestamp:
      return "google.protobuf.Timestamp";
    case TypeKind::kDuration:
      return "google.protobuf.Duration";
    case TypeKind::kOptional:
      return with_params("optional_type");
    case TypeKind::kAny:
      return "google.protobuf.Any";
    case TypeKind::kMessage:
    case TypeKind::kTypeParam:
      return name;
    case TypeKind::kError:
      return "*error*";
    case TypeKind::kWrapper:
      return with_params("wrapper");
    case TypeKind::kOpaque:
      return with_params(name.c_str());
  }
  return "dyn";
}

namespace {

class TypeParser {
 public:
  explicit TypeParser(std::string_view s) : s_(s) {}

  StatusOr<Type> ParseAll() {
    CELLAR_ASSIGN_OR_RETURN(Type t, Parse());
    SkipSpace();
    if (pos_ != s_.size()) {
      return InvalidArgumentError("unexpected text in type: '" + std::string(s_) + "'");
    }
    return t;
  }

 private:


  void SkipSpace() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) {
      ++pos_;
    }
  }

  StatusOr<Type> Parse() {
    if (++depth_ > 32) {
      return InvalidArgumentError("type nested too deeply");
    }
    SkipSpace();
    size_t start = pos_;
    while (pos_ < s_.size() &&
           (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_' ||
            s_[pos_] == '.')) {
      ++pos_;
    }
    std::string name(s_.substr(start, pos_ - start));
    if (name.empty()) {
      return InvalidArgumentError("expected a type name in '" + std::string(s_) + "'");
    }
    std::vector<Type> params;
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == '(') {
      ++pos_;
      while (true) {
        CELLAR_ASSIGN_OR_RETURN(Type p, Parse());
        params.push_back(std::move(p));
        SkipSpace();
        if (pos_ < s_.size() && s_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < s_.size() && s_[pos_] == ')') {
          ++pos_;
          break;
        }
        return InvalidArgumentError("expected ',' or ')' in type '" + std::string(s_) + "'");
      }
    }
    --depth_;
    return Build(name, std::move(params));
  }

  StatusOr<Type> Build(const std::string& name, std::vector<Type> params) {
    struct Simple {
      const char* name;
      TypeKind kind;
    };
    static constexpr Simple kSimple[] = {
        {"dyn", TypeKind::kDyn},
        {"null_type", TypeKind::kNull},
        {"bool", TypeKind::kBool},
        {"int", TypeKind::kInt},
        {"uint", TypeKind::kUint},
        {"double", TypeKind::kDouble},
        {"string", TypeKind::kString},
        {"bytes", TypeKind::kBytes},
        {"google.protobuf.Timestamp", TypeKind::kTimestamp},
        {"timestamp", TypeKind::kTimestamp},
        {"google.protobuf.Duration", TypeKind::kDuration},
        {"duration", TypeKind::kDuration},
        {"google.protobuf.Any", TypeKind::kAny},
    };
    for (const auto& s : kSimple) {
      if (name == s.name) {
        if (!params.empty()) {
          return InvalidArgumentError("type '" + name + "' takes no parameters");
        }
        return Type::Of(s.kind);
      }
    }
    Type t;
    if (name == "list") {
      if (params.size() > 1) {
        return InvalidArgumentError("list takes one type parameter");
      }
      t.kind = TypeKind::kList;
      t.params = params.empty() ? std::vector<Type>{Type::Dyn()} : std::move(params);
      return t;
    }
    if (name == "map") {
      if (params.size() != 2 && !params.empty()) {
        return InvalidArgumentError("map takes two type parameters");
      }
      t.kind = TypeKind::kMap;
      t.params = params.empty() ? std::vector<Type>{Type::Dyn(), Type::Dyn()} : std::move(params);
      return t;
    }
    if (name == "optional" || name == "optional_type") {
      t.kind = TypeKind::kOptional;
      t.params = params.empty() ? std::vector<Type>{Type::Dyn()} : std::move(params);
      return t;
    }
    if (name == "wrapper" && params.size() == 1) {
      t.kind = TypeKind::kWrapper;
      t.params = std::move(params);
      return t;
    }
    if (name == "type") {
      t.kind = TypeKind::kType;
      t.params = std::move(params);
      return t;
    }
    if (!params.empty()) {
      // An abstract type such as tuple(A, B).
      t.kind = TypeKind::kOpaque;
      t.name = name;
      t.params = std::move(params);
      return t;
    }
    if (name.size() == 1 && std::isupper(static_cast<unsigned char>(name[0]))) {
      t.kind = TypeKind::kTypeParam;
    } else {
      t.kind = TypeKind::kMessage;
    }
    t.name = name;
    return t;
  }

  std::string_view s_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

StatusOr<Type> ParseType(std::string_view text) { return TypeParser(text).ParseAll(); }

}  // namespace cellar::cel
