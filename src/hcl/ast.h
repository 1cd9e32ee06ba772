// src/hcl/ast.h: the syntax tree shared by native HCL and JSON: bodies, blocks, expressions.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "hcl/diagnostic.h"

namespace cellar::hcl {

// Every expression is one Expr: a kind, a source range, a few scalar fields and its children.
// A walker (the evaluator, the dumper, the profiles layer lowering to CEL) switches on `kind`.
// Layout of `children` and the meaning of `text` per kind ("?" = may be nullptr):
//   kNull, kBool(boolean), kNumber(number; text = source spelling)  no children
//   kString        text = decoded value                           no children
//   kTemplate      parts: kString literals, interpolated exprs, kTemplateIf, kTemplateFor.
//                  A template that is exactly one "${expr}" yields that expr's value unconverted.
//   kTemplateIf    [cond, then (kTemplate), else? (kTemplate)]
//   kTemplateFor   key_var?, value_var; [collection, body (kTemplate)]
//   kVariable      text = name                                     no children
//   kGetAttr       text = attribute name; [object]
//   kIndex         [collection, key]; kFlagLegacyIndex for `a.0`
//   kSplat         [source, each]; `each` is evaluated per element with kSplatItem standing for
//                  the element (each may be just kSplatItem). kFlagAttrSplat for `.*`.
//   kSplatItem     the current splat element                       no children
//   kCall          text = function name (may contain "::"); [args...]; kFlagExpandFinal for `...`
//   kTuple         [elements...]
//   kObject        [key0, value0, key1, value1, ...]; a bare identifier key is a kString with
//                  kFlagBareKey
//   kConditional   [cond, if_true, if_false]
//   kUnary         op = kNot|kNeg; [operand]
//   kBinary        op; [lhs, rhs]
//   kFor           key_var?, value_var; [collection, key?, value, cond?]; key is set iff
//                  kFlagObjectFor; kFlagGrouping for `...` after the value
//   kParens        [inner]
//   kInvalid       stands in for an expression that failed to parse (an error was reported)
enum class ExprKind : uint8_t {
  kInvalid,
  kNull,
  kBool,
  kNumber,
  kString,
  kTemplate,
  kTemplateIf,
  kTemplateFor,
  kVariable,
  kGetAttr,
  kIndex,
  kSplat,
  kSplatItem,
  kCall,
  kTuple,
  kObject,
  kConditional,
  kUnary,
  kBinary,
  kFor,
  kParens,
};

enum class Op : uint8_t {
  kNone,
  kNot,
  kNeg,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kAnd,
  kOr,
};

enum ExprFlag : uint8_t {
  kFlagLegacyIndex = 1 << 0,
  kFlagAttrSplat = 1 << 1,
  kFlagExpandFinal = 1 << 2,
  kFlagBareKey = 1 << 3,
  kFlagObjectFor = 1 << 4,
  kFlagGrouping = 1 << 5,
  kFlagHeredoc = 1 << 6,
  kFlagFromJson = 1 << 7,  // a JSON value: strings are literal unless they held ${ or %{
};

std::string_view ExprKindName(ExprKind kind);
std::string_view OpName(Op op);  // "+", "==", "!", ...

// Arena-allocated and trivially destructible; owned by the File that produced it. A large file
// holds one node per few bytes of source, so the node is kept small: fields that no kind uses
// together share storage. Only kFor and kTemplateFor have loop variables, and they have no text
// and no number; read a field only for the kinds that set it (see the table above).
struct Expr {
  Expr() : text(), number(0) {}

  ExprKind kind = ExprKind::kInvalid;
  Op op = Op::kNone;
  uint8_t flags = 0;
  bool boolean = false;
  uint16_t depth = 1;  // 1 + deepest child; bounded by ParseOptions::max_depth
  union {
    std::string_view text;
    std::string_view key_var;
  };
  union {
    double number;
    std::string_view value_var;
  };
  std::span<Expr*> children;
  Range range;

  bool has(ExprFlag f) const { return (flags & f) != 0; }
};

struct Attribute {
  std::string_view name;
  Range name_range;
  const Expr* expr = nullptr;
  Range range;  // name through end of expression
};

struct Label {
  std::string_view value;
  Range range;
  bool quoted = false;
};

struct Block;

// A body from native syntax holds attributes and blocks. A body from JSON (json == true) holds
// only attributes: JSON cannot tell a block from an attribute without a schema, so the schema
// decoder (schema.h) turns an attribute into blocks when the schema names a block type.
struct Body {
  std::vector<Attribute> attributes;
  std::vector<Block> blocks;
  Range range;
  bool json = false;

  const Attribute* FindAttribute(std::string_view name) const;
};

struct Block {
  std::string_view type;
  Range type_range;
  std::vector<Label> labels;
  Body body;
  Range range;  // type through closing brace
};

// The AST dump used by the golden tests: one node per line, two spaces of indent per level,
// each line ending in its span "line:col-line:col".
std::string DumpBody(const Body& body);
std::string DumpExpr(const Expr& expr);

}  // namespace cellar::hcl
