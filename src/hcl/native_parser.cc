// src/hcl/native_parser.cc: recursive-descent parser for HCL native syntax, lexing on demand.
//
// The lexer walks the bytes once and never allocates: tokens are views into the source. Templates
// ("...", heredocs) are scanned by the parser straight from the cursor because their lexing
// depends on context. Recursion is bounded by options.max_depth; after the error limit or a
// nesting overflow the parser stops, so hostile input cannot exhaust the stack or hang.
#include "hcl/native_parser.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string>
#include <unordered_set>
#include <vector>

namespace cellar::hcl::internal {
namespace {

enum class Tok : uint8_t {
  kEof,
  kNewline,
  kIdent,
  kNumber,
  kQuote,
  kHeredoc,
  kLBrace,
  kRBrace,
  kLBrack,
  kRBrack,
  kLParen,
  kRParen,
  kComma,
  kDot,
  kEllipsis,
  kColon,
  kDoubleColon,
  kQuestion,
  kAssign,
  kArrow,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kPercent,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kAnd,
  kOr,
  kBang,
  kTildeRBrace,
  kInvalid,
};

std::string Describe(Tok kind, std::string_view text) {
  switch (kind) {
    case Tok::kEof:
      return "end of file";
    case Tok::kNewline:
      return "newline";
    case Tok::kIdent:
      return "\"" + std::string(text) + "\"";
    case Tok::kNumber:
      return "number " + std::string(text);
    case Tok::kQuote:
      return "string";
    case Tok::kHeredoc:
      return "heredoc";
    case Tok::kInvalid:
      return "invalid character";
    default:
      return "'" + std::string(text) + "'";
  }
}

struct Token {
  std::string_view text;
  const char* error = nullptr;  // for kInvalid
  Pos start;
  Pos end;
  // Newlines are not tokens of their own: a token remembers whether one preceded it, and Peek()
  // presents that newline only where newlines matter, so lookahead never loses one.
  Pos nl_pos;
  Tok kind = Tok::kEof;
  bool nl_before = false;
};

// Character classes by table: the lexer's inner loops test one byte per load.
constexpr uint8_t kIdentStartBit = 1;
constexpr uint8_t kIdentContinueBit = 2;
constexpr uint8_t kAsciiIdentContinueBit = 4;  // one byte, one column
constexpr uint8_t kBlankOrCommentBit = 8;      // may start blanks or a comment: ' ' \t \r # /

struct CharTable {
  uint8_t bits[256] = {};
  constexpr CharTable() {
    for (int c = 0; c < 256; ++c) {
      bool start = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
      bool cont = start || (c >= '0' && c <= '9') || c == '-';
      bool blank = c == ' ' || c == '\t' || c == '\r' || c == '#' || c == '/';
      bits[c] = static_cast<uint8_t>((start ? kIdentStartBit : 0) | (cont ? kIdentContinueBit : 0) |
                                     (cont && c < 0x80 ? kAsciiIdentContinueBit : 0) |
                                     (blank ? kBlankOrCommentBit : 0));
    }
  }
};
constexpr CharTable kChars;

bool Has(unsigned char c, uint8_t bit) { return (kChars.bits[c] & bit) != 0; }
bool IsIdentStart(unsigned char c) { return Has(c, kIdentStartBit); }
bool IsIdentContinue(unsigned char c) { return Has(c, kIdentContinueBit); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

enum class TemplateMode { kQuoted, kHeredoc, kRaw };
enum class TemplateEnd { kQuote, kEnd, kElse, kEndIf, kEndFor, kError };

class Parser {
 public:
  Parser(File& file, std::string_view text, Pos origin, Diagnostics& diags,
         const ParseOptions& options, int depth)
      : arena_(file.arena()),
        diags_(diags),
        options_(options),
        filename_(file.filename()),
        begin_(text.data()),
        end_(text.data() + text.size()),
        p_(text.data()),
        line_(origin.line),
        col_(origin.column),
        offset_base_(origin.offset),
        depth_(depth) {}

  void ParseFile(Body& body) {
    body.range.file = filename_;
    body.range.start = CurPos();
    ParseBodyItems(body, /*root=*/true, /*one_line=*/false);
    body.range.end = CurPos();
  }

  const Expr* ParseOnlyExpression() {
    skip_nl_ = true;
    const Expr* e = ParseExpr();
    if (!stop_ && Peek().kind != Tok::kEof) {
      ErrorAt(Peek(), "expected end of expression, found " + Describe(Peek().kind, Peek().text));
    }
    return e;
  }

  const Expr* ParseRawTemplate(Range range) {
    TemplateEnd how;
    Pos start = CurPos();
    Expr* t = ParseTemplateParts(TemplateMode::kRaw, &how, start);
    if (how == TemplateEnd::kElse || how == TemplateEnd::kEndIf || how == TemplateEnd::kEndFor) {
      Error(t->range, "template directive without a matching %{ if } or %{ for }");
    }
    return Simplify(t, range);
  }

 private:
  // ---- cursor and positions ----

  Pos CurPos() const { return Pos{line_, col_, offset_base_ + static_cast<int>(p_ - begin_)}; }

  // Advances over one byte, keeping line and column (columns count code points).
  void Bump() {
    unsigned char c = static_cast<unsigned char>(*p_++);
    if (c == '\n') {
      ++line_;
      col_ = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++col_;
    }
  }
  // Advances n bytes known to hold no newline and only ASCII.
  void BumpAscii(size_t n) {
    p_ += n;
    col_ += static_cast<int>(n);
  }

  // ---- diagnostics ----

  void Error(const Range& range, std::string message) {
    if (recovering_ || stop_) {
      return;
    }
    recovering_ = true;
    brackets_at_error_ = open_brackets_;  // copied: the guards unwind before recovery runs
    template_at_error_ = open_templates_ > 0;
    diags_.push_back(Diagnostic{Severity::kError, range, std::move(message)});
    if (diags_.size() >= options_.max_errors) {
      stop_ = true;
    }
  }
  void ErrorAt(const Token& t, std::string message) { Error(RangeOf(t), std::move(message)); }
  Range RangeOf(const Token& t) const { return Range{filename_, t.start, t.end}; }
  Range RangeAt(Pos a, Pos b) const { return Range{filename_, a, b}; }

  // ---- lexer ----

  void SkipSpaceAndComments() {
    while (p_ < end_) {
      char c = *p_;
      if (c == ' ' || c == '\t' || c == '\r') {
        // Locals, not members, in the hot loops: a char read may alias any member otherwise.
        const char* q = p_ + 1;
        while (q < end_ && (*q == ' ' || *q == '\t' || *q == '\r')) {
          ++q;
        }
        col_ += static_cast<int>(q - p_);
        p_ = q;
      } else if (c == '#' || (c == '/' && p_ + 1 < end_ && p_[1] == '/')) {
        const char* q = p_;
        int cols = 0;
        while (q < end_ && *q != '\n') {
          cols += (static_cast<unsigned char>(*q) & 0xC0) != 0x80;
          ++q;
        }
        col_ += cols;
        p_ = q;
      } else if (c == '/' && p_ + 1 < end_ && p_[1] == '*') {
        Pos start = CurPos();
        BumpAscii(2);
        bool closed = false;
        while (p_ < end_) {
          if (*p_ == '*' && p_ + 1 < end_ && p_[1] == '/') {
            BumpAscii(2);
            closed = true;
            break;
          }
          Bump();
        }
        if (!closed) {
          Error(RangeAt(start, CurPos()), "unterminated comment: /* has no matching */");
          stop_ = true;
        }
      } else {
        break;
      }
    }
  }

  // Lexes the next token into `t` (every field is set; `t` is reused, not constructed, because
  // this runs once per token).
  [[gnu::always_inline]] void Lex(Token& t) {
    t.nl_before = false;
    t.error = nullptr;
    while (p_ < end_) {
      unsigned char b = static_cast<unsigned char>(*p_);
      if (b == '\n') {
        if (stop_) {
          break;
        }
        if (!t.nl_before) {
          t.nl_before = true;
          t.nl_pos = CurPos();
        }
        ++p_;
        ++line_;
        col_ = 1;
        continue;
      }
      if (!Has(b, kBlankOrCommentBit)) {
        break;
      }
      if (b == ' ' && p_ + 1 < end_ && !Has(static_cast<unsigned char>(p_[1]), kBlankOrCommentBit)) {
        ++p_;  // the usual single space between tokens
        ++col_;
        continue;
      }
      const char* before = p_;
      SkipSpaceAndComments();
      if (p_ == before) {
        break;  // a '/' that starts no comment: the division operator
      }
    }
    t.start = CurPos();
    if (p_ >= end_ || stop_) {
      t.kind = Tok::kEof;
      t.text = {};
      t.end = t.start;
      return;
    }
    const char* s = p_;
    unsigned char c = static_cast<unsigned char>(*p_);
    auto one = [&](Tok k, size_t n) {
      BumpAscii(n);
      t.kind = k;
    };
    auto next = [&](size_t i) -> char { return p_ + i < end_ ? p_[i] : '\0'; };
    if (IsIdentStart(c)) {
      const char* q = p_;
      while (q < end_ && Has(static_cast<unsigned char>(*q), kAsciiIdentContinueBit)) {
        ++q;
      }
      int cols = static_cast<int>(q - p_);
      // Names with non-ASCII letters: columns count code points, not bytes.
      while (q < end_ && IsIdentContinue(static_cast<unsigned char>(*q))) {
        cols += (static_cast<unsigned char>(*q) & 0xC0) != 0x80;
        ++q;
      }
      p_ = q;
      col_ += cols;
      t.kind = Tok::kIdent;
    } else if (IsDigit(c)) {
      while (p_ < end_ && IsDigit(*p_)) {
        BumpAscii(1);
      }
      if (p_ + 1 < end_ && *p_ == '.' && IsDigit(p_[1])) {
        BumpAscii(1);
        while (p_ < end_ && IsDigit(*p_)) {
          BumpAscii(1);
        }
      }
      if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
        const char* q = p_ + 1;
        if (q < end_ && (*q == '+' || *q == '-')) {
          ++q;
        }
        if (q < end_ && IsDigit(*q)) {
          BumpAscii(q - p_);
          while (p_ < end_ && IsDigit(*p_)) {
            BumpAscii(1);
          }
        }
      }
      t.kind = Tok::kNumber;
    } else {
      switch (c) {
        case '"':
          one(Tok::kQuote, 1);
          break;
        case '{':
          one(Tok::kLBrace, 1);
          break;
        case '}':
          one(Tok::kRBrace, 1);
          break;
        case '[':
          one(Tok::kLBrack, 1);
          break;
        case ']':
          one(Tok::kRBrack, 1);
          break;
        case '(':
          one(Tok::kLParen, 1);
          break;
        case ')':
          one(Tok::kRParen, 1);
          break;
        case ',':
          one(Tok::kComma, 1);
          break;
        case '?':
          one(Tok::kQuestion, 1);
          break;
        case '+':
          one(Tok::kPlus, 1);
          break;
        case '-':
          one(Tok::kMinus, 1);
          break;
        case '*':
          one(Tok::kStar, 1);
          break;
        case '/':
          one(Tok::kSlash, 1);
          break;
        case '%':
          one(Tok::kPercent, 1);
          break;
        case '.':
          if (next(1) == '.' && next(2) == '.') {
            one(Tok::kEllipsis, 3);
          } else {
            one(Tok::kDot, 1);
          }
          break;
        case ':':
          if (next(1) == ':') {
            one(Tok::kDoubleColon, 2);
          } else {
            one(Tok::kColon, 1);
          }
          break;
        case '=':
          if (next(1) == '=') {
            one(Tok::kEq, 2);
          } else if (next(1) == '>') {
            one(Tok::kArrow, 2);
          } else {
            one(Tok::kAssign, 1);
          }
          break;
        case '!':
          if (next(1) == '=') {
            one(Tok::kNe, 2);
          } else {
            one(Tok::kBang, 1);
          }
          break;
        case '<':
          if (next(1) == '<') {
            LexHeredocStart(t);
          } else if (next(1) == '=') {
            one(Tok::kLe, 2);
          } else {
            one(Tok::kLt, 1);
          }
          break;
        case '>':
          if (next(1) == '=') {
            one(Tok::kGe, 2);
          } else {
            one(Tok::kGt, 1);
          }
          break;
        case '&':
          if (next(1) == '&') {
            one(Tok::kAnd, 2);
          } else {
            one(Tok::kInvalid, 1);
            t.error = "'&' is not an operator; use && for logical and";
          }
          break;
        case '|':
          if (next(1) == '|') {
            one(Tok::kOr, 2);
          } else {
            one(Tok::kInvalid, 1);
            t.error = "'|' is not an operator; use || for logical or";
          }
          break;
        case '~':
          if (next(1) == '}') {
            one(Tok::kTildeRBrace, 2);
          } else {
            one(Tok::kInvalid, 1);
            t.error = "'~' is only valid as a template strip marker";
          }
          break;
        case '\'':
          one(Tok::kInvalid, 1);
          t.error = "single quotes are not valid; use double quotes for strings";
          break;
        default:
          Bump();
          t.kind = Tok::kInvalid;
          t.error = "invalid character";
          break;
      }
    }
    t.text = std::string_view(s, p_ - s);
    t.end = CurPos();
  }

  // At "<<": "<<EOF" or "<<-EOF", which must be followed by a newline (consumed with the token).
  void LexHeredocStart(Token& t) {
    BumpAscii(2);
    if (p_ < end_ && *p_ == '-') {
      BumpAscii(1);
    }
    const char* id = p_;
    if (p_ < end_ && IsIdentStart(static_cast<unsigned char>(*p_))) {
      while (p_ < end_ && IsIdentContinue(static_cast<unsigned char>(*p_))) {
        Bump();
      }
    }
    if (p_ == id) {
      t.kind = Tok::kInvalid;
      t.error = "invalid heredoc: expected an identifier after << or <<-";
      return;
    }
    const char* after = p_;
    while (after < end_ && (*after == ' ' || *after == '\t' || *after == '\r')) {
      ++after;
    }
    if (after < end_ && *after != '\n') {
      t.kind = Tok::kInvalid;
      t.error = "invalid heredoc: the marker must be followed by a newline";
      return;
    }
    t.kind = Tok::kHeredoc;
  }

  // Small enough to inline at every call; the lexing itself stays out of line.
  [[gnu::always_inline]] const Token& Peek() {
    if (!have_tok_) {
      LexNext();
    }
    return tok_.nl_before && !skip_nl_ ? nl_tok_ : tok_;
  }
  [[gnu::noinline]] void LexNext() {
    Lex(tok_);
    have_tok_ = true;
    if (tok_.nl_before) {
      nl_tok_.kind = Tok::kNewline;
      nl_tok_.text = "\n";
      nl_tok_.start = tok_.nl_pos;
      nl_tok_.end = Pos{tok_.nl_pos.line + 1, 1, tok_.nl_pos.offset + 1};
    }
  }
  // The token stays valid until the next Peek(); callers that keep it take a copy.
  [[gnu::always_inline]] const Token& Take() {
    if (!have_tok_) {
      LexNext();
    }
    if (tok_.nl_before && !skip_nl_) {
      tok_.nl_before = false;  // consumes just the newline; the real token stays cached
      return nl_tok_;
    }
    have_tok_ = false;
    return tok_;
  }
  bool TakeIf(Tok kind) {
    if (Peek().kind == kind) {
      Take();
      return true;
    }
    return false;
  }
  // Consumes newlines where the grammar allows a line break (after an operator or '=').
  void SkipNewlines() {
    Peek();
    tok_.nl_before = false;
  }
  bool PeekKeyword(std::string_view word) {
    const Token& t = Peek();
    return t.kind == Tok::kIdent && t.text == word;
  }
  // The kind of the token after the current one; restores the cursor.
  Tok SecondKind() {
    Peek();
    // Fast path: after blanks, most next tokens are told by one or two bytes without a re-lex.
    const char* q = p_;
    while (q < end_ && (*q == ' ' || *q == '\t')) {
      ++q;
    }
    if (q < end_ && !stop_) {
      unsigned char c = static_cast<unsigned char>(*q);
      char n = q + 1 < end_ ? q[1] : '\0';
      if (IsIdentStart(c)) {
        return Tok::kIdent;
      }
      switch (c) {
        case '=':
          return n == '=' ? Tok::kEq : n == '>' ? Tok::kArrow : Tok::kAssign;
        case ':':
          return n == ':' ? Tok::kDoubleColon : Tok::kColon;
        case '*':
          return Tok::kStar;
        case '"':
          return Tok::kQuote;
        case '(':
          return Tok::kLParen;
        case '[':
          return Tok::kLBrack;
        case '{':
          return Tok::kLBrace;
        default:
          break;
      }
    }
    const char* p = p_;
    int line = line_, col = col_;
    bool stop = stop_;
    Token next;
    Lex(next);
    Tok kind = next.kind;
    p_ = p;
    line_ = line;
    col_ = col;
    stop_ = stop;
    return kind;
  }
  bool SecondIs(Tok kind) { return SecondKind() == kind; }
  bool Expect(Tok kind, std::string_view what) {
    if (TakeIf(kind)) {
      return true;
    }
    const Token& t = Peek();
    if (t.kind == Tok::kInvalid) {
      ErrorAt(t, t.error);
    } else {
      ErrorAt(t, "expected " + std::string(what) + ", found " + Describe(t.kind, t.text));
    }
    return false;
  }

  // RAII: switches newline significance for a nested construct.
  class NewlineMode {
   public:
    NewlineMode(Parser& p, bool skip) : p_(p), saved_(p.skip_nl_) { p.skip_nl_ = skip; }
    ~NewlineMode() { p_.skip_nl_ = saved_; }

   private:
    Parser& p_;
    bool saved_;
  };

  // RAII: counts expression brackets open around the cursor, so error recovery can skip their
  // closers instead of mistaking a '}' for the end of a block.
  class BracketGuard {
   public:
    BracketGuard(Parser& p, Tok opener) : p_(p) { p.open_brackets_.push_back(opener); }
    ~BracketGuard() { p_.open_brackets_.pop_back(); }

   private:
    Parser& p_;
  };

  struct TemplateExit {
    explicit TemplateExit(Parser& p) : p(p) {}
    ~TemplateExit() { --p.open_templates_; }
    Parser& p;
  };

  // RAII: remembers where a construct's items start on scratch_ and drops them on early return.
  struct ScratchMark {
    explicit ScratchMark(Parser& p) : p(p), mark(p.scratch_.size()) {}
    ~ScratchMark() {
      if (p.scratch_.size() > mark) {
        p.scratch_.resize(mark);
      }
    }
    Parser& p;
    size_t mark;
  };

  // RAII: bounds recursion. When the limit is hit the parser stops outright.
  class DepthGuard {
   public:
    DepthGuard(Parser& p, Pos at) : p_(p) {
      if (++p.depth_ > p.options_.max_depth) {
        p.Error(p.RangeAt(at, at),
                "nesting too deep: more than " + std::to_string(p.options_.max_depth) + " levels");
        p.stop_ = true;
      }
    }
    ~DepthGuard() { --p_.depth_; }

   private:
    Parser& p_;
  };

  // ---- node construction ----

  Expr* NewExpr(ExprKind kind, Pos start, Pos end) {
    Expr* e = arena_.New<Expr>();
    e->kind = kind;
    e->range = RangeAt(start, end);
    return e;
  }
  void SetChildren(Expr* e, const Expr* const* kids, size_t n) {
    Expr** arr = arena_.NewArray<Expr*>(n);
    int d = 0;
    for (size_t i = 0; i < n; ++i) {
      arr[i] = const_cast<Expr*>(kids[i]);
      if (kids[i] != nullptr) {
        d = std::max<int>(d, kids[i]->depth);
      }
    }
    e->children = std::span<Expr*>(arr, n);
    if (d + 1 > 2 * options_.max_depth) {
      Error(e->range, "expression too deeply nested: more than " +
                          std::to_string(2 * options_.max_depth) + " levels");
      stop_ = true;
      d = 2 * options_.max_depth;  // keeps depth within uint16_t regardless
    }
    e->depth = static_cast<uint16_t>(d + 1);
  }
  // Children collected on the shared scratch stack from `mark` on, then moved to the arena.
  void SetChildrenFromScratch(Expr* e, size_t mark) {
    SetChildren(e, scratch_.data() + mark, scratch_.size() - mark);
    scratch_.resize(mark);
  }
  void SetChildren(Expr* e, std::initializer_list<const Expr*> kids) {
    SetChildren(e, kids.begin(), kids.size());
  }
  Expr* Invalid(Pos at) { return NewExpr(ExprKind::kInvalid, at, at); }

  // ---- bodies ----

  void ParseBodyItems(Body& body, bool root, bool one_line) {
    NewlineMode mode(*this, false);
    std::unordered_set<std::string_view> seen;  // used only once a body grows large
    for (;;) {
      recovering_ = false;
      const Token& t = Peek();
      if (stop_) {
        return;
      }
      if (t.kind == Tok::kNewline) {
        Take();
        continue;
      }
      if (t.kind == Tok::kEof) {
        return;
      }
      if (t.kind == Tok::kRBrace) {
        if (!root) {
          return;
        }
        ErrorAt(t, "unexpected '}': no block is open here");
        Take();
        continue;
      }
      if (t.kind != Tok::kIdent) {
        if (t.kind == Tok::kInvalid) {
          ErrorAt(t, t.error);
        } else {
          ErrorAt(t,
                  "expected an attribute or block definition, found " + Describe(t.kind, t.text));
        }
        SkipToLineEnd();
        continue;
      }
      ParseItem(body, seen, one_line);
    }
  }

  void ParseItem(Body& body, std::unordered_set<std::string_view>& seen, bool one_line) {
    Token name = Take();
    if (Peek().kind == Tok::kAssign) {
      Take();
      Attribute attr;
      attr.name = name.text;
      attr.name_range = RangeOf(name);
      const Expr* value = ParseExpr();
      attr.expr = value;
      attr.range = RangeAt(name.start, value->range.end);
      if (recovering_) {
        SkipToLineEnd();
        return;
      }
      const Token& after = Peek();
      if (after.kind != Tok::kNewline && after.kind != Tok::kEof &&
          !(after.kind == Tok::kRBrace && depth_ > 0) && !(one_line && after.kind == Tok::kIdent)) {
        ErrorAt(after, after.kind == Tok::kInvalid
                           ? std::string(after.error)
                           : "missing newline after attribute \"" + std::string(name.text) +
                                 "\"; found " + Describe(after.kind, after.text));
        SkipToLineEnd();
      }
      bool duplicate;
      if (body.attributes.size() < 16) {
        duplicate = body.FindAttribute(attr.name) != nullptr;
      } else {
        if (seen.empty()) {
          for (const Attribute& a : body.attributes) {
            seen.insert(a.name);
          }
        }
        duplicate = !seen.insert(attr.name).second;
      }
      if (duplicate) {
        const Attribute* first = body.FindAttribute(attr.name);
        Error(attr.name_range, "attribute \"" + std::string(attr.name) +
                                   "\" redefined; first defined at " +
                                   (first ? first->name_range.StartString() : std::string("?")));
        return;
      }
      if (body.attributes.empty()) {
        body.attributes.reserve(4);  // one allocation for a typical block body
      }
      body.attributes.push_back(attr);
      return;
    }
    ParseBlock(body, name);
  }

  void ParseBlock(Body& body, const Token& name) {
    DepthGuard guard(*this, name.start);
    if (stop_) {
      return;
    }
    // Built in place, since a Block is large to move; every early return drops it again.
    Block& block = body.blocks.emplace_back();
    struct DropUnlessKept {
      ~DropUnlessKept() {
        if (!keep) {
          blocks.pop_back();
        }
      }
      std::vector<Block>& blocks;
      bool keep = false;
    } drop{body.blocks};
    block.type = name.text;
    block.type_range = RangeOf(name);
    for (;;) {
      const Token& t = Peek();
      if (t.kind == Tok::kIdent) {
        Token l = Take();
        block.labels.push_back(Label{l.text, RangeOf(l), false});
      } else if (t.kind == Tok::kQuote) {
        Token q = Take();
        const Expr* s = ParseQuoted(q.start);
        if (s->kind != ExprKind::kString) {
          if (s->kind != ExprKind::kInvalid) {
            Error(s->range, "block labels must be literal strings, without ${ } or %{ }");
          }
          SkipToLineEnd();
          return;
        }
        block.labels.push_back(Label{s->text, s->range, true});
      } else {
        break;
      }
    }
    Token open = Peek();
    if (open.kind != Tok::kLBrace) {
      if (open.kind == Tok::kInvalid) {
        ErrorAt(open, open.error);
      } else if (block.labels.empty()) {
        ErrorAt(open, "expected '=' or a block after \"" + std::string(name.text) + "\", found " +
                          Describe(open.kind, open.text));
      } else {
        ErrorAt(open, "expected '{' to open block \"" + std::string(name.text) + "\", found " +
                          Describe(open.kind, open.text));
      }
      SkipToLineEnd();
      return;
    }
    Take();
    block.body.range.file = filename_;
    block.body.range.start = open.start;
    bool one_line = Peek().kind != Tok::kNewline;
    ParseBodyItems(block.body, /*root=*/false, one_line);
    if (stop_) {
      return;
    }
    const Token& close = Peek();
    if (close.kind != Tok::kRBrace) {
      ErrorAt(close, "expected '}' to close block \"" + std::string(name.text) + "\" opened at " +
                         RangeOf(open).StartString() + ", found " +
                         Describe(close.kind, close.text));
      return;
    }
    Token c = Take();
    block.body.range.end = c.end;
    block.range = RangeAt(name.start, c.end);
    drop.keep = true;  // complete; a missing newline after it is reported but does not undo it
    const Token& after = Peek();
    if (after.kind != Tok::kNewline && after.kind != Tok::kEof && after.kind != Tok::kRBrace &&
        after.kind != Tok::kIdent) {
      ErrorAt(after, after.kind == Tok::kInvalid
                         ? std::string(after.error)
                         : "missing newline after block \"" + std::string(name.text) +
                               "\"; found " + Describe(after.kind, after.text));
      SkipToLineEnd();
    }
  }

  // Error recovery: skips to the end of the current line, stepping over bracketed groups and
  // strings, and stops before a '}' that would close the enclosing block.
  void SkipToLineEnd() {
    NewlineMode mode(*this, false);
    // Inside a template a quoted string ends at the line anyway, and its '}' closes no block.
    bool in_template = template_at_error_;
    std::vector<Tok> open;  // expression brackets still open, innermost last
    if (!in_template) {
      open.swap(brackets_at_error_);
    }
    brackets_at_error_.clear();
    template_at_error_ = false;
    auto opener_of = [](Tok closer) {
      return closer == Tok::kRBrace   ? Tok::kLBrace
             : closer == Tok::kRBrack ? Tok::kLBrack
                                      : Tok::kLParen;
    };
    for (;;) {
      if (stop_) {
        return;
      }
      const Token& t = Peek();
      switch (t.kind) {
        case Tok::kEof:
          return;
        case Tok::kNewline:
          Take();
          if (open.empty()) {
            return;
          }
          break;
        case Tok::kLBrace:
        case Tok::kLBrack:
        case Tok::kLParen:
          open.push_back(t.kind);
          Take();
          break;
        case Tok::kRBrace:
        case Tok::kRBrack:
        case Tok::kRParen: {
          // A closer pops back to its matching opener; a '}' matching none closes the
          // enclosing block, so stop before it (unless it ended a template sequence).
          auto it = std::find(open.rbegin(), open.rend(), opener_of(t.kind));
          if (it == open.rend()) {
            if (t.kind == Tok::kRBrace && !in_template) {
              return;
            }
            open.clear();
          } else {
            open.erase(std::next(it).base(), open.end());
          }
          Take();
          break;
        }
        case Tok::kQuote: {
          Token q = Take();
          ParseQuoted(q.start);
          break;
        }
        case Tok::kHeredoc: {
          Token h = Take();
          ParseHeredoc(h);
          break;
        }
        default:
          Take();
          break;
      }
    }
  }

  // ---- expressions ----

  const Expr* ParseExpr() {
    if (stop_) {
      return Invalid(Peek().start);
    }
    const Expr* cond = ParseBinary(0);
    if (Peek().kind != Tok::kQuestion) {
      return cond;
    }
    Token q = Take();
    DepthGuard guard(*this, q.start);  // "a ? b : c ? d : ..." recurses without brackets
    if (stop_) {
      return cond;
    }
    NewlineMode mode(*this, true);
    const Expr* yes = ParseExpr();
    if (!Expect(Tok::kColon, "':' in conditional expression")) {
      return yes;
    }
    const Expr* no = ParseExpr();
    Expr* e = NewExpr(ExprKind::kConditional, cond->range.start, no->range.end);
    SetChildren(e, {cond, yes, no});
    return e;
  }

  static int Precedence(Tok kind, Op* op) {
    switch (kind) {
      case Tok::kOr:
        *op = Op::kOr;
        return 1;
      case Tok::kAnd:
        *op = Op::kAnd;
        return 2;
      case Tok::kEq:
        *op = Op::kEq;
        return 3;
      case Tok::kNe:
        *op = Op::kNe;
        return 3;
      case Tok::kLt:
        *op = Op::kLt;
        return 4;
      case Tok::kLe:
        *op = Op::kLe;
        return 4;
      case Tok::kGt:
        *op = Op::kGt;
        return 4;
      case Tok::kGe:
        *op = Op::kGe;
        return 4;
      case Tok::kPlus:
        *op = Op::kAdd;
        return 5;
      case Tok::kMinus:
        *op = Op::kSub;
        return 5;
      case Tok::kStar:
        *op = Op::kMul;
        return 6;
      case Tok::kSlash:
        *op = Op::kDiv;
        return 6;
      case Tok::kPercent:
        *op = Op::kMod;
        return 6;
      default:
        return -1;
    }
  }

  // Precedence climbing: left-associative, recursion only across the six levels.
  const Expr* ParseBinary(int min_prec) {
    const Expr* lhs = ParseUnary();
    for (;;) {
      if (stop_ || recovering_) {
        return lhs;
      }
      Op op = Op::kNone;
      int prec = Precedence(Peek().kind, &op);
      if (prec < 0 || prec < min_prec) {
        return lhs;
      }
      Take();
      SkipNewlines();  // an operand may start on the next line
      const Expr* rhs = ParseBinary(prec + 1);
      Expr* e = NewExpr(ExprKind::kBinary, lhs->range.start, rhs->range.end);
      e->op = op;
      SetChildren(e, {lhs, rhs});
      lhs = e;
    }
  }

  const Expr* ParseUnary() {
    const Token& t = Peek();
    if (t.kind == Tok::kBang || t.kind == Tok::kMinus) {
      Token op = Take();
      DepthGuard guard(*this, op.start);
      if (stop_) {
        return Invalid(op.start);
      }
      const Expr* operand = ParseUnary();
      Expr* e = NewExpr(ExprKind::kUnary, op.start, operand->range.end);
      e->op = op.kind == Tok::kBang ? Op::kNot : Op::kNeg;
      SetChildren(e, {operand});
      return e;
    }
    return ParsePostfix();
  }

  // Reads the digits of a legacy index (".0") straight from the cursor, so "a.0.1" is not lexed
  // as the number 0.1.
  bool LexLegacyIndexDigits(Token* out) {
    if (have_tok_ || p_ >= end_ || !IsDigit(*p_)) {
      return false;
    }
    out->start = CurPos();
    const char* s = p_;
    while (p_ < end_ && IsDigit(*p_)) {
      BumpAscii(1);
    }
    out->kind = Tok::kNumber;
    out->text = std::string_view(s, p_ - s);
    out->end = CurPos();
    return true;
  }

  Expr* NumberNode(const Token& t) {
    Expr* n = NewExpr(ExprKind::kNumber, t.start, t.end);
    n->text = t.text;
    if (t.text.size() <= 15 && std::all_of(t.text.begin(), t.text.end(), IsDigit)) {
      int64_t v = 0;  // up to 15 digits: exact in a double, so no rounding to get right
      for (char c : t.text) {
        v = v * 10 + (c - '0');
      }
      n->number = static_cast<double>(v);
      return n;
    }
    auto r = std::from_chars(t.text.data(), t.text.data() + t.text.size(), n->number);
    if (r.ec == std::errc::result_out_of_range) {
      bool tiny = t.text.find("e-") != std::string_view::npos ||
                  t.text.find("E-") != std::string_view::npos;
      n->number = tiny ? 0.0 : HUGE_VAL;  // beyond double range: saturate like strtod
    }
    return n;
  }

  // One traversal step (.name, .0, [expr]) applied to `base`; nullptr when none follows.
  // Splat operators are not steps: the caller handles them.
  const Expr* ParseTraversalStep(const Expr* base, bool allow_index) {
    const Token& t = Peek();
    if (t.kind == Tok::kDot) {
      if (SecondIs(Tok::kStar)) {
        return nullptr;
      }
      Take();
      Token idx;
      if (LexLegacyIndexDigits(&idx)) {
        Expr* key = NumberNode(idx);
        Expr* e = NewExpr(ExprKind::kIndex, base->range.start, idx.end);
        e->flags |= kFlagLegacyIndex;
        SetChildren(e, {base, key});
        return e;
      }
      const Token& n = Peek();
      if (n.kind != Tok::kIdent) {
        ErrorAt(n, "expected an attribute name after '.', found " + Describe(n.kind, n.text));
        return Invalid(n.start);
      }
      Token name = Take();
      Expr* e = NewExpr(ExprKind::kGetAttr, base->range.start, name.end);
      e->text = name.text;
      SetChildren(e, {base});
      return e;
    }
    if (t.kind == Tok::kLBrack && allow_index) {
      if (SecondIs(Tok::kStar)) {
        return nullptr;
      }
      Token open = Take();
      DepthGuard guard(*this, open.start);
      if (stop_) {
        return Invalid(open.start);
      }
      BracketGuard brackets(*this, open.kind);
      NewlineMode mode(*this, true);
      const Expr* key = ParseExpr();
      Pos end = Peek().end;
      if (!Expect(Tok::kRBrack, "']' to close the index")) {
        return key;
      }
      Expr* e = NewExpr(ExprKind::kIndex, base->range.start, end);
      SetChildren(e, {base, key});
      return e;
    }
    return nullptr;
  }

  const Expr* ParsePostfix() {
    const Expr* e = ParsePrimary();
    for (;;) {
      if (stop_ || recovering_) {
        return e;
      }
      const Token& t = Peek();
      if (t.kind != Tok::kDot && t.kind != Tok::kLBrack) {
        return e;
      }
      const Expr* step = ParseTraversalStep(e, true);
      if (step != nullptr) {
        e = step;
        continue;
      }
      if (recovering_) {
        return e;
      }
      // A splat: ".*" or "[*]".
      bool attr_splat = Peek().kind == Tok::kDot;
      Take();
      Take();  // '*'
      Pos end = tok_.end;
      if (!attr_splat) {
        end = Peek().end;
        if (!Expect(Tok::kRBrack, "']' after '[*'")) {
          return e;
        }
      }
      Expr* item = NewExpr(ExprKind::kSplatItem, end, end);
      const Expr* each = item;
      for (;;) {
        if (stop_ || recovering_) {
          break;
        }
        const Expr* next = ParseTraversalStep(each, !attr_splat);
        if (next == nullptr) {
          break;
        }
        each = next;
        end = next->range.end;
      }
      Expr* splat = NewExpr(ExprKind::kSplat, e->range.start, end);
      if (attr_splat) {
        splat->flags |= kFlagAttrSplat;
      }
      SetChildren(splat, {e, each});
      e = splat;
    }
  }

  const Expr* ParsePrimary() {
    const Token& t = Peek();
    switch (t.kind) {
      case Tok::kNumber: {
        Token n = Take();
        return NumberNode(n);
      }
      case Tok::kIdent:
        return ParseIdentExpr();
      case Tok::kQuote: {
        Token q = Take();
        return ParseQuoted(q.start);
      }
      case Tok::kHeredoc: {
        Token h = Take();
        return ParseHeredoc(h);
      }
      case Tok::kLParen: {
        Token open = Take();
        DepthGuard guard(*this, open.start);
        if (stop_) {
          return Invalid(open.start);
        }
        BracketGuard brackets(*this, open.kind);
        NewlineMode mode(*this, true);
        const Expr* inner = ParseExpr();
        Pos end = Peek().end;
        if (!TakeIf(Tok::kRParen)) {  // the message is built only on failure
          Expect(Tok::kRParen,
                 "')' to close the parenthesis opened at " + RangeOf(open).StartString());
          return inner;
        }
        Expr* e = NewExpr(ExprKind::kParens, open.start, end);
        SetChildren(e, {inner});
        return e;
      }
      case Tok::kLBrack:
        return ParseTuple();
      case Tok::kLBrace:
        return ParseObject();
      case Tok::kInvalid: {
        Token bad = Take();
        ErrorAt(bad, bad.error);
        return Invalid(bad.start);
      }
      default: {
        ErrorAt(t, "expected an expression, found " + Describe(t.kind, t.text));
        return Invalid(t.start);
      }
    }
  }

  const Expr* ParseIdentExpr() {
    Token id = Take();
    char first = id.text[0];  // rules out the keywords for most names without comparing
    if ((first == 't' || first == 'f') && (id.text == "true" || id.text == "false")) {
      Expr* e = NewExpr(ExprKind::kBool, id.start, id.end);
      e->boolean = id.text == "true";
      e->text = id.text;
      return e;
    }
    if (first == 'n' && id.text == "null") {
      Expr* e = NewExpr(ExprKind::kNull, id.start, id.end);
      e->text = id.text;
      return e;
    }
    std::string_view name = id.text;
    Pos name_end = id.end;
    bool namespaced = false;
    while (Peek().kind == Tok::kDoubleColon) {
      Take();
      const Token& part = Peek();
      if (part.kind != Tok::kIdent) {
        ErrorAt(part,
                "expected a function name after '::', found " + Describe(part.kind, part.text));
        return Invalid(part.start);
      }
      Token p = Take();
      name_end = p.end;
      namespaced = true;
    }
    if (namespaced) {
      name =
          std::string_view(id.text.data(), static_cast<size_t>(name_end.offset - id.start.offset));
    }
    if (Peek().kind == Tok::kLParen) {
      return ParseCall(id.start, name);
    }
    if (namespaced) {
      ErrorAt(Peek(),
              "expected '(' after the namespaced function name \"" + std::string(name) + "\"");
      return Invalid(id.start);
    }
    Expr* e = NewExpr(ExprKind::kVariable, id.start, id.end);
    e->text = name;
    return e;
  }

  const Expr* ParseCall(Pos start, std::string_view name) {
    Token open = Take();
    DepthGuard guard(*this, open.start);
    if (stop_) {
      return Invalid(open.start);
    }
    BracketGuard brackets(*this, open.kind);
    NewlineMode mode(*this, true);
    ScratchMark args(*this);
    bool expand = false;
    for (;;) {
      if (Peek().kind == Tok::kRParen) {
        break;
      }
      if (expand) {
        ErrorAt(Peek(), "'...' may only follow the last argument");
        return Invalid(start);
      }
      scratch_.push_back(ParseExpr());
      if (recovering_ || stop_) {
        return Invalid(start);
      }
      if (TakeIf(Tok::kEllipsis)) {
        expand = true;
      }
      if (TakeIf(Tok::kComma)) {
        continue;
      }
      if (Peek().kind != Tok::kRParen) {
        Expect(Tok::kRParen, "',' or ')' in the arguments of \"" + std::string(name) + "\"");
        return Invalid(start);
      }
    }
    Token close = Take();
    Expr* e = NewExpr(ExprKind::kCall, start, close.end);
    e->text = name;
    if (expand) {
      e->flags |= kFlagExpandFinal;
    }
    SetChildrenFromScratch(e, args.mark);
    return e;
  }

  const Expr* ParseTuple() {
    Token open = Take();
    DepthGuard guard(*this, open.start);
    if (stop_) {
      return Invalid(open.start);
    }
    BracketGuard brackets(*this, open.kind);
    NewlineMode mode(*this, true);
    if (PeekKeyword("for")) {
      return ParseFor(open, false);
    }
    ScratchMark items(*this);
    for (;;) {
      if (Peek().kind == Tok::kRBrack) {
        break;
      }
      scratch_.push_back(ParseExpr());
      if (recovering_ || stop_) {
        return Invalid(open.start);
      }
      if (TakeIf(Tok::kComma)) {
        continue;
      }
      if (Peek().kind != Tok::kRBrack) {
        Expect(Tok::kRBrack, "',' or ']' in the list opened at " + RangeOf(open).StartString());
        return Invalid(open.start);
      }
    }
    Token close = Take();
    Expr* e = NewExpr(ExprKind::kTuple, open.start, close.end);
    SetChildrenFromScratch(e, items.mark);
    return e;
  }

  const Expr* ParseObject() {
    Token open = Take();
    DepthGuard guard(*this, open.start);
    if (stop_) {
      return Invalid(open.start);
    }
    BracketGuard brackets(*this, open.kind);
    {
      NewlineMode probe(*this, true);
      Tok second = PeekKeyword("for") ? SecondKind() : Tok::kAssign;
      if (second != Tok::kAssign && second != Tok::kColon) {
        return ParseFor(open, true);
      }
    }
    NewlineMode mode(*this, false);
    ScratchMark items(*this);
    for (;;) {
      while (TakeIf(Tok::kNewline)) {
      }
      if (Peek().kind == Tok::kRBrace) {
        break;
      }
      const Expr* key;
      const Token& k = Peek();
      Tok second = k.kind == Tok::kIdent ? SecondKind() : Tok::kEof;
      if (second == Tok::kAssign || second == Tok::kColon) {
        Token name = Take();
        Expr* s = NewExpr(ExprKind::kString, name.start, name.end);
        s->text = name.text;
        s->flags |= kFlagBareKey;
        key = s;
      } else {
        key = ParseExpr();
      }
      if (recovering_ || stop_) {
        return Invalid(open.start);
      }
      if (!TakeIf(Tok::kAssign) && !TakeIf(Tok::kColon)) {
        Expect(Tok::kAssign, "'=' or ':' after the object key");
        return Invalid(open.start);
      }
      SkipNewlines();  // the value may start on the next line
      const Expr* value = ParseExpr();
      if (recovering_ || stop_) {
        return Invalid(open.start);
      }
      scratch_.push_back(key);
      scratch_.push_back(value);
      if (TakeIf(Tok::kComma) || TakeIf(Tok::kNewline)) {
        continue;
      }
      if (Peek().kind != Tok::kRBrace) {
        Expect(Tok::kRBrace,
               "',', newline or '}' in the object opened at " + RangeOf(open).StartString());
        return Invalid(open.start);
      }
    }
    Token close = Take();
    Expr* e = NewExpr(ExprKind::kObject, open.start, close.end);
    SetChildrenFromScratch(e, items.mark);
    return e;
  }

  const Expr* ParseFor(const Token& open, bool object) {
    NewlineMode mode(*this, true);
    Take();  // "for"
    const Token& v1 = Peek();
    if (v1.kind != Tok::kIdent) {
      ErrorAt(v1, "expected a variable name after \"for\", found " + Describe(v1.kind, v1.text));
      return Invalid(open.start);
    }
    Token first = Take();
    std::string_view key_var, value_var = first.text;
    if (TakeIf(Tok::kComma)) {
      const Token& v2 = Peek();
      if (v2.kind != Tok::kIdent) {
        ErrorAt(v2,
                "expected a second variable name after ',', found " + Describe(v2.kind, v2.text));
        return Invalid(open.start);
      }
      key_var = first.text;
      value_var = Take().text;
    }
    if (!PeekKeyword("in")) {
      ErrorAt(Peek(),
              "expected \"in\" in the for expression, found " + Describe(Peek().kind, Peek().text));
      return Invalid(open.start);
    }
    Take();
    const Expr* coll = ParseExpr();
    if (recovering_ || stop_ || !Expect(Tok::kColon, "':' after the for collection")) {
      return Invalid(open.start);
    }
    const Expr* key = nullptr;
    if (object) {
      key = ParseExpr();
      if (recovering_ || stop_ || !Expect(Tok::kArrow, "'=>' between key and value")) {
        return Invalid(open.start);
      }
    }
    const Expr* value = ParseExpr();
    if (recovering_ || stop_) {
      return Invalid(open.start);
    }
    bool grouping = false;
    if (TakeIf(Tok::kEllipsis)) {
      if (!object) {
        Error(RangeOf(tok_), "grouping '...' is only valid in an object for expression");
        return Invalid(open.start);
      }
      grouping = true;
    }
    const Expr* cond = nullptr;
    if (PeekKeyword("if")) {
      Take();
      cond = ParseExpr();
      if (recovering_ || stop_) {
        return Invalid(open.start);
      }
    }
    Tok closer = object ? Tok::kRBrace : Tok::kRBrack;
    Pos end = Peek().end;
    if (!Expect(closer,
                object ? "'}' to close the for expression" : "']' to close the for expression")) {
      return Invalid(open.start);
    }
    Expr* e = NewExpr(ExprKind::kFor, open.start, end);
    e->key_var = key_var;
    e->value_var = value_var;
    if (object) {
      e->flags |= kFlagObjectFor;
    }
    if (grouping) {
      e->flags |= kFlagGrouping;
    }
    SetChildren(e, {coll, key, value, cond});
    return e;
  }

  // ---- templates ----

  // A quoted string; the cursor is just after the opening quote.
  const Expr* ParseQuoted(Pos start) {
    // Fast path: most strings are plain text with no escapes, interpolation or directives.
    const char* q = p_;
    while (q < end_ && static_cast<unsigned char>(*q) >= 0x20 && *q != '"' && *q != '\\' &&
           *q != '$' && *q != '%' && static_cast<unsigned char>(*q) < 0x80) {
      ++q;
    }
    if (q < end_ && *q == '"') {
      std::string_view text(p_, q - p_);
      BumpAscii(q - p_ + 1);
      Expr* s = NewExpr(ExprKind::kString, start, CurPos());
      s->text = text;
      return s;
    }
    DepthGuard guard(*this, start);
    if (stop_) {
      return Invalid(start);
    }
    TemplateEnd how;
    Expr* t = ParseTemplateParts(TemplateMode::kQuoted, &how, start);
    if (how == TemplateEnd::kError) {
      return Invalid(start);
    }
    if (how != TemplateEnd::kQuote) {
      Error(RangeAt(start, CurPos()),
            "template directive %{ else }, %{ endif } or %{ endfor } "
            "without a matching %{ if } or %{ for }");
      return Invalid(start);
    }
    return Simplify(t, RangeAt(start, CurPos()));
  }

  // A template of only literal text becomes one kString; otherwise the range is widened to the
  // quotes.
  const Expr* Simplify(Expr* t, Range range) {
    t->range = range;
    if (t->children.empty()) {
      Expr* s = NewExpr(ExprKind::kString, range.start, range.end);
      s->flags = t->flags;
      return s;
    }
    if (t->children.size() == 1 && t->children[0]->kind == ExprKind::kString) {
      Expr* s = t->children[0];
      s->range = range;
      s->flags |= t->flags;
      return s;
    }
    return t;
  }

  const Expr* ParseHeredoc(const Token& h) {
    DepthGuard guard(*this, h.start);
    if (stop_) {
      return Invalid(h.start);
    }
    std::string_view intro = h.text.substr(2);
    bool flush = !intro.empty() && intro[0] == '-';
    std::string_view marker = flush ? intro.substr(1) : intro;
    // Skip the rest of the intro line.
    while (p_ < end_ && *p_ != '\n') {
      Bump();
    }
    if (p_ < end_) {
      Bump();
    }
    // Find the closing marker line.
    const char* content = p_;
    const char* line = p_;
    const char* marker_line = nullptr;
    const char* marker_end = nullptr;
    size_t min_indent = SIZE_MAX;
    while (line < end_) {
      const char* eol = static_cast<const char*>(std::memchr(line, '\n', end_ - line));
      if (eol == nullptr) {
        eol = end_;
      }
      const char* a = line;
      while (a < eol && (*a == ' ' || *a == '\t')) {
        ++a;
      }
      const char* b = eol;
      while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r')) {
        --b;
      }
      if (std::string_view(a, b - a) == marker) {
        marker_line = line;
        marker_end = b;
        break;
      }
      if (b > a) {
        min_indent = std::min(min_indent, static_cast<size_t>(a - line));
      }
      line = eol + 1;
    }
    if (marker_line == nullptr) {
      Error(RangeOf(h),
            "unterminated heredoc: no line with only \"" + std::string(marker) + "\" closes it");
      stop_ = true;
      return Invalid(h.start);
    }
    if (min_indent == SIZE_MAX) {
      min_indent = 0;
    }
    // Parse the content as a template bounded at the marker line.
    const char* saved_end = end_;
    end_ = marker_line;
    strip_indent_ = flush ? min_indent : 0;
    TemplateEnd how;
    Expr* t = ParseTemplateParts(TemplateMode::kHeredoc, &how, CurPos());
    strip_indent_ = 0;
    end_ = saved_end;
    (void)content;
    Pos content_end = CurPos();
    if (!stop_) {
      // Even after an error inside it, resume after the marker, not inside the heredoc.
      have_tok_ = false;
      while (p_ < marker_end) {
        Bump();
      }
    }
    if (how == TemplateEnd::kError || stop_) {
      return Invalid(h.start);
    }
    if (how != TemplateEnd::kEnd) {
      Error(RangeAt(h.start, content_end),
            "template directive without a matching %{ if } or %{ for } in heredoc");
      return Invalid(h.start);
    }
    t->flags |= kFlagHeredoc;
    return Simplify(t, RangeAt(h.start, CurPos()));
  }

  // Scans literal text up to the next interpolation, directive or end. Returns false at a
  // lexical error (already reported).
  bool ScanLiteral(TemplateMode mode, std::string& buf, bool* plain, const char** lit_start) {
    *lit_start = p_;
    buf.clear();
    // Plain text stays a view into the source; the first escape (or indent stripping) switches
    // to building the decoded text in `buf`.
    bool buffered = strip_indent_ > 0;
    auto to_buffered = [&]() {
      if (!buffered) {
        buf.assign(*lit_start, p_ - *lit_start);
        buffered = true;
      }
    };
    bool at_line_start = mode == TemplateMode::kHeredoc && (p_ == begin_ || p_[-1] == '\n');
    bool result = true;
    while (p_ < end_) {
      if (at_line_start && strip_indent_ > 0) {
        size_t n = 0;
        while (n < strip_indent_ && p_ < end_ && (*p_ == ' ' || *p_ == '\t')) {
          BumpAscii(1);
          ++n;
        }
        at_line_start = false;
        continue;
      }
      char c = *p_;
      if (c == '$' || c == '%') {
        if (p_ + 1 < end_ && p_[1] == '{') {
          break;  // an interpolation or directive starts here
        }
        if (p_ + 2 < end_ && p_[1] == c && p_[2] == '{') {
          // "$${" and "%%{" are literal "${" and "%{".
          to_buffered();
          buf.push_back(c);
          buf.push_back('{');
          BumpAscii(3);
          continue;
        }
      }
      if (mode == TemplateMode::kQuoted) {
        if (c == '"') {
          break;
        }
        if (c == '\n') {
          Pos at = CurPos();
          Error(RangeAt(at, at),
                "unterminated string: a quoted string cannot span lines "
                "(use a heredoc or \\n)");
          return false;
        }
        if (c == '\\') {
          to_buffered();
          if (!ScanEscape(buf)) {
            return false;
          }
          continue;
        }
      }
      if (buffered) {
        buf.push_back(c);
      }
      if (static_cast<unsigned char>(c) < 0x80 && c != '\n') {
        BumpAscii(1);
      } else {
        Bump();
        if (c == '\n') {
          at_line_start = true;
        }
      }
    }
    if (p_ >= end_ && mode == TemplateMode::kQuoted) {
      Pos at = CurPos();
      Error(RangeAt(at, at), "unterminated string: expected a closing '\"'");
      result = false;
    }
    *plain = !buffered;
    return result;
  }

  bool ScanEscape(std::string& buf) {
    Pos at = CurPos();
    BumpAscii(1);  // backslash
    if (p_ >= end_) {
      Error(RangeAt(at, CurPos()), "unterminated string: expected a closing '\"'");
      return false;
    }
    char c = *p_;
    switch (c) {
      case 'n':
        buf.push_back('\n');
        break;
      case 'r':
        buf.push_back('\r');
        break;
      case 't':
        buf.push_back('\t');
        break;
      case '"':
        buf.push_back('"');
        break;
      case '\\':
        buf.push_back('\\');
        break;
      case 'u':
      case 'U': {
        size_t n = c == 'u' ? 4 : 8;
        uint32_t cp = 0;
        for (size_t i = 1; i <= n; ++i) {
          char h = p_ + i < end_ ? p_[i] : '\0';
          int v = (h >= '0' && h <= '9')   ? h - '0'
                  : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                  : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                           : -1;
          if (v < 0) {
            Error(RangeAt(at, at), std::string("invalid escape: \\") + c + " needs " +
                                       std::to_string(n) + " hex digits");
            return false;
          }
          cp = cp * 16 + static_cast<uint32_t>(v);
        }
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
          Error(RangeAt(at, at), "invalid escape: not a Unicode scalar value");
          return false;
        }
        AppendUtf8(buf, cp);
        BumpAscii(n);
        break;
      }
      default:
        Error(RangeAt(at, at),
              std::string("invalid escape sequence \\") +
                  (static_cast<unsigned char>(c) < 0x80 ? std::string(1, c) : std::string("?")) +
                  "; valid escapes are \\n \\r \\t \\\" \\\\ \\uNNNN \\UNNNNNNNN");
        return false;
    }
    BumpAscii(1);
    return true;
  }

  // Parses template parts until the closing quote, the end of the text, or a %{ else },
  // %{ endif } or %{ endfor } (reported through `how`, the directive consumed).
  Expr* ParseTemplateParts(TemplateMode mode, TemplateEnd* how, Pos start) {
    ScratchMark parts(*this);
    std::string& buf = lit_buf_;
    bool strip_next = false;
    *how = TemplateEnd::kError;
    auto finish = [&](TemplateEnd h) {
      *how = h;
      Expr* t = NewExpr(ExprKind::kTemplate, start, CurPos());
      SetChildrenFromScratch(t, parts.mark);
      return t;
    };
    for (;;) {
      if (stop_) {
        return finish(TemplateEnd::kError);
      }
      Pos lit_pos = CurPos();
      bool plain;
      const char* lit_start;
      if (!ScanLiteral(mode, buf, &plain, &lit_start)) {
        stop_ = stop_ || mode != TemplateMode::kQuoted;
        return finish(TemplateEnd::kError);
      }
      std::string_view text =
          plain ? std::string_view(lit_start, p_ - lit_start) : arena_.CopyString(buf);
      if (strip_next) {
        size_t i = text.find_first_not_of(" \t\r\n");
        text.remove_prefix(i == std::string_view::npos ? text.size() : i);
        strip_next = false;
      }
      if (!text.empty() || (p_ > lit_start)) {
        if (!text.empty()) {
          Expr* s = NewExpr(ExprKind::kString, lit_pos, CurPos());
          s->text = text;
          scratch_.push_back(s);
        }
      }
      if (p_ >= end_) {
        return finish(TemplateEnd::kEnd);
      }
      if (*p_ == '"') {
        BumpAscii(1);
        return finish(TemplateEnd::kQuote);
      }
      // "${" or "%{".
      bool directive = *p_ == '%';
      Pos open = CurPos();
      BumpAscii(2);
      if (p_ < end_ && *p_ == '~') {
        BumpAscii(1);
        if (scratch_.size() > parts.mark && scratch_.back()->kind == ExprKind::kString) {
          Expr* last = const_cast<Expr*>(scratch_.back());
          size_t i = last->text.find_last_not_of(" \t\r\n");
          last->text = last->text.substr(0, i == std::string_view::npos ? 0 : i + 1);
          if (last->text.empty()) {
            scratch_.pop_back();
          }
        }
      }
      DepthGuard guard(*this, open);
      if (stop_) {
        return finish(TemplateEnd::kError);
      }
      ++open_templates_;  // undone below by TemplateExit
      TemplateExit exit_template(*this);
      NewlineMode nl(*this, true);
      if (!directive) {
        const Expr* e = ParseExpr();
        if (recovering_ || stop_) {
          return finish(TemplateEnd::kError);
        }
        if (!CloseTemplateSeq(&strip_next, "interpolation")) {
          return finish(TemplateEnd::kError);
        }
        scratch_.push_back(e);
        continue;
      }
      const Token& kw = Peek();
      if (kw.kind != Tok::kIdent) {
        ErrorAt(kw, "expected if, for, else, endif or endfor after %{, found " +
                        Describe(kw.kind, kw.text));
        return finish(TemplateEnd::kError);
      }
      Token word = Take();
      if (word.text == "else" || word.text == "endif" || word.text == "endfor") {
        if (!CloseTemplateSeq(&strip_next, "directive")) {
          return finish(TemplateEnd::kError);
        }
        pending_strip_ = strip_next;
        return finish(word.text == "else"    ? TemplateEnd::kElse
                      : word.text == "endif" ? TemplateEnd::kEndIf
                                             : TemplateEnd::kEndFor);
      }
      if (word.text == "if") {
        const Expr* e = ParseTemplateIf(mode, open);
        if (e == nullptr) {
          return finish(TemplateEnd::kError);
        }
        strip_next = pending_strip_;
        scratch_.push_back(e);
        continue;
      }
      if (word.text == "for") {
        const Expr* e = ParseTemplateFor(mode, open);
        if (e == nullptr) {
          return finish(TemplateEnd::kError);
        }
        strip_next = pending_strip_;
        scratch_.push_back(e);
        continue;
      }
      ErrorAt(word, "unknown template directive \"" + std::string(word.text) +
                        "\"; expected if, for, else, endif or endfor");
      return finish(TemplateEnd::kError);
    }
  }

  // Expects "}" or "~}" closing an interpolation or directive; the cursor is then right after it.
  bool CloseTemplateSeq(bool* strip_next, const char* what) {
    const Token& t = Peek();
    if (t.kind == Tok::kRBrace || t.kind == Tok::kTildeRBrace) {
      *strip_next = t.kind == Tok::kTildeRBrace;
      Take();
      return true;
    }
    ErrorAt(t, std::string("expected '}' to close the template ") + what + ", found " +
                   Describe(t.kind, t.text));
    return false;
  }

  const Expr* ParseTemplateIf(TemplateMode mode, Pos open) {
    const Expr* cond = ParseExpr();
    bool strip = false;
    if (recovering_ || stop_ || !CloseTemplateSeq(&strip, "directive")) {
      return nullptr;
    }
    TemplateEnd how;
    Expr* then_part = ParseTemplatePartsAfter(mode, strip, &how);
    if (how == TemplateEnd::kError) {
      return nullptr;
    }
    const Expr* else_part = nullptr;
    if (how == TemplateEnd::kElse) {
      Expr* e = ParseTemplatePartsAfter(mode, pending_strip_, &how);
      if (how == TemplateEnd::kError) {
        return nullptr;
      }
      else_part = e;
    }
    if (how != TemplateEnd::kEndIf) {
      Error(RangeAt(open, CurPos()), "%{ if } has no matching %{ endif }");
      return nullptr;
    }
    Expr* e = NewExpr(ExprKind::kTemplateIf, open, CurPos());
    SetChildren(e, {cond, then_part, else_part});
    return e;
  }

  const Expr* ParseTemplateFor(TemplateMode mode, Pos open) {
    const Token& v1 = Peek();
    if (v1.kind != Tok::kIdent) {
      ErrorAt(v1, "expected a variable name after %{ for, found " + Describe(v1.kind, v1.text));
      return nullptr;
    }
    Token first = Take();
    std::string_view key_var, value_var = first.text;
    if (TakeIf(Tok::kComma)) {
      const Token& v2 = Peek();
      if (v2.kind != Tok::kIdent) {
        ErrorAt(v2,
                "expected a second variable name after ',', found " + Describe(v2.kind, v2.text));
        return nullptr;
      }
      key_var = first.text;
      value_var = Take().text;
    }
    if (!PeekKeyword("in")) {
      ErrorAt(Peek(), "expected \"in\" in the %{ for } directive, found " +
                          Describe(Peek().kind, Peek().text));
      return nullptr;
    }
    Take();
    const Expr* coll = ParseExpr();
    bool strip = false;
    if (recovering_ || stop_ || !CloseTemplateSeq(&strip, "directive")) {
      return nullptr;
    }
    TemplateEnd how;
    Expr* body = ParseTemplatePartsAfter(mode, strip, &how);
    if (how == TemplateEnd::kError) {
      return nullptr;
    }
    if (how != TemplateEnd::kEndFor) {
      Error(RangeAt(open, CurPos()), "%{ for } has no matching %{ endfor }");
      return nullptr;
    }
    Expr* e = NewExpr(ExprKind::kTemplateFor, open, CurPos());
    e->key_var = key_var;
    e->value_var = value_var;
    SetChildren(e, {coll, body});
    return e;
  }

  // Template parts with a leading-whitespace strip from the preceding "~}" applied.
  Expr* ParseTemplatePartsAfter(TemplateMode mode, bool strip_leading, TemplateEnd* how) {
    NewlineMode nl(*this, false);
    if (strip_leading) {
      while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\r' || *p_ == '\n')) {
        if (mode == TemplateMode::kQuoted && *p_ == '\n') {
          break;
        }
        Bump();
      }
    }
    pending_strip_ = false;
    return ParseTemplateParts(mode, how, CurPos());
  }

  Arena& arena_;
  Diagnostics& diags_;
  const ParseOptions& options_;
  std::string_view filename_;
  const char* begin_;
  const char* end_;
  const char* p_;
  int line_;
  int col_;
  int offset_base_;
  int depth_;
  std::vector<Tok> open_brackets_;      // expression brackets around the cursor
  std::vector<Tok> brackets_at_error_;  // their state at the first error, for recovery
  int open_templates_ = 0;
  bool template_at_error_ = false;
  std::vector<const Expr*> scratch_;
  std::string lit_buf_;  // decoded literal text, copied to the arena before anything nests
  Token tok_;
  Token nl_tok_;
  bool have_tok_ = false;
  bool skip_nl_ = false;
  bool recovering_ = false;
  bool stop_ = false;
  bool pending_strip_ = false;
  size_t strip_indent_ = 0;
};

}  // namespace

bool CheckSize(std::string_view text, std::string_view filename, const ParseOptions& options,
               Diagnostics& diags) {
  if (text.size() <= options.max_bytes) {
    return true;
  }
  diags.push_back(Diagnostic{Severity::kError, Range{filename, {}, {}},
                             "input too large: " + std::to_string(text.size()) +
                                 " bytes, the limit is " + std::to_string(options.max_bytes)});
  return false;
}

namespace {

// Index of the first byte that is not part of valid UTF-8, or text.size().
size_t FirstInvalidUtf8(std::string_view text) {
  size_t i = 0, n = text.size();
  const char* d = text.data();
  while (i < n) {
    // 32 then 8 ASCII bytes at a time: the common case for config files.
    if (i + 32 <= n) {
      uint64_t w[4];
      std::memcpy(w, d + i, 32);
      if (((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ull) == 0) {
        i += 32;
        continue;
      }
    }
    if (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, d + i, 8);
      if ((w & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    unsigned char c = static_cast<unsigned char>(d[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    }
    if (len == 0 || i + len > n) {
      return i;
    }
    for (size_t k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(d[i + k]);
      if ((cc & 0xC0) != 0x80) {
        return i;
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return i;
    }
    i += len;
  }
  return n;
}

}  // namespace

void AppendUtf8(std::string& buf, uint32_t cp) {
  if (cp < 0x80) {
    buf.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    buf.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    buf.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    buf.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    buf.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    buf.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    buf.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    buf.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    buf.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    buf.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool CheckUtf8(std::string_view text, std::string_view filename, Diagnostics& diags) {
  size_t bad = FirstInvalidUtf8(text);
  if (bad == text.size()) {
    return true;
  }
  // Positions are computed only on failure; the prefix before `bad` is valid UTF-8.
  int line = 1, col = 1;
  for (size_t i = 0; i < bad; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      col = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++col;
    }
  }
  unsigned char c = static_cast<unsigned char>(text[bad]);
  Pos at{line, col, static_cast<int>(bad)};
  diags.push_back(Diagnostic{Severity::kError, Range{filename, at, at},
                             std::string("invalid UTF-8 byte 0x") + "0123456789abcdef"[c >> 4] +
                                 "0123456789abcdef"[c & 15]});
  return false;
}

namespace {

// Editors on Windows may save a UTF-8 byte order mark; it is not part of the syntax.
std::string_view SkipBom(std::string_view text, Pos* origin) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    origin->offset = 3;
    return text.substr(3);
  }
  return text;
}

}  // namespace

void ParseNativeBody(File& file, Diagnostics& diags, const ParseOptions& options) {
  Pos origin;
  std::string_view text = SkipBom(file.source(), &origin);
  Parser parser(file, text, origin, diags, options, 0);
  parser.ParseFile(file.mutable_body());
}

const Expr* ParseNativeExpression(File& file, Diagnostics& diags, const ParseOptions& options) {
  Pos origin;
  std::string_view text = SkipBom(file.source(), &origin);
  Parser parser(file, text, origin, diags, options, 0);
  return parser.ParseOnlyExpression();
}

const Expr* ParseTemplateText(File& file, std::string_view text, Range range, Diagnostics& diags,
                              const ParseOptions& options, int depth) {
  Pos origin = range.start;
  origin.column += 1;  // past the opening quote
  origin.offset += 1;
  Parser parser(file, text, origin, diags, options, depth);
  return parser.ParseRawTemplate(range);
}

}  // namespace cellar::hcl::internal
