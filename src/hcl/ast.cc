// src/hcl/ast.cc: names of AST kinds and operators, body lookup and the golden-test AST dump.
#include "hcl/ast.h"

#include <string>

#include "hcl/value.h"

namespace cellar::hcl {

std::string_view ExprKindName(ExprKind kind) {
  switch (kind) {
    case ExprKind::kInvalid:
      return "invalid";
    case ExprKind::kNull:
      return "null";
    case ExprKind::kBool:
      return "bool";
    case ExprKind::kNumber:
      return "number";
    case ExprKind::kString:
      return "string";
    case ExprKind::kTemplate:
      return "template";
    case ExprKind::kTemplateIf:
      return "template-if";
    case ExprKind::kTemplateFor:
      return "template-for";
    case ExprKind::kVariable:
      return "variable";
    case ExprKind::kGetAttr:
      return "getattr";
    case ExprKind::kIndex:
      return "index";
    case ExprKind::kSplat:
      return "splat";
    case ExprKind::kSplatItem:
      return "splat-item";
    case ExprKind::kCall:
      return "call";
    case ExprKind::kTuple:
      return "tuple";
    case ExprKind::kObject:
      return "object";
    case ExprKind::kConditional:
      return "conditional";
    case ExprKind::kUnary:
      return "unary";
    case ExprKind::kBinary:
      return "binary";
    case ExprKind::kFor:
      return "for";
    case ExprKind::kParens:
      return "parens";
  }
  return "?";
}

std::string_view OpName(Op op) {
  switch (op) {
    case Op::kNone:
      return "";
    case Op::kNot:
      return "!";
    case Op::kNeg:
      return "-";
    case Op::kAdd:
      return "+";
    case Op::kSub:
      return "-";
    case Op::kMul:
      return "*";
    case Op::kDiv:
      return "/";
    case Op::kMod:
      return "%";
    case Op::kEq:
      return "==";
    case Op::kNe:
      return "!=";
    case Op::kLt:
      return "<";
    case Op::kLe:
      return "<=";
    case Op::kGt:
      return ">";
    case Op::kGe:
      return ">=";
    case Op::kAnd:
      return "&&";
    case Op::kOr:
      return "||";
  }
  return "?";
}

const Attribute* Body::FindAttribute(std::string_view name) const {
  for (const Attribute& a : attributes) {
    if (a.name == name) {
      return &a;
    }
  }
  return nullptr;
}

namespace {

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

void Indent(std::string& out, int level) { out.append(static_cast<size_t>(level) * 2, ' '); }

void DumpExprTo(std::string& out, const Expr* e, int level) {
  Indent(out, level);
  if (e == nullptr) {
    out += "-\n";
    return;
  }
  out += ExprKindName(e->kind);
  switch (e->kind) {
    case ExprKind::kNumber:
      out += " " + std::string(e->text) + " (" + FormatNumber(e->number) + ")";
      break;
    case ExprKind::kString:
      out += " " + Quote(e->text);
      break;
    case ExprKind::kBool:
      out += e->boolean ? " true" : " false";
      break;
    case ExprKind::kVariable:
    case ExprKind::kGetAttr:
    case ExprKind::kCall:
      out += " " + std::string(e->text);
      break;
    case ExprKind::kUnary:
    case ExprKind::kBinary:
      out += " " + std::string(OpName(e->op));
      break;
    case ExprKind::kFor:
    case ExprKind::kTemplateFor:
      out += " ";
      if (!e->key_var.empty()) {
        out += std::string(e->key_var) + ",";
      }
      out += std::string(e->value_var);
      break;
    default:
      break;
  }
  static constexpr std::pair<ExprFlag, const char*> kFlags[] = {
      {kFlagLegacyIndex, "legacy"}, {kFlagAttrSplat, "attr-splat"}, {kFlagExpandFinal, "expand"},
      {kFlagBareKey, "bare"},       {kFlagObjectFor, "object"},     {kFlagGrouping, "group"},
      {kFlagHeredoc, "heredoc"},    {kFlagFromJson, "json"},
  };
  for (const auto& [flag, name] : kFlags) {
    if (e->has(flag)) {
      out += " [";
      out += name;
      out += "]";
    }
  }
  out += " " + e->range.SpanString() + "\n";
  for (const Expr* c : e->children) {
    DumpExprTo(out, c, level + 1);
  }
}

void DumpBodyTo(std::string& out, const Body& body, int level) {
  Indent(out, level);
  out += body.json ? "body [json] " : "body ";
  out += body.range.SpanString() + "\n";
  for (const Attribute& a : body.attributes) {
    Indent(out, level + 1);
    out += "attr " + std::string(a.name) + " " + a.range.SpanString() + "\n";
    DumpExprTo(out, a.expr, level + 2);
  }
  for (const Block& b : body.blocks) {
    Indent(out, level + 1);
    out += "block " + std::string(b.type);
    for (const Label& l : b.labels) {
      out += " " + (l.quoted ? Quote(l.value) : std::string(l.value));
    }
    out += " " + b.range.SpanString() + "\n";
    DumpBodyTo(out, b.body, level + 2);
  }
}

}  // namespace

std::string DumpBody(const Body& body) {
  std::string out;
  DumpBodyTo(out, body, 0);
  return out;
}

std::string DumpExpr(const Expr& expr) {
  std::string out;
  DumpExprTo(out, &expr, 0);
  return out;
}

}  // namespace cellar::hcl
