// src/cel/parser.cc: recursive-descent parser for the cel-spec grammar, with a depth limit so
// hostile input is an error rather than a stack overflow. Macros are expanded in macros.cc.
#include "cel/parser.h"

#include <cerrno>
#include <cstdlib>
#include <string>
#include <unordered_set>
#include <utility>

#include "cel/lexer.h"
#include "cel/macros.h"

namespace cellar::cel {
namespace {

const std::unordered_set<std::string_view>& ReservedWords() {
  static const auto* words = new std::unordered_set<std::string_view>{
      "as",     "break",  "const",   "continue",  "else",   "for",  "function", "if",
      "import", "let",    "loop",    "package",   "namespace", "return", "var", "void",
      "while"};
  return *words;
}

class Parser final : public ExprFactory {
 public:
  Parser(std::vector<Token> tokens, const ParseOptions& options)
      : toks_(std::move(tokens)), options_(options) {}

  ExprPtr ParseAll() {
    ExprPtr e = ParseExpr();
    if (e != nullptr && Cur().type != Tok::kEof) {
      Fail(Cur().offset, "mismatched input '" + Describe(Cur()) + "' expecting <EOF>");
      return nullptr;
    }
    return e;
  }

  bool failed() const { return failed_; }
  int32_t error_offset() const { return error_offset_; }
  const std::string& error_message() const { return error_message_; }
  int64_t max_id() const { return next_id_ - 1; }

  // ExprFactory
  ExprPtr NewExpr(ExprKind kind, int32_t offset) override {
    if (++nodes_ > options_.max_nodes) {
      Fail(offset, "expression has more than " + std::to_string(options_.max_nodes) +
                       " nodes after macro expansion");
    }
    auto e = std::make_unique<Expr>();
    e->id = next_id_++;
    e->kind = kind;
    e->offset = offset;
    return e;
  }
  void ReportError(int32_t offset, std::string message) override {
    Fail(offset, std::move(message));
  }
  bool Exhausted() const override { return nodes_ > options_.max_nodes; }

 private:
  const Token& Cur() const { return toks_[p_]; }
  const Token& Ahead(size_t n) const {
    return toks_[std::min(p_ + n, toks_.size() - 1)];
  }
  void Advance() {
    if (p_ + 1 < toks_.size()) {
      ++p_;
    }
  }
  bool Accept(Tok t) {
    if (Cur().type == t) {
      Advance();
      return true;
    }
    return false;
  }

  static std::string Describe(const Token& t) {
    switch (t.type) {
      case Tok::kEof:
        return "<EOF>";
      case Tok::kIdent:
      case Tok::kInt:
      case Tok::kUint:
      case Tok::kDouble:
        return t.text;
      default:
        return "token";
    }
  }

  void Fail(int32_t offset, std::string message) {
    if (!failed_) {
      failed_ = true;
      error_offset_ = offset;
      error_message_ = std::move(message);
    }
  }

  bool Expect(Tok t, std::string_view what) {
    if (Cur().type == Tok::kError) {
      Fail(Cur().offset, Cur().text);
      return false;
    }
    if (Cur().type != t) {
      Fail(Cur().offset,
           "mismatched input '" + Describe(Cur()) + "' expecting " + std::string(what));
      return false;
    }
    Advance();
    return true;
  }

  // Guards recursion and long operator chains alike: both become tree height.
  struct DepthGuard {
    DepthGuard(Parser* p, int32_t offset) : parser(p) {
      if (++parser->depth_ > parser->options_.max_recursion_depth) {
        parser->Fail(offset, "expression recursion limit exceeded: " +
                                 std::to_string(parser->options_.max_recursion_depth));
        ok = false;
      }
    }
    ~DepthGuard() { --parser->depth_; }
    Parser* parser;
    bool ok = true;
  };
  bool Deepen(int& chain, int32_t offset) {
    if (depth_ + ++chain > options_.max_recursion_depth) {
      Fail(offset, "expression recursion limit exceeded: " +
                       std::to_string(options_.max_recursion_depth));
      return false;
    }
    return true;
  }

  ExprPtr Call(std::string fn, int32_t offset, std::vector<ExprPtr> args) {
    ExprPtr e = NewExpr(ExprKind::kCall, offset);
    e->name = std::move(fn);
    e->args = std::move(args);
    return e;
  }
  ExprPtr Binary(std::string fn, int32_t offset, ExprPtr a, ExprPtr b) {
    std::vector<ExprPtr> args;
    args.push_back(std::move(a));
    args.push_back(std::move(b));
    return Call(std::move(fn), offset, std::move(args));
  }

  ExprPtr ParseExpr() {
    DepthGuard guard(this, Cur().offset);
    if (!guard.ok) {
      return nullptr;
    }
    ExprPtr cond = ParseLogical(Tok::kOr);
    if (cond == nullptr) {
      return nullptr;
    }
    if (Cur().type != Tok::kQuestion) {
      return cond;
    }
    int32_t offset = Cur().offset;
    Advance();
    ExprPtr a = ParseLogical(Tok::kOr);
    if (a == nullptr || !Expect(Tok::kColon, "':'")) {
      return nullptr;
    }
    ExprPtr b = ParseExpr();
    if (b == nullptr) {
      return nullptr;
    }
    std::vector<ExprPtr> args;
    args.push_back(std::move(cond));
    args.push_back(std::move(a));
    args.push_back(std::move(b));
    return Call("_?_:_", offset, std::move(args));
  }

  // `a || b || c` (and `&&`): operands are collected and joined as a balanced tree, as cel-go
  // does, so long chains stay shallow.
  ExprPtr ParseLogical(Tok op) {
    std::vector<ExprPtr> operands;
    std::vector<int32_t> offsets;
    ExprPtr first = op == Tok::kOr ? ParseLogical(Tok::kAnd) : ParseRelation();
    if (first == nullptr) {
      return nullptr;
    }
    operands.push_back(std::move(first));
    while (Cur().type == op) {
      offsets.push_back(Cur().offset);
      Advance();
      ExprPtr next = op == Tok::kOr ? ParseLogical(Tok::kAnd) : ParseRelation();
      if (next == nullptr) {
        return nullptr;
      }
      operands.push_back(std::move(next));
    }
    if (operands.size() == 1) {
      return std::move(operands[0]);
    }
    return Balance(op == Tok::kOr ? "_||_" : "_&&_", operands, offsets, 0, operands.size() - 1);
  }
  ExprPtr Balance(const char* fn, std::vector<ExprPtr>& ops, const std::vector<int32_t>& offs,
                  size_t lo, size_t hi) {
    if (lo == hi) {
      return std::move(ops[lo]);
    }
    size_t mid = (lo + hi + 1) / 2;
    ExprPtr left = Balance(fn, ops, offs, lo, mid - 1);
    ExprPtr right = Balance(fn, ops, offs, mid, hi);
    return Binary(fn, offs[mid - 1], std::move(left), std::move(right));
  }

  ExprPtr ParseRelation() {
    ExprPtr left = ParseAddition();
    int chain = 0;
    while (left != nullptr) {
      const char* fn = nullptr;
      switch (Cur().type) {
        case Tok::kLess:
          fn = "_<_";
          break;
        case Tok::kLessEq:
          fn = "_<=_";
          break;
        case Tok::kGreater:
          fn = "_>_";
          break;
        case Tok::kGreaterEq:
          fn = "_>=_";
          break;
        case Tok::kEq:
          fn = "_==_";
          break;
        case Tok::kNotEq:
          fn = "_!=_";
          break;
        case Tok::kIn:
          fn = "@in";
          break;
        default:
          return left;
      }
      int32_t offset = Cur().offset;
      if (!Deepen(chain, offset)) {
        return nullptr;
      }
      Advance();
      ExprPtr right = ParseAddition();
      if (right == nullptr) {
        return nullptr;
      }
      left = Binary(fn, offset, std::move(left), std::move(right));
    }
    return left;
  }

  ExprPtr ParseAddition() {
    ExprPtr left = ParseMultiplication();
    int chain = 0;
    while (left != nullptr && (Cur().type == Tok::kPlus || Cur().type == Tok::kMinus)) {
      const char* fn = Cur().type == Tok::kPlus ? "_+_" : "_-_";
      int32_t offset = Cur().offset;
      if (!Deepen(chain, offset)) {
        return nullptr;
      }
      Advance();
      ExprPtr right = ParseMultiplication();
      if (right == nullptr) {
        return nullptr;
      }
      left = Binary(fn, offset, std::move(left), std::move(right));
    }
    return left;
  }

  ExprPtr ParseMultiplication() {
    ExprPtr left = ParseUnary();
    int chain = 0;
    while (left != nullptr && (Cur().type == Tok::kStar || Cur().type == Tok::kSlash ||
                               Cur().type == Tok::kPercent)) {
      const char* fn = Cur().type == Tok::kStar ? "_*_" : (Cur().type == Tok::kSlash ? "_/_"
                                                                                    : "_%_");
      int32_t offset = Cur().offset;
      if (!Deepen(chain, offset)) {
        return nullptr;
      }
      Advance();
      ExprPtr right = ParseUnary();
      if (right == nullptr) {
        return nullptr;
      }
      left = Binary(fn, offset, std::move(left), std::move(right));
    }
    return left;
  }

  ExprPtr ParseUnary() {
    Tok t = Cur().type;
    if (t != Tok::kNot && t != Tok::kMinus) {
      return ParseMember();
    }
    std::vector<int32_t> offsets;
    while (Cur().type == t) {
      offsets.push_back(Cur().offset);
      Advance();
    }
    if (static_cast<int>(offsets.size()) + depth_ > options_.max_recursion_depth) {
      Fail(offsets[0], "expression recursion limit exceeded: " +
                           std::to_string(options_.max_recursion_depth));
      return nullptr;
    }
    ExprPtr operand;
    if (t == Tok::kMinus && (Cur().type == Tok::kInt || Cur().type == Tok::kDouble)) {
      // The innermost minus belongs to the literal so that -9223372036854775808 is valid.
      operand = ParseMemberFrom(ParseNumber(/*negative=*/true, offsets.back()));
      offsets.pop_back();
    } else {
      operand = ParseMember();
    }
    for (auto it = offsets.rbegin(); operand != nullptr && it != offsets.rend(); ++it) {
      std::vector<ExprPtr> args;
      args.push_back(std::move(operand));
      operand = Call(t == Tok::kNot ? "!_" : "-_", *it, std::move(args));
    }
    return operand;
  }

  ExprPtr ParseNumber(bool negative, int32_t offset) {
    const Token& tok = Cur();
    ExprPtr e = NewExpr(ExprKind::kConst, offset);
    if (tok.type == Tok::kDouble) {
      e->constant = Value::Double(negative ? -tok.number : tok.number);
      Advance();
      return e;
    }
    std::string text = tok.text;
    bool hex = text.size() > 2 && (text[1] == 'x' || text[1] == 'X');
    errno = 0;
    char* end = nullptr;
    unsigned long long mag = std::strtoull(hex ? text.c_str() + 2 : text.c_str(), &end,
                                           hex ? 16 : 10);
    bool overflow = errno == ERANGE;
    if (tok.type == Tok::kUint) {
      if (overflow) {
        Fail(tok.offset, "invalid uint literal");
        return nullptr;
      }
      e->constant = Value::Uint(mag);
    } else {
      if (overflow || mag > (negative ? 9223372036854775808ULL : 9223372036854775807ULL)) {
        Fail(tok.offset, "invalid int literal");
        return nullptr;
      }
      e->constant = Value::Int(negative ? static_cast<int64_t>(0 - mag)
                                        : static_cast<int64_t>(mag));
    }
    Advance();
    return e;
  }

  ExprPtr ParseMember() { return ParseMemberFrom(ParsePrimary()); }

  ExprPtr ParseMemberFrom(ExprPtr e) {
    int chain = 0;
    while (e != nullptr) {
      Tok t = Cur().type;
      int32_t offset = Cur().offset;
      if (t == Tok::kDot) {
        if (!Deepen(chain, offset)) {
          return nullptr;
        }
        Advance();
        bool optional = false;
        if (Cur().type == Tok::kQuestion) {
          if (!options_.enable_optional_syntax) {
            Fail(Cur().offset, "unsupported syntax '.?'");
            return nullptr;
          }
          optional = true;
          Advance();
        }
        std::string field;
        bool quoted = Cur().type == Tok::kQuotedIdent;
        if (Cur().type == Tok::kIdent || quoted) {
          field = Cur().text;
          Advance();
        } else {
          Expect(Tok::kIdent, "IDENTIFIER");
          return nullptr;
        }
        if (!quoted && !optional && Cur().type == Tok::kLParen) {
          int32_t call_offset = Cur().offset;
          Advance();
          std::vector<ExprPtr> args;
          if (!ParseList(Tok::kRParen, "')'", &args)) {
            return nullptr;
          }
          e = MakeCall(call_offset, field, std::move(e), std::move(args));
          continue;
        }
        if (optional) {
          ExprPtr name = NewExpr(ExprKind::kConst, offset);
          name->constant = Value::String(field);
          e = Binary("_?._", offset, std::move(e), std::move(name));
          continue;
        }
        ExprPtr sel = NewExpr(ExprKind::kSelect, offset);
        sel->name = std::move(field);
        sel->target = std::move(e);
        e = std::move(sel);
      } else if (t == Tok::kLBracket) {
        if (!Deepen(chain, offset)) {
          return nullptr;
        }
        Advance();
        bool optional = false;
        if (Cur().type == Tok::kQuestion) {
          if (!options_.enable_optional_syntax) {
            Fail(Cur().offset, "unsupported syntax '[?'");
            return nullptr;
          }
          optional = true;
          Advance();
        }
        ExprPtr index = ParseExpr();
        if (index == nullptr || !Expect(Tok::kRBracket, "']'")) {
          return nullptr;
        }
        e = Binary(optional ? "_[?_]" : "_[_]", offset, std::move(e), std::move(index));
      } else if (t == Tok::kLBrace && IsQualifiedName(*e)) {
        std::string name = QualifiedName(*e);
        e = ParseStruct(std::move(name), e->offset);
      } else {
        return e;
      }
    }
    return e;
  }

  static bool IsQualifiedName(const Expr& e) {
    if (e.kind == ExprKind::kIdent) {
      return true;
    }
    return e.kind == ExprKind::kSelect && !e.test_only && e.target != nullptr &&
           IsQualifiedName(*e.target);
  }
  static std::string QualifiedName(const Expr& e) {
    if (e.kind == ExprKind::kIdent) {
      return e.name;
    }
    return QualifiedName(*e.target) + "." + e.name;
  }

  ExprPtr ParseStruct(std::string name, int32_t offset) {
    ExprPtr e = NewExpr(ExprKind::kStruct, Cur().offset);
    e->name = std::move(name);
    Advance();  // '{'
    while (Cur().type != Tok::kRBrace) {
      Entry entry;
      entry.id = next_id_++;
      if (Cur().type == Tok::kQuestion) {
        if (!options_.enable_optional_syntax) {
          Fail(Cur().offset, "unsupported syntax '?'");
          return nullptr;
        }
        entry.optional = true;
        Advance();
      }
      if (Cur().type != Tok::kIdent && Cur().type != Tok::kQuotedIdent) {
        Expect(Tok::kIdent, "IDENTIFIER");
        return nullptr;
      }
      entry.field = Cur().text;
      Advance();
      if (!Expect(Tok::kColon, "':'")) {
        return nullptr;
      }
      entry.value = ParseExpr();
      if (entry.value == nullptr) {
        return nullptr;
      }
      e->entries.push_back(std::move(entry));
      if (!Accept(Tok::kComma)) {
        break;
      }
    }
    if (!Expect(Tok::kRBrace, "'}'")) {
      return nullptr;
    }
    return e;
  }

  // Parses `a, b, c` up to `close` (trailing comma allowed only where CEL allows it).
  bool ParseList(Tok close, std::string_view what, std::vector<ExprPtr>* out,
                 std::vector<int32_t>* optional_indices = nullptr) {
    while (Cur().type != close) {
      if (optional_indices != nullptr && Cur().type == Tok::kQuestion) {
        if (!options_.enable_optional_syntax) {
          Fail(Cur().offset, "unsupported syntax '?'");
          return false;
        }
        optional_indices->push_back(static_cast<int32_t>(out->size()));
        Advance();
      }
      ExprPtr e = ParseExpr();
      if (e == nullptr) {
        return false;
      }
      out->push_back(std::move(e));
      if (!Accept(Tok::kComma)) {
        break;
      }
      if (close == Tok::kRParen && Cur().type == close) {
        Fail(Cur().offset, "unexpected ')' after ','");
        return false;
      }
    }
    return Expect(close, what);
  }

  ExprPtr MakeCall(int32_t offset, std::string fn, ExprPtr target, std::vector<ExprPtr> args) {
    if (options_.enable_macros) {
      bool matched = false;
      ExprPtr expanded = ExpandMacro(*this, offset, fn, target, args, &matched);
      if (matched) {
        return expanded;
      }
    }
    ExprPtr e = Call(std::move(fn), offset, std::move(args));
    e->target = std::move(target);
    return e;
  }

  ExprPtr ParsePrimary() {
    const Token& tok = Cur();
    int32_t offset = tok.offset;
    switch (tok.type) {
      case Tok::kInt:
      case Tok::kUint:
      case Tok::kDouble:
        return ParseNumber(false, offset);
      case Tok::kString:
      case Tok::kBytes: {
        ExprPtr e = NewExpr(ExprKind::kConst, offset);
        e->constant = tok.type == Tok::kString ? Value::String(tok.text) : Value::Bytes(tok.text);
        Advance();
        return e;
      }
      case Tok::kTrue:
      case Tok::kFalse: {
        ExprPtr e = NewExpr(ExprKind::kConst, offset);
        e->constant = Value::Bool(tok.type == Tok::kTrue);
        Advance();
        return e;
      }
      case Tok::kNull: {
        ExprPtr e = NewExpr(ExprKind::kConst, offset);
        Advance();
        return e;
      }
      case Tok::kLParen: {
        Advance();
        ExprPtr e = ParseExpr();
        if (e == nullptr || !Expect(Tok::kRParen, "')'")) {
          return nullptr;
        }
        return e;
      }
      case Tok::kLBracket: {
        ExprPtr e = NewExpr(ExprKind::kList, offset);
        Advance();
        DepthGuard guard(this, offset);
        if (!guard.ok || !ParseList(Tok::kRBracket, "']'", &e->args, &e->optional_indices)) {
          return nullptr;
        }
        return e;
      }
      case Tok::kLBrace:
        return ParseMap();
      case Tok::kDot:
      case Tok::kIdent: {
        std::string name;
        if (tok.type == Tok::kDot) {
          Advance();
          if (Cur().type != Tok::kIdent) {
            Expect(Tok::kIdent, "IDENTIFIER");
            return nullptr;
          }
          name = ".";
        }
        const std::string& word = Cur().text;
        if (ReservedWords().count(word) != 0) {
          Fail(Cur().offset, "reserved identifier: " + word);
          return nullptr;
        }
        name += word;
        int32_t ident_offset = Cur().offset;
        Advance();
        if (Cur().type == Tok::kLParen) {
          int32_t call_offset = Cur().offset;
          Advance();
          std::vector<ExprPtr> args;
          DepthGuard guard(this, call_offset);
          if (!guard.ok || !ParseList(Tok::kRParen, "')'", &args)) {
            return nullptr;
          }
          return MakeCall(call_offset, std::move(name), nullptr, std::move(args));
        }
        ExprPtr e = NewExpr(ExprKind::kIdent, ident_offset);
        e->name = std::move(name);
        return e;
      }
      case Tok::kError:
        Fail(offset, tok.text);
        return nullptr;
      default:
        Fail(offset, "mismatched input '" + Describe(tok) + "' expecting expression");
        return nullptr;
    }
  }

  ExprPtr ParseMap() {
    ExprPtr e = NewExpr(ExprKind::kMap, Cur().offset);
    DepthGuard guard(this, Cur().offset);
    if (!guard.ok) {
      return nullptr;
    }
    Advance();
    while (Cur().type != Tok::kRBrace) {
      Entry entry;
      entry.id = next_id_++;
      if (Cur().type == Tok::kQuestion) {
        if (!options_.enable_optional_syntax) {
          Fail(Cur().offset, "unsupported syntax '?'");
          return nullptr;
        }
        entry.optional = true;
        Advance();
      }
      entry.key = ParseExpr();
      if (entry.key == nullptr || !Expect(Tok::kColon, "':'")) {
        return nullptr;
      }
      entry.value = ParseExpr();
      if (entry.value == nullptr) {
        return nullptr;
      }
      e->entries.push_back(std::move(entry));
      if (!Accept(Tok::kComma)) {
        break;
      }
    }
    if (!Expect(Tok::kRBrace, "'}'")) {
      return nullptr;
    }
    return e;
  }

  std::vector<Token> toks_;
  size_t p_ = 0;
  const ParseOptions& options_;
  int depth_ = 0;
  int64_t next_id_ = 1;
  bool failed_ = false;
  size_t nodes_ = 0;
  int32_t error_offset_ = 0;
  std::string error_message_;
};

}  // namespace

StatusOr<ParsedExpr> Parse(std::string_view text, const ParseOptions& options) {
  auto source = std::make_shared<Source>(std::string(text));
  if (text.size() > options.max_source_bytes) {
    return InvalidArgumentError(source->FormatError(
        0, "expression size exceeds the limit of " + std::to_string(options.max_source_bytes) +
               " bytes"));
  }
  Parser parser(Lex(text), options);
  ExprPtr root = parser.ParseAll();
  if (parser.failed() || root == nullptr) {
    return InvalidArgumentError(
        source->FormatError(parser.error_offset(), parser.error_message()));
  }
  ParsedExpr out;
  out.root = std::move(root);
  out.source = std::move(source);
  out.max_id = parser.max_id();
  return out;
}

}  // namespace cellar::cel
