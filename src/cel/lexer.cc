// src/cel/lexer.cc: the CEL lexical grammar (cel-spec langdef.md "Syntax"), including every
// string escape and the raw / triple-quoted / bytes literal forms.
#include "cel/lexer.h"

#include <cstdlib>

#include "cel/utf8.h"

namespace cellar::cel {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsIdentStart(char c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c); }
int HexVal(char c) {
  if (IsDigit(c)) {
    return c - '0';
  }
  return (c | 0x20) - 'a' + 10;
}

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}

  std::vector<Token> Run() {
    std::vector<Token> out;
    while (true) {
      Token t = Next();
      bool stop = t.type == Tok::kEof || t.type == Tok::kError;
      out.push_back(std::move(t));
      if (stop) {
        return out;
      }
    }
  }

 private:
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
  }

  Token Make(Tok type, size_t start, std::string text = {}) {
    Token t;
    t.type = type;
    t.offset = static_cast<int32_t>(start);
    t.text = std::move(text);
    return t;
  }
  Token Error(size_t at, std::string message) { return Make(Tok::kError, at, std::move(message)); }

  void SkipSpaceAndComments() {
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        ++pos_;
      } else if (c == '/' && Peek(1) == '/') {
        while (pos_ < src_.size() && src_[pos_] != '\n') {
          ++pos_;
        }
      } else {
        return;
      }
    }
  }

  Token Next() {
    SkipSpaceAndComments();
    size_t start = pos_;
    if (pos_ >= src_.size()) {
      return Make(Tok::kEof, start);
    }
    char c = src_[pos_];
    // String prefixes: r, b, rb, br in any case.
    if (c == 'r' || c == 'R' || c == 'b' || c == 'B') {
      size_t p = pos_;
      bool raw = false;
      bool bytes = false;
      for (int i = 0; i < 2 && p < src_.size(); ++i) {
        char d = src_[p];
        if ((d == 'r' || d == 'R') && !raw) {
          raw = true;
          ++p;
        } else if ((d == 'b' || d == 'B') && !bytes) {
          bytes = true;
          ++p;
        } else {
          break;
        }
      }
      if (p < src_.size() && (src_[p] == '\'' || src_[p] == '"')) {
        pos_ = p;
        return LexString(start, raw, bytes);
      }
    }
    if (IsIdentStart(c)) {
      while (pos_ < src_.size() && IsIdentChar(src_[pos_])) {
        ++pos_;
      }
      std::string word(src_.substr(start, pos_ - start));
      if (word == "true") {
        return Make(Tok::kTrue, start);
      }
      if (word == "false") {
        return Make(Tok::kFalse, start);
      }
      if (word == "null") {
        return Make(Tok::kNull, start);
      }
      if (word == "in") {
        return Make(Tok::kIn, start);
      }
      return Make(Tok::kIdent, start, std::move(word));
    }
    if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)))) {
      return LexNumber(start);
    }
    if (c == '\'' || c == '"') {
      return LexString(start, false, false);
    }
    if (c == '`') {
      ++pos_;
      while (pos_ < src_.size() && src_[pos_] != '`') {
        char d = src_[pos_];
        if (!(IsIdentChar(d) || d == '.' || d == '-' || d == '/' || d == ' ')) {
          return Error(pos_, "invalid character in quoted identifier");
        }
        ++pos_;
      }
      if (pos_ >= src_.size()) {
        return Error(start, "unterminated quoted identifier");
      }
      std::string name(src_.substr(start + 1, pos_ - start - 1));
      ++pos_;
      if (name.empty()) {
        return Error(start, "empty quoted identifier");
      }
      return Make(Tok::kQuotedIdent, start, std::move(name));
    }
    ++pos_;
    switch (c) {
      case '(':
        return Make(Tok::kLParen, start);
      case ')':
        return Make(Tok::kRParen, start);
      case '[':
        return Make(Tok::kLBracket, start);
      case ']':
        return Make(Tok::kRBracket, start);
      case '{':
        return Make(Tok::kLBrace, start);
      case '}':
        return Make(Tok::kRBrace, start);
      case '.':
        return Make(Tok::kDot, start);
      case ',':
        return Make(Tok::kComma, start);
      case ':':
        return Make(Tok::kColon, start);
      case '?':
        return Make(Tok::kQuestion, start);
      case '+':
        return Make(Tok::kPlus, start);
      case '-':
        return Make(Tok::kMinus, start);
      case '*':
        return Make(Tok::kStar, start);
      case '/':
        return Make(Tok::kSlash, start);
      case '%':
        return Make(Tok::kPercent, start);
      case '!':
        if (Peek() == '=') {
          ++pos_;
          return Make(Tok::kNotEq, start);
        }
        return Make(Tok::kNot, start);
      case '<':
        if (Peek() == '=') {
          ++pos_;
          return Make(Tok::kLessEq, start);
        }
        return Make(Tok::kLess, start);
      case '>':
        if (Peek() == '=') {
          ++pos_;
          return Make(Tok::kGreaterEq, start);
        }
        return Make(Tok::kGreater, start);
      case '=':
        if (Peek() == '=') {
          ++pos_;
          return Make(Tok::kEq, start);
        }
        return Error(start, "unexpected '=' (use '==' to compare)");
      case '&':
        if (Peek() == '&') {
          ++pos_;
          return Make(Tok::kAnd, start);
        }
        break;
      case '|':
        if (Peek() == '|') {
          ++pos_;
          return Make(Tok::kOr, start);
        }
        break;
      default:
        break;
    }
    return Error(start, "token recognition error at: '" + std::string(1, c) + "'");
  }

  Token LexNumber(size_t start) {
    if (src_[pos_] == '0' && (Peek(1) == 'x' || Peek(1) == 'X')) {
      pos_ += 2;
      size_t digits = pos_;
      while (pos_ < src_.size() && IsHex(src_[pos_])) {
        ++pos_;
      }
      if (pos_ == digits) {
        return Error(start, "invalid hex literal");
      }
      std::string text(src_.substr(start, pos_ - start));
      if (Peek() == 'u' || Peek() == 'U') {
        ++pos_;
        return CheckNumberEnd(Make(Tok::kUint, start, std::move(text)));
      }
      return CheckNumberEnd(Make(Tok::kInt, start, std::move(text)));
    }
    bool is_double = false;
    while (pos_ < src_.size() && IsDigit(src_[pos_])) {
      ++pos_;
    }
    if (Peek() == '.' && IsDigit(Peek(1))) {
      is_double = true;
      ++pos_;
      while (pos_ < src_.size() && IsDigit(src_[pos_])) {
        ++pos_;
      }
    }
    if (Peek() == 'e' || Peek() == 'E') {
      size_t p = pos_ + 1;
      if (p < src_.size() && (src_[p] == '+' || src_[p] == '-')) {
        ++p;
      }
      if (p < src_.size() && IsDigit(src_[p])) {
        is_double = true;
        pos_ = p;
        while (pos_ < src_.size() && IsDigit(src_[pos_])) {
          ++pos_;
        }
      }
    }
    std::string text(src_.substr(start, pos_ - start));
    if (is_double) {
      Token t = Make(Tok::kDouble, start, text);
      t.number = std::strtod(text.c_str(), nullptr);
      return CheckNumberEnd(std::move(t));
    }
    if (Peek() == 'u' || Peek() == 'U') {
      ++pos_;
      return CheckNumberEnd(Make(Tok::kUint, start, std::move(text)));
    }
    return CheckNumberEnd(Make(Tok::kInt, start, std::move(text)));
  }

  // `123abc` is one bad token, not a number followed by an identifier.
  Token CheckNumberEnd(Token t) {
    if (pos_ < src_.size() && IsIdentChar(src_[pos_])) {
      return Error(t.offset, "invalid number literal");
    }
    return t;
  }

  Token LexString(size_t start, bool raw, bool bytes) {
    char quote = src_[pos_];
    bool triple = Peek(1) == quote && Peek(2) == quote;
    pos_ += triple ? 3 : 1;
    std::string out;
    while (true) {
      if (pos_ >= src_.size()) {
        return Error(start, "unterminated string literal");
      }
      char c = src_[pos_];
      if (c == quote) {
        if (!triple) {
          ++pos_;
          break;
        }
        if (Peek(1) == quote && Peek(2) == quote) {
          pos_ += 3;
          break;
        }
      }
      if (!triple && (c == '\n' || c == '\r')) {
        return Error(pos_, "newline in single-quoted string literal");
      }
      if (c != '\\' || raw) {
        out += c;
        ++pos_;
        continue;
      }
      size_t esc = pos_;
      ++pos_;
      if (pos_ >= src_.size()) {
        return Error(esc, "unterminated escape sequence");
      }
      char e = src_[pos_++];
      switch (e) {
        case 'a':
          out += '\a';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'v':
          out += '\v';
          break;
        case '\\':
        case '\'':
        case '"':
        case '`':
        case '?':
          out += e;
          break;
        case 'x':
        case 'X': {
          if (!IsHex(Peek()) || !IsHex(Peek(1))) {
            return Error(esc, "invalid \\x escape");
          }
          uint32_t v = HexVal(src_[pos_]) * 16 + HexVal(src_[pos_ + 1]);
          pos_ += 2;
          if (bytes) {
            out += static_cast<char>(v);
          } else {
            AppendUtf8(out, v);
          }
          break;
        }
        case 'u':
        case 'U': {
          int n = e == 'u' ? 4 : 8;
          uint32_t v = 0;
          for (int i = 0; i < n; ++i) {
            if (!IsHex(Peek())) {
              return Error(esc, "invalid unicode escape");
            }
            v = v * 16 + HexVal(src_[pos_++]);
          }
          if (bytes) {
            return Error(esc, "unicode escape in bytes literal");
          }
          if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
            return Error(esc, "invalid unicode code point in escape");
          }
          AppendUtf8(out, v);
          break;
        }
        default:
          if (e >= '0' && e <= '3' && Peek() >= '0' && Peek() <= '7' && Peek(1) >= '0' &&
              Peek(1) <= '7') {
            uint32_t v = (e - '0') * 64 + (src_[pos_] - '0') * 8 + (src_[pos_ + 1] - '0');
            pos_ += 2;
            if (bytes) {
              out += static_cast<char>(v);
            } else {
              AppendUtf8(out, v);
            }
            break;
          }
          return Error(esc, "invalid escape sequence");
      }
    }
    return Make(bytes ? Tok::kBytes : Tok::kString, start, std::move(out));
  }

  std::string_view src_;
  size_t pos_ = 0;
};

}  // namespace

std::vector<Token> Lex(std::string_view source) { return Lexer(source).Run(); }

}  // namespace cellar::cel
