// src/hcl/schema.h: checks a body against a schema and decodes it to Values, with suggestions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hcl/ast.h"
#include "hcl/diagnostic.h"
#include "hcl/eval.h"
#include "hcl/value.h"

namespace cellar::hcl {

// What an attribute must evaluate to. kStringList: a list whose items are all strings.
// kStringOrNumber: for durations and sizes written either way (ttl = "1h" or ttl = 3600).
// kExpression: not evaluated at all; the expression is kept in DecodedBody::expressions for a
// later stage (profiles lower it to CEL), so it may reference variables.
enum class Type {
  kAny,
  kString,
  kNumber,
  kBool,
  kList,
  kMap,
  kStringList,
  kStringOrNumber,
  kExpression,
};

std::string_view TypeName(Type type);

struct AttributeSpec {
  std::string name;
  Type type = Type::kAny;
  bool required = false;
};

struct BlockSpec;

struct BodySchema {
  std::vector<AttributeSpec> attributes;
  std::vector<BlockSpec> blocks;
  // Open bodies (e.g. a config's storage "raft" { ... }) accept attributes not listed, evaluated
  // as kAny, and in native syntax any block, decoded as an open body too.
  bool allow_any_attributes = false;
};

struct BlockSpec {
  std::string type;
  std::vector<std::string> labels;  // label names, for messages; the count must match exactly
  BodySchema body;
  bool required = false;  // at least one
  bool unique = false;    // at most one
};

struct DecodedBlock;

struct DecodedBody {
  Range range;
  std::vector<std::pair<std::string, Value>> attributes;  // source order
  std::vector<DecodedBlock> blocks;                       // source order
  // Attributes of Type::kExpression, unevaluated; the pointers live as long as the parsed File.
  std::vector<std::pair<std::string, const Expr*>> expressions;

  const Value* Get(std::string_view name) const;
  const Expr* GetExpr(std::string_view name) const;
  std::vector<const DecodedBlock*> BlocksOfType(std::string_view type) const;
};

struct DecodedBlock {
  std::string type;
  std::vector<std::string> labels;
  std::vector<Range> label_ranges;
  Range range;
  DecodedBody body;
};

// Checks `body` (native or JSON) against `schema` and evaluates every attribute. Appends a
// positioned diagnostic for each unknown or misspelt name (with "did you mean ...?" when a close
// name exists), missing required attribute or block, wrong label count, repeated unique block and
// type mismatch, and keeps decoding past errors. The result holds what did decode.
DecodedBody Decode(const Body& body, const BodySchema& schema, Diagnostics& diags,
                   const EvalContext* context = nullptr);

// The closest candidate to `name` by edit distance, or "" when none is close enough.
std::string Suggest(std::string_view name, const std::vector<std::string_view>& candidates);

}  // namespace cellar::hcl
