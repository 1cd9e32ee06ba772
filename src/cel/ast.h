// src/cel/ast.h: the parsed (macro-expanded) expression tree, with ids and source offsets.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cel/value.h"

namespace cellar::cel {

enum class ExprKind : uint8_t {
  kConst,
  kIdent,
  kSelect,
  kCall,
  kList,
  kMap,
  kStruct,
  kComprehension,
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Entry {
  int64_t id = 0;
  std::string field;  // struct field name (kStruct)
  ExprPtr key;        // map key (kMap)
  ExprPtr value;
  bool optional = false;  // `?key: value`
};

// One node. Which members are meaningful depends on `kind`; the layout follows cel-spec's
// syntax.proto so tools and the checker can walk it the same way.
struct Expr {
  int64_t id = 0;
  int32_t offset = 0;  // byte offset of the node's token in the source
  ExprKind kind = ExprKind::kConst;

  Value constant;          // kConst
  std::string name;        // kIdent name, kSelect field, kCall function, kStruct type name
  ExprPtr target;          // kSelect operand, kCall receiver (may be null)
  bool test_only = false;  // kSelect produced by has()
  std::vector<ExprPtr> args;             // kCall arguments, kList elements
  std::vector<int32_t> optional_indices;  // kList elements written `?e`
  std::vector<Entry> entries;            // kMap, kStruct

  // kComprehension, as cel-spec defines it.
  std::string iter_var;
  std::string iter_var2;  // two-variable comprehensions; empty otherwise
  std::string accu_var;
  ExprPtr iter_range;
  ExprPtr accu_init;
  ExprPtr loop_condition;
  ExprPtr loop_step;
  ExprPtr result;
};

// Reserved accumulator name used by the standard macros.
inline constexpr char kAccuVar[] = "@result";

}  // namespace cellar::cel
