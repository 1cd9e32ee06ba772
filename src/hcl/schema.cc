// src/hcl/schema.cc: decodes a body against a schema, turning JSON properties into blocks.
#include "hcl/schema.h"

#include <algorithm>
#include <string>
#include <unordered_set>
#include <vector>

namespace cellar::hcl {

std::string_view TypeName(Type type) {
  switch (type) {
    case Type::kAny:
      return "any value";
    case Type::kString:
      return "a string";
    case Type::kNumber:
      return "a number";
    case Type::kBool:
      return "a bool";
    case Type::kList:
      return "a list";
    case Type::kMap:
      return "a map";
    case Type::kStringList:
      return "a list of strings";
    case Type::kStringOrNumber:
      return "a string or number";
    case Type::kExpression:
      return "an expression";
  }
  return "?";
}

const Value* DecodedBody::Get(std::string_view name) const {
  for (const auto& [k, v] : attributes) {
    if (k == name) {
      return &v;
    }
  }
  return nullptr;
}

const Expr* DecodedBody::GetExpr(std::string_view name) const {
  for (const auto& [k, e] : expressions) {
    if (k == name) {
      return e;
    }
  }
  return nullptr;
}

std::vector<const DecodedBlock*> DecodedBody::BlocksOfType(std::string_view type) const {
  std::vector<const DecodedBlock*> out;
  for (const DecodedBlock& b : blocks) {
    if (b.type == type) {
      out.push_back(&b);
    }
  }
  return out;
}

namespace {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string Suggest(std::string_view name, const std::vector<std::string_view>& candidates) {
  std::string_view best;
  size_t best_d = SIZE_MAX;
  for (std::string_view c : candidates) {
    size_t d = EditDistance(name, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  // Close enough to be a typo, and not just a short unrelated word.
  if (best_d <= 2 && best_d < name.size() && best_d < best.size()) {
    return std::string(best);
  }
  return "";
}

namespace {

class Decoder {
 public:
  Decoder(Diagnostics& diags, const EvalContext* ctx) : diags_(diags), ctx_(ctx) {}

  DecodedBody DecodeBody(const Body& body, const BodySchema& schema, const Range& owner) {
    DecodedBody out;
    out.range = body.range;
    std::unordered_set<std::string> outer_seen = std::move(seen_);
    seen_.clear();
    if (body.json) {
      DecodeJsonItems(body, schema, out);
    } else {
      DecodeNativeItems(body, schema, out);
    }
    for (const AttributeSpec& spec : schema.attributes) {
      if (spec.required && seen_.count(spec.name) == 0) {  // absent, not merely failed
        Error(owner, "missing required attribute \"" + spec.name + "\"");
      }
    }
    for (const BlockSpec& spec : schema.blocks) {
      if (spec.required && out.BlocksOfType(spec.type).empty()) {
        Error(owner, "missing required block \"" + spec.type + "\"");
      }
    }
    seen_ = std::move(outer_seen);
    return out;
  }

 private:
  void Error(const Range& r, std::string message) {
    diags_.push_back(Diagnostic{Severity::kError, r, std::move(message)});
  }

  static const AttributeSpec* FindAttr(const BodySchema& s, std::string_view name) {
    for (const AttributeSpec& a : s.attributes) {
      if (a.name == name) {
        return &a;
      }
    }
    return nullptr;
  }
  static const BlockSpec* FindBlock(const BodySchema& s, std::string_view type) {
    for (const BlockSpec& b : s.blocks) {
      if (b.type == type) {
        return &b;
      }
    }
    return nullptr;
  }

  std::string Hint(std::string_view name, const BodySchema& s) {
    std::vector<std::string_view> names;
    for (const AttributeSpec& a : s.attributes) {
      names.push_back(a.name);
    }
    for (const BlockSpec& b : s.blocks) {
      names.push_back(b.type);
    }
    std::string best = Suggest(name, names);
    return best.empty() ? "" : "; did you mean \"" + best + "\"?";
  }

  // Converts values the way HCL's type conversion would for the common cases, or reports why not.
  bool CheckType(Value& v, Type type, const std::string& name) {
    bool ok = true;
    switch (type) {
      case Type::kAny:
      case Type::kExpression:
        break;
      case Type::kString:
        if (v.is_number() || v.is_bool()) {
          Range r = v.range();
          v = Value::String(
              v.is_bool() ? (v.as_bool() ? "true" : "false") : FormatNumber(v.as_number()), r);
        }
        ok = v.is_string();
        break;
      case Type::kNumber:
        ok = v.is_number();
        break;
      case Type::kBool:
        ok = v.is_bool();
        break;
      case Type::kList:
        ok = v.is_list();
        break;
      case Type::kMap:
        ok = v.is_map();
        break;
      case Type::kStringList:
        ok = v.is_list();
        for (Value& item : v.mutable_list()) {
          if (item.is_number()) {
            Range r = item.range();
            item = Value::String(FormatNumber(item.as_number()), r);
          }
          if (!item.is_string()) {
            Error(item.range(), "\"" + name + "\" must be a list of strings; this item is a " +
                                    std::string(KindName(item.kind())));
            return false;
          }
        }
        break;
      case Type::kStringOrNumber:
        ok = v.is_string() || v.is_number();
        break;
    }
    if (!ok) {
      Error(v.range(), "\"" + name + "\" must be " + std::string(TypeName(type)) + ", not " +
                           std::string(KindName(v.kind())));
    }
    return ok;
  }

  void DecodeAttribute(const Attribute& attr, Type type, DecodedBody& out) {
    std::string name(attr.name);
    if (!seen_.insert(name).second) {
      Error(attr.name_range, "attribute \"" + name + "\" redefined");
      return;
    }
    if (type == Type::kExpression) {
      out.expressions.emplace_back(std::move(name), attr.expr);
      return;
    }
    std::optional<Value> v = Evaluate(*attr.expr, diags_, ctx_);
    if (!v || !CheckType(*v, type, name)) {
      return;
    }
    out.attributes.emplace_back(std::move(name), std::move(*v));
  }

  void DecodeNativeItems(const Body& body, const BodySchema& schema, DecodedBody& out) {
    for (const Attribute& attr : body.attributes) {
      const AttributeSpec* spec = FindAttr(schema, attr.name);
      if (spec == nullptr) {
        if (FindBlock(schema, attr.name) != nullptr) {
          Error(attr.name_range, "\"" + std::string(attr.name) +
                                     "\" is a block, not an attribute; write " +
                                     std::string(attr.name) + " { ... }");
          continue;
        }
        if (!schema.allow_any_attributes) {
          Error(attr.name_range,
                "unknown attribute \"" + std::string(attr.name) + "\"" + Hint(attr.name, schema));
          continue;
        }
      }
      DecodeAttribute(attr, spec ? spec->type : Type::kAny, out);
    }
    for (const Block& block : body.blocks) {
      const BlockSpec* spec = FindBlock(schema, block.type);
      if (spec == nullptr) {
        if (FindAttr(schema, block.type) != nullptr) {
          Error(block.type_range, "\"" + std::string(block.type) +
                                      "\" is an attribute, not a block; write " +
                                      std::string(block.type) + " = ...");
          continue;
        }
        if (!schema.allow_any_attributes) {
          Error(block.type_range, "unknown block type \"" + std::string(block.type) + "\"" +
                                      Hint(block.type, schema));
          continue;
        }
        DecodedBlock d;
        d.type = std::string(block.type);
        for (const Label& l : block.labels) {
          d.labels.emplace_back(l.value);
          d.label_ranges.push_back(l.range);
        }
        d.range = block.range;
        BodySchema open;
        open.allow_any_attributes = true;
        d.body = DecodeBody(block.body, open, block.type_range);
        out.blocks.push_back(std::move(d));
        continue;
      }
      if (block.labels.size() != spec->labels.size()) {
        Error(block.labels.size() > spec->labels.size() ? block.labels[spec->labels.size()].range
                                                        : block.type_range,
              LabelMessage(*spec, block.labels.size()));
        continue;
      }
      if (!CheckUnique(*spec, out, block.type_range)) {
        continue;
      }
      DecodedBlock d;
      d.type = spec->type;
      for (const Label& l : block.labels) {
        d.labels.emplace_back(l.value);
        d.label_ranges.push_back(l.range);
      }
      d.range = block.range;
      d.body = DecodeBody(block.body, spec->body, block.type_range);
      out.blocks.push_back(std::move(d));
    }
  }

  static std::string LabelMessage(const BlockSpec& spec, size_t got) {
    std::string names;
    for (const std::string& n : spec.labels) {
      names += names.empty() ? n : ", " + n;
    }
    std::string want =
        std::to_string(spec.labels.size()) + " label" + (spec.labels.size() == 1 ? "" : "s");
    return "block \"" + spec.type + "\" takes " + want + (names.empty() ? "" : " (" + names + ")") +
           ", got " + std::to_string(got);
  }

  bool CheckUnique(const BlockSpec& spec, const DecodedBody& out, const Range& at) {
    if (!spec.unique) {
      return true;
    }
    std::vector<const DecodedBlock*> prev = out.BlocksOfType(spec.type);
    if (prev.empty()) {
      return true;
    }
    Error(at, "duplicate block \"" + spec.type + "\"; only one is allowed, the first is at " +
                  prev[0]->range.StartString());
    return false;
  }

  void DecodeJsonItems(const Body& body, const BodySchema& schema, DecodedBody& out) {
    for (const Attribute& attr : body.attributes) {
      if (attr.name == "//") {
        continue;  // HCL's JSON syntax reserves "//" for comments
      }
      if (const BlockSpec* spec = FindBlock(schema, attr.name); spec != nullptr) {
        std::vector<std::string_view> labels;
        std::vector<Range> label_ranges;
        ExpandJsonBlocks(*spec, attr, *attr.expr, labels, label_ranges, out);
        continue;
      }
      const AttributeSpec* spec = FindAttr(schema, attr.name);
      if (spec == nullptr && !schema.allow_any_attributes) {
        Error(attr.name_range,
              "unknown attribute \"" + std::string(attr.name) + "\"" + Hint(attr.name, schema));
        continue;
      }
      DecodeAttribute(attr, spec ? spec->type : Type::kAny, out);
    }
  }

  // HCL's JSON block rules: one object level per label, keyed by the label; an array at any
  // level repeats; the innermost object is the block body.
  void ExpandJsonBlocks(const BlockSpec& spec, const Attribute& attr, const Expr& e,
                        std::vector<std::string_view>& labels, std::vector<Range>& label_ranges,
                        DecodedBody& out) {
    if (e.kind == ExprKind::kTuple) {
      for (const Expr* item : e.children) {
        ExpandJsonBlocks(spec, attr, *item, labels, label_ranges, out);
      }
      return;
    }
    if (e.kind != ExprKind::kObject) {
      Error(e.range,
            "block \"" + spec.type + "\" must be a JSON object" +
                (labels.size() < spec.labels.size() ? " keyed by " + spec.labels[labels.size()]
                                                    : std::string(" (the block body)")));
      return;
    }
    if (labels.size() < spec.labels.size()) {
      for (size_t i = 0; i + 1 < e.children.size(); i += 2) {
        if (e.children[i]->text == "//") {
          continue;  // a comment, as in bodies
        }
        labels.push_back(e.children[i]->text);
        label_ranges.push_back(e.children[i]->range);
        ExpandJsonBlocks(spec, attr, *e.children[i + 1], labels, label_ranges, out);
        labels.pop_back();
        label_ranges.pop_back();
      }
      return;
    }
    if (!CheckUnique(spec, out, attr.name_range)) {
      return;
    }
    Body body;
    body.json = true;
    body.range = e.range;
    for (size_t i = 0; i + 1 < e.children.size(); i += 2) {
      const Expr* k = e.children[i];
      const Expr* v = e.children[i + 1];
      body.attributes.push_back(
          Attribute{k->text, k->range, v, Range{k->range.file, k->range.start, v->range.end}});
    }
    DecodedBlock d;
    d.type = spec.type;
    for (std::string_view l : labels) {
      d.labels.emplace_back(l);
    }
    d.label_ranges = label_ranges;
    d.range = e.range;
    d.body = DecodeBody(body, spec.body, attr.name_range);
    out.blocks.push_back(std::move(d));
  }

  Diagnostics& diags_;
  const EvalContext* ctx_;
  // Attribute names of the body being decoded, including ones that failed to evaluate, so a
  // failed required attribute is not also reported missing.
  std::unordered_set<std::string> seen_;
};

}  // namespace

DecodedBody Decode(const Body& body, const BodySchema& schema, Diagnostics& diags,
                   const EvalContext* context) {
  Decoder d(diags, context);
  return d.DecodeBody(body, schema, Range{body.range.file, body.range.start, body.range.start});
}

}  // namespace cellar::hcl
