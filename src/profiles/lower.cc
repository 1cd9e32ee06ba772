// src/profiles/lower.cc: HCL expression → CEL source, plus the helper functions the output uses.
#include "profiles/lower.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <utility>

namespace cellar::profiles {
namespace {

using hcl::Expr;
using hcl::ExprKind;

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

// HCL numbers are decimal; CEL separates int and double, and JSON input integers arrive as int,
// so integral literals lower to int.
std::string NumberLiteral(double n) {
  if (std::isfinite(n) && std::floor(n) == n && std::fabs(n) < 9.007199254740992e15) {
    return std::to_string(static_cast<int64_t>(n));
  }
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), n);
  std::string s(buf, end);
  if (s.find_first_of(".eE") == std::string::npos) {
    s += ".0";
  }
  return s;
}

std::string_view CelOp(hcl::Op op) {
  switch (op) {
    case hcl::Op::kAdd:
      return "+";
    case hcl::Op::kSub:
      return "-";
    case hcl::Op::kMul:
      return "*";
    case hcl::Op::kDiv:
      return "/";
    case hcl::Op::kMod:
      return "%";
    case hcl::Op::kEq:
      return "==";
    case hcl::Op::kNe:
      return "!=";
    case hcl::Op::kLt:
      return "<";
    case hcl::Op::kLe:
      return "<=";
    case hcl::Op::kGt:
      return ">";
    case hcl::Op::kGe:
      return ">=";
    case hcl::Op::kAnd:
      return "&&";
    case hcl::Op::kOr:
      return "||";
    default:
      return "?";
  }
}

// The spelling of a reference chain for error messages: request.cert.data["k"][0].
std::string RefText(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kVariable:
      return std::string(e.text);
    case ExprKind::kGetAttr:
      return RefText(*e.children[0]) + "." + std::string(e.text);
    case ExprKind::kIndex: {
      const Expr& key = *e.children[1];
      std::string k = "...";
      if (key.kind == ExprKind::kNumber) {
        k = NumberLiteral(key.number);
      } else if (key.kind == ExprKind::kString) {
        k = Quote(key.text);
      } else if (key.kind == ExprKind::kTemplate && key.children.size() == 1 &&
                 key.children[0]->kind == ExprKind::kString) {
        k = Quote(key.children[0]->text);
      } else if (key.kind == ExprKind::kVariable) {
        k = std::string(key.text);
      }
      return RefText(*e.children[0]) + "[" + k + "]";
    }
    case ExprKind::kSplat:
      return RefText(*e.children[0]) + "[*]";
    case ExprKind::kParens:
      return RefText(*e.children[0]);
    default:
      return "(...)";
  }
}

// A literal string key of an index (`request["a"]`), if it is one.
std::optional<std::string_view> LiteralKey(const Expr& key) {
  if (key.kind == ExprKind::kString) {
    return key.text;
  }
  if (key.kind == ExprKind::kTemplate && key.children.size() == 1 &&
      key.children[0]->kind == ExprKind::kString) {
    return key.children[0]->text;
  }
  if (key.kind == ExprKind::kTemplate && key.children.empty()) {
    return std::string_view();
  }
  return std::nullopt;
}

class Lowerer {
 public:
  explicit Lowerer(hcl::Diagnostics& diags) : diags_(diags) {}

  std::vector<Reference> refs;
  bool failed = false;

  std::string Lower(const Expr& e) {
    switch (e.kind) {
      case ExprKind::kInvalid:
        return Fail(e, "invalid expression");
      case ExprKind::kNull:
        return "null";
      case ExprKind::kBool:
        return e.boolean ? "true" : "false";
      case ExprKind::kNumber:
        return NumberLiteral(e.number);
      case ExprKind::kString:
        return Quote(e.text);
      case ExprKind::kTemplate:
        return LowerTemplate(e, false);
      case ExprKind::kTemplateIf:
      case ExprKind::kTemplateFor:
        return LowerTemplatePart(e);
      case ExprKind::kVariable:
        return LowerVariable(e);
      case ExprKind::kGetAttr:
        return LowerGetAttr(e);
      case ExprKind::kIndex:
        return LowerIndex(e);
      case ExprKind::kSplat:
        return LowerSplat(e);
      case ExprKind::kSplatItem:
        if (splat_items_.empty()) {
          return Fail(e, "splat item outside a splat");
        }
        return splat_items_.back();
      case ExprKind::kCall:
        return LowerCall(e);
      case ExprKind::kTuple: {
        std::string out = "[";
        for (size_t i = 0; i < e.children.size(); ++i) {
          out += (i ? ", " : "") + Lower(*e.children[i]);
        }
        return out + "]";
      }
      case ExprKind::kObject: {
        std::string out = "{";
        for (size_t i = 0; i + 1 < e.children.size(); i += 2) {
          const Expr& key = *e.children[i];
          std::string k = key.has(hcl::kFlagBareKey) ? Quote(key.text) : LowerTemplateKey(key);
          out += (i ? ", " : "") + k + ": " + Lower(*e.children[i + 1]);
        }
        return out + "}";
      }
      case ExprKind::kConditional:
        return "(" + Lower(*e.children[0]) + " ? " + Lower(*e.children[1]) + " : " +
               Lower(*e.children[2]) + ")";
      case ExprKind::kUnary:
        return std::string(e.op == hcl::Op::kNot ? "!" : "-") + "(" + Lower(*e.children[0]) + ")";
      case ExprKind::kBinary:
        return "(" + Lower(*e.children[0]) + " " + std::string(CelOp(e.op)) + " " +
               Lower(*e.children[1]) + ")";
      case ExprKind::kFor:
        return LowerFor(e);
      case ExprKind::kParens:
        return "(" + Lower(*e.children[0]) + ")";
    }
    return Fail(e, "unsupported expression");
  }

 private:
  std::string Fail(const Expr& e, std::string message) {
    diags_.push_back({hcl::Severity::kError, e.range, std::move(message)});
    failed = true;
    return "null";
  }

  std::string Fresh(std::string_view prefix) {
    return "_p" + std::string(prefix) + std::to_string(next_id_++);
  }

  // A loop variable currently in scope, innermost first.
  const std::string* FindLocal(std::string_view name) const {
    for (auto it = locals_.rbegin(); it != locals_.rend(); ++it) {
      if (it->first == name) {
        return &it->second;
      }
    }
    return nullptr;
  }

  bool IsRoot(const Expr& e, std::string_view name) const {
    return e.kind == ExprKind::kVariable && e.text == name && FindLocal(name) == nullptr;
  }

  std::string LowerVariable(const Expr& e) {
    if (const std::string* local = FindLocal(e.text)) {
      return *local;
    }
    if (e.text == "request") {
      return Fail(e, "\"request\" must name a request: request.<name>");
    }
    if (e.text == "input") {
      return Fail(e, "\"input\" must be followed by .data");
    }
    if (e.text == "each") {
      return Fail(e, "\"each\" must be followed by .key or .value");
    }
    return Fail(e, "unknown variable \"" + std::string(e.text) +
                       "\"; expressions see input, request and each");
  }

  std::string Get(const std::string& obj, std::string_view key, const Expr& whole) {
    return "_pget(" + obj + ", " + Quote(key) + ", " + Quote(RefText(whole)) + ")";
  }

  // The attributes after request.<name> when `e` is a chain of attributes down to it
  // (request.a.data.x → {"data", "x"}); nullopt otherwise.
  std::optional<std::vector<std::string>> RequestFields(const Expr& e) const {
    std::vector<std::string> fields;
    const Expr* at = &e;
    while (at->kind == ExprKind::kGetAttr && !IsRoot(*at->children[0], "request")) {
      fields.emplace_back(at->text);
      at = at->children[0];
    }
    if (at->kind != ExprKind::kGetAttr) {
      return std::nullopt;
    }
    std::reverse(fields.begin(), fields.end());
    return fields;
  }

  std::string LowerGetAttr(const Expr& e) {
    const Expr& obj = *e.children[0];
    if (IsRoot(obj, "request")) {
      refs.push_back({Reference::Kind::kRequest, std::string(e.text), e.range,
                      std::exchange(chain_fields_, {})});
      return Get("request", e.text, e);
    }
    // The outermost attribute of request.<name>.f.g...: the reference records the whole chain
    // (what executions convert of the request's result); the inner attributes, lowered next,
    // lead only down to request.<name>.
    if (!in_request_chain_) {
      if (std::optional<std::vector<std::string>> fields = RequestFields(e)) {
        chain_fields_ = *std::move(fields);
        in_request_chain_ = true;
        std::string out = Get(Lower(obj), e.text, e);
        in_request_chain_ = false;
        return out;
      }
    }
    if (IsRoot(obj, "input")) {
      if (e.text != "data") {
        return Fail(e, "input has only \"data\" (input.data.<field>)");
      }
      refs.push_back({Reference::Kind::kInput, "", e.range});
      return "input.data";
    }
    if (IsRoot(obj, "each")) {
      if (e.text != "key" && e.text != "value") {
        return Fail(e, "each has only \"key\" and \"value\"");
      }
      refs.push_back({Reference::Kind::kEach, std::string(e.text), e.range});
      return "each." + std::string(e.text);
    }
    if (obj.kind == ExprKind::kGetAttr && IsRoot(*obj.children[0], "input") && obj.text == "data") {
      refs.push_back({Reference::Kind::kInput, std::string(e.text), e.range});
    }
    return Get(Lower(obj), e.text, e);
  }

  std::string LowerIndex(const Expr& e) {
    const Expr& obj = *e.children[0];
    const Expr& key = *e.children[1];
    if (IsRoot(obj, "request")) {
      std::optional<std::string_view> name = LiteralKey(key);
      if (!name) {
        return Fail(e, "a request must be named literally: request.<name> or request[\"name\"]");
      }
      refs.push_back({Reference::Kind::kRequest, std::string(*name), e.range});
      return Get("request", *name, e);
    }
    return "_pidx(" + Lower(obj) + ", " + Lower(key) + ", " + Quote(RefText(e)) + ")";
  }

  std::string LowerSplat(const Expr& e) {
    std::string source = Lower(*e.children[0]);
    std::string item = Fresh("s");
    splat_items_.push_back(item);
    std::string body = Lower(*e.children[1]);
    splat_items_.pop_back();
    return source + ".map(" + item + ", " + body + ")";
  }

  // String keys of object constructors: templates and parenthesised expressions.
  std::string LowerTemplateKey(const Expr& key) {
    if (key.kind == ExprKind::kTemplate) {
      return LowerTemplate(key, true);
    }
    return "_pstr(" + Lower(key) + ")";
  }

  // A template; `force_string` converts even a lone "${x}" (used where HCL needs a string).
  std::string LowerTemplate(const Expr& e, bool force_string) {
    if (e.children.empty()) {
      return "\"\"";
    }
    if (e.children.size() == 1) {
      const Expr& only = *e.children[0];
      if (only.kind == ExprKind::kString) {
        return Quote(only.text);
      }
      if (!force_string && only.kind != ExprKind::kTemplateIf &&
          only.kind != ExprKind::kTemplateFor) {
        return Lower(only);
      }
    }
    std::string out = "(";
    for (size_t i = 0; i < e.children.size(); ++i) {
      out += i ? " + " : "";
      out += LowerTemplatePart(*e.children[i]);
    }
    return out + ")";
  }

  std::string LowerTemplatePart(const Expr& part) {
    switch (part.kind) {
      case ExprKind::kString:
        return Quote(part.text);
      case ExprKind::kTemplateIf: {
        std::string then = LowerTemplate(*part.children[1], true);
        std::string otherwise = part.children.size() > 2 && part.children[2]
                                    ? LowerTemplate(*part.children[2], true)
                                    : "\"\"";
        return "(" + Lower(*part.children[0]) + " ? " + then + " : " + otherwise + ")";
      }
      case ExprKind::kTemplateFor: {
        std::string collection = Lower(*part.children[0]);
        std::string k = part.key_var.empty() ? Fresh("k") : "_l_" + Sanitize(part.key_var);
        std::string v = "_l_" + Sanitize(part.value_var);
        PushLocals(part, k, v);
        std::string body = LowerTemplate(*part.children[1], true);
        PopLocals(part);
        return collection + ".transformList(" + k + ", " + v + ", " + body + ").join(\"\")";
      }
      default:
        return "_pstr(" + Lower(part) + ")";
    }
  }

  static std::string Sanitize(std::string_view name) {
    std::string out(name);
    std::replace(out.begin(), out.end(), '-', '_');
    return out;
  }

  void PushLocals(const Expr& e, const std::string& k, const std::string& v) {
    if (!e.key_var.empty()) {
      locals_.emplace_back(std::string(e.key_var), k);
    }
    locals_.emplace_back(std::string(e.value_var), v);
  }
  void PopLocals(const Expr& e) {
    locals_.pop_back();
    if (!e.key_var.empty()) {
      locals_.pop_back();
    }
  }

  // [for k, v in c : expr if cond] and {for k, v in c : key => value if cond}: a two-variable
  // transformList gives HCL's iteration (index or key, then element) over lists and maps alike.
  std::string LowerFor(const Expr& e) {
    bool is_object = e.has(hcl::kFlagObjectFor);
    std::string collection = Lower(*e.children[0]);
    std::string k = e.key_var.empty() ? Fresh("k") : "_l_" + Sanitize(e.key_var);
    std::string v = "_l_" + Sanitize(e.value_var);
    PushLocals(e, k, v);
    // children: [collection, key (object for only), value, cond] with nullptr for the absent.
    std::string key = is_object ? LowerTemplateKey(*e.children[1]) : "";
    std::string value = Lower(*e.children[2]);
    std::string cond = e.children.size() > 3 && e.children[3] ? Lower(*e.children[3]) : "";
    PopLocals(e);
    std::string body = is_object ? "[" + key + ", " + value + "]" : value;
    std::string transform = collection + ".transformList(" + k + ", " + v + ", " +
                            (cond.empty() ? "" : cond + ", ") + body + ")";
    if (!is_object) {
      return transform;
    }
    return (e.has(hcl::kFlagGrouping) ? "_pgroup(" : "_pobject(") + transform + ")";
  }

  std::string Args(const Expr& e, size_t from) {
    std::string out;
    for (size_t i = from; i < e.children.size(); ++i) {
      out += (i > from ? ", " : "") + Lower(*e.children[i]);
    }
    return out;
  }

  std::string LowerCall(const Expr& e) {
    if (e.has(hcl::kFlagExpandFinal)) {
      return Fail(e, "argument expansion (...) is not supported in profiles");
    }
    std::string name(e.text);
    for (size_t p; (p = name.find("::")) != std::string::npos;) {
      name.replace(p, 2, ".");
    }
    size_t n = e.children.size();
    // has(a.b): CEL's presence test, kept as the macro (not a helper) so absence is not an error.
    if (name == "has" && n == 1) {
      const Expr& arg = *e.children[0];
      if (arg.kind == ExprKind::kGetAttr) {
        std::string obj = Lower(*arg.children[0]);
        return "(" + Quote(arg.text) + " in " + obj + ")";
      }
      if (arg.kind == ExprKind::kIndex) {
        return "(" + Lower(*arg.children[1]) + " in " + Lower(*arg.children[0]) + ")";
      }
      return Fail(e, "has() takes a field reference such as has(input.data.ttl)");
    }
    // HCL's spellings of common functions, where CEL's name differs.
    static const std::map<std::string, std::pair<int, std::string>, std::less<>> kHcl = {
        {"length", {1, "size(#0)"}},
        {"upper", {1, "#0.upperAscii()"}},
        {"lower", {1, "#0.lowerAscii()"}},
        {"join", {2, "#1.join(#0)"}},
        {"contains", {2, "(#1 in #0)"}},
        {"keys", {1, "_pkeys(#0)"}},
        {"values", {1, "_pvalues(#0)"}},
        {"tostring", {1, "_pstr(#0)"}},
        {"tonumber", {1, "double(#0)"}},
        {"concat", {2, "(#0 + #1)"}},
        {"min", {2, "math.least(#0, #1)"}},
        {"max", {2, "math.greatest(#0, #1)"}},
        {"abs", {1, "math.abs(#0)"}},
        {"lookup", {3, "(#1 in #0 ? #0[#1] : #2)"}},
        {"coalesce", {2, "(#0 != null ? #0 : #1)"}},
    };
    const cel::FunctionRegistry& fns = ProfileEnv().functions();
    if (!fns.Find(name, false, n).empty() || name == "cel.bind") {
      return name + "(" + Args(e, 0) + ")";
    }
    auto it = kHcl.find(name);
    if (it != kHcl.end() && it->second.first == static_cast<int>(n)) {
      std::vector<std::string> args;
      for (const Expr* c : e.children) {
        args.push_back(Lower(*c));
      }
      std::string out;
      const std::string& pattern = it->second.second;
      for (size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '#' && i + 1 < pattern.size()) {
          out += "(" + args[pattern[++i] - '0'] + ")";
        } else {
          out += pattern[i];
        }
      }
      return out;
    }
    if (n >= 1 && !fns.Find(name, true, n).empty()) {
      return "(" + Lower(*e.children[0]) + ")." + name + "(" + Args(e, 1) + ")";
    }
    return Fail(e, "unknown function \"" + std::string(e.text) + "\" with " + std::to_string(n) +
                       " argument(s)");
  }

  hcl::Diagnostics& diags_;
  // While lowering request.<name>.f.g...: the chain's fields, for its Reference.
  bool in_request_chain_ = false;
  std::vector<std::string> chain_fields_;
  std::vector<std::pair<std::string, std::string>> locals_;  // HCL name → CEL name
  std::vector<std::string> splat_items_;
  int next_id_ = 0;
};

// --- Helpers callable from the lowered CEL. ---

cel::Value GetField(std::span<const cel::Value> args, cel::EvalContext&) {
  const cel::Value& obj = args[0];
  const std::string& key = args[1].string_value();
  const std::string& ref = args[2].string_value();
  if (obj.kind() == cel::Kind::kMap) {
    if (const cel::Value* v = obj.map_value().FindString(key)) {
      return *v;
    }
    return cel::Value::Error("missing field \"" + key + "\" in " + ref);
  }
  if (obj.kind() == cel::Kind::kMessage) {
    return obj.message_value().GetField(key);
  }
  return cel::Value::Error(ref + ": cannot read field \"" + key + "\" of " +
                           (obj.kind() == cel::Kind::kNull ? "null" : "a " + obj.TypeName()));
}

cel::Value GetIndex(std::span<const cel::Value> args, cel::EvalContext&) {
  const cel::Value& obj = args[0];
  const cel::Value& key = args[1];
  const std::string& ref = args[2].string_value();
  if (obj.kind() == cel::Kind::kMap) {
    if (const cel::Value* v = obj.map_value().Find(key)) {
      return *v;
    }
    return cel::Value::Error("missing key " + key.DebugString() + " in " + ref);
  }
  if (obj.kind() == cel::Kind::kList) {
    int64_t i = -1;
    if (key.kind() == cel::Kind::kInt) {
      i = key.int_value();
    } else if (key.kind() == cel::Kind::kUint) {
      i = static_cast<int64_t>(key.uint_value());
    } else if (key.kind() == cel::Kind::kDouble &&
               std::floor(key.double_value()) == key.double_value()) {
      i = static_cast<int64_t>(key.double_value());
    } else {
      return cel::Value::Error(ref + ": a list index must be a whole number");
    }
    const auto& elems = obj.list_elems();
    if (i < 0 || static_cast<size_t>(i) >= elems.size()) {
      return cel::Value::Error(ref + ": index " + std::to_string(i) + " out of range (length " +
                               std::to_string(elems.size()) + ")");
    }
    return elems[i];
  }
  return cel::Value::Error(ref + ": cannot index " +
                           (obj.kind() == cel::Kind::kNull ? "null" : "a " + obj.TypeName()));
}

cel::Value ToStr(std::span<const cel::Value> args, cel::EvalContext&) {
  const cel::Value& v = args[0];
  switch (v.kind()) {
    case cel::Kind::kString:
      return v;
    case cel::Kind::kInt:
      return cel::Value::String(std::to_string(v.int_value()));
    case cel::Kind::kUint:
      return cel::Value::String(std::to_string(v.uint_value()));
    case cel::Kind::kDouble: {
      double d = v.double_value();
      bool whole = std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.007199254740992e15;
      return cel::Value::String(whole ? std::to_string(static_cast<int64_t>(d)) : NumberLiteral(d));
    }
    case cel::Kind::kBool:
      return cel::Value::String(v.bool_value() ? "true" : "false");
    case cel::Kind::kNull:
      return cel::Value::Error("a template cannot include null");
    default:
      return cel::Value::Error("a template cannot include a " + v.TypeName());
  }
}

cel::Value BuildObject(std::span<const cel::Value> args, cel::EvalContext&, bool grouping) {
  auto map = std::make_shared<cel::MapRep>();
  std::vector<std::pair<cel::Value, std::vector<cel::Value>>> groups;
  for (const cel::Value& pair : args[0].list_elems()) {
    const cel::Value& key = pair.list_elems()[0];
    const cel::Value& value = pair.list_elems()[1];
    if (key.kind() != cel::Kind::kString) {
      return cel::Value::Error("an object key must be a string, not " + key.TypeName());
    }
    if (grouping) {
      auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) {
        return g.first.string_value() == key.string_value();
      });
      if (it == groups.end()) {
        groups.push_back({key, {value}});
      } else {
        it->second.push_back(value);
      }
    } else if (!map->Insert(key, value)) {
      return cel::Value::Error("duplicate key \"" + key.string_value() +
                               "\" in a for expression (use ... to group)");
    }
  }
  for (auto& [k, vs] : groups) {
    map->Insert(k, cel::Value::List(std::move(vs)));
  }
  return cel::Value::Map(std::move(map));
}

// Sorted keys or the values in key order, as HCL's keys() and values().
cel::Value SortedEntries(std::span<const cel::Value> args, bool want_keys) {
  std::vector<std::pair<std::string, cel::Value>> entries;
  for (const auto& [k, v] : args[0].map_value().entries()) {
    entries.emplace_back(k.kind() == cel::Kind::kString ? k.string_value() : k.DebugString(),
                         want_keys ? k : v);
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<cel::Value> out;
  for (auto& e : entries) {
    out.push_back(std::move(e.second));
  }
  return cel::Value::List(std::move(out));
}

cel::Env BuildEnv() {
  cel::Env env = cel::Env::Standard();
  using cel::Kind;
  env.AddFunction({"_pget", false, {cel::kAnyKind, Kind::kString, Kind::kString}, GetField});
  env.AddFunction({"_pidx", false, {cel::kAnyKind, cel::kAnyKind, Kind::kString}, GetIndex});
  env.AddFunction({"_pstr", false, {cel::kAnyKind}, ToStr});
  env.AddFunction({"_pobject", false, {Kind::kList}, [](auto args, auto& ctx) {
                     return BuildObject(args, ctx, false);
                   }});
  env.AddFunction({"_pgroup", false, {Kind::kList}, [](auto args, auto& ctx) {
                     return BuildObject(args, ctx, true);
                   }});
  env.AddFunction(
      {"_pkeys", false, {Kind::kMap}, [](auto args, auto&) { return SortedEntries(args, true); }});
  env.AddFunction({"_pvalues", false, {Kind::kMap}, [](auto args, auto&) {
                     return SortedEntries(args, false);
                   }});
  env.DeclareVariable("input", cel::Type::Dyn());
  env.DeclareVariable("request", cel::Type::Dyn());
  env.DeclareVariable("each", cel::Type::Dyn());
  return env;
}

}  // namespace

std::optional<LoweredExpr> Lower(const hcl::Expr& expr, hcl::Diagnostics& diags) {
  Lowerer lowerer(diags);
  std::string cel = lowerer.Lower(expr);
  if (lowerer.failed) {
    return std::nullopt;
  }
  return LoweredExpr{std::move(cel), std::move(lowerer.refs)};
}

const cel::Env& ProfileEnv() {
  static const cel::Env* env = new cel::Env(BuildEnv());
  return *env;
}

}  // namespace cellar::profiles
