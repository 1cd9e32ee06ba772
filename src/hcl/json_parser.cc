// src/hcl/json_parser.cc: a strict JSON reader (RFC 8259) producing HCL expression nodes.
#include "hcl/json_parser.h"

#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include "hcl/native_parser.h"

namespace cellar::hcl::internal {
namespace {

class JsonParser {
 public:
  JsonParser(File& file, Diagnostics& diags, const ParseOptions& options)
      : file_(file),
        arena_(file.arena()),
        diags_(diags),
        options_(options),
        filename_(file.filename()),
        begin_(file.source().data()),
        end_(begin_ + file.source().size()),
        p_(begin_) {
    if (file.source().substr(0, 3) == "\xEF\xBB\xBF") {
      p_ += 3;  // a UTF-8 byte order mark is not part of the JSON text
    }
  }

  void ParseRoot(Body& body) {
    body.json = true;
    body.range.file = filename_;
    SkipSpace();
    body.range.start = CurPos();
    if (p_ >= end_ || *p_ != '{') {
      Error(CurPos(), "expected a JSON object ('{') as the root of the file");
      return;
    }
    const Expr* root = ParseValue();
    if (failed_) {
      return;
    }
    SkipSpace();
    if (p_ < end_) {
      Error(CurPos(), "unexpected data after the root JSON object");
      return;
    }
    body.range.end = root->range.end;
    for (size_t i = 0; i + 1 < root->children.size(); i += 2) {
      const Expr* key = root->children[i];
      const Expr* value = root->children[i + 1];
      body.attributes.push_back(Attribute{key->text, key->range, value,
                                          Range{filename_, key->range.start, value->range.end}});
    }
  }

 private:
  Pos CurPos() const { return Pos{line_, col_, static_cast<int>(p_ - begin_)}; }

  void Bump() {
    unsigned char c = static_cast<unsigned char>(*p_++);
    if (c == '\n') {
      ++line_;
      col_ = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++col_;
    }
  }

  void Error(Pos at, std::string message) {
    if (failed_) {
      return;
    }
    failed_ = true;
    diags_.push_back(Diagnostic{Severity::kError, Range{filename_, at, at}, std::move(message)});
  }

  void SkipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\r' || *p_ == '\n')) {
      Bump();
    }
  }

  Expr* NewExpr(ExprKind kind, Pos start, Pos end) {
    Expr* e = arena_.New<Expr>();
    e->kind = kind;
    e->flags = kFlagFromJson;
    e->range = Range{filename_, start, end};
    return e;
  }

  void SetChildren(Expr* e, const std::vector<const Expr*>& kids) {
    Expr** arr = arena_.NewArray<Expr*>(kids.size());
    int d = 0;
    for (size_t i = 0; i < kids.size(); ++i) {
      arr[i] = const_cast<Expr*>(kids[i]);
      d = std::max<int>(d, kids[i]->depth);
    }
    e->children = std::span<Expr*>(arr, kids.size());
    e->depth = static_cast<uint16_t>(d + 1);
  }

  bool Literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) >= word.size() &&
        std::string_view(p_, word.size()) == word) {
      for (size_t i = 0; i < word.size(); ++i) {
        Bump();
      }
      return true;
    }
    return false;
  }

  const Expr* ParseValue() {
    SkipSpace();
    Pos start = CurPos();
    if (p_ >= end_) {
      Error(start, "unexpected end of JSON input: expected a value");
      return NewExpr(ExprKind::kInvalid, start, start);
    }
    char c = *p_;
    if (c == '{' || c == '[') {
      if (++depth_ > options_.max_depth) {
        Error(start,
              "nesting too deep: more than " + std::to_string(options_.max_depth) + " levels");
        return NewExpr(ExprKind::kInvalid, start, start);
      }
      const Expr* e = c == '{' ? ParseObject() : ParseArray();
      --depth_;
      return e;
    }
    if (c == '"') {
      return ParseStringValue();
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      return ParseNumber();
    }
    if (Literal("true") || Literal("false")) {
      Expr* e = NewExpr(ExprKind::kBool, start, CurPos());
      e->boolean = c == 't';
      e->text = c == 't' ? "true" : "false";
      return e;
    }
    if (Literal("null")) {
      Expr* e = NewExpr(ExprKind::kNull, start, CurPos());
      e->text = "null";
      return e;
    }
    Error(start,
          "invalid JSON value: expected an object, array, string, number, true, false "
          "or null");
    return NewExpr(ExprKind::kInvalid, start, start);
  }

  const Expr* ParseObject() {
    Pos start = CurPos();
    Bump();  // {
    std::vector<const Expr*> kids;
    SkipSpace();
    if (p_ < end_ && *p_ == '}') {
      Bump();
    } else {
      for (;;) {
        SkipSpace();
        if (p_ >= end_ || *p_ != '"') {
          Error(CurPos(), "expected a JSON object key (a quoted string)");
          return NewExpr(ExprKind::kInvalid, start, start);
        }
        const Expr* key = ParseString();
        if (failed_) {
          return key;
        }
        SkipSpace();
        if (p_ >= end_ || *p_ != ':') {
          Error(CurPos(), "expected ':' after the JSON object key");
          return NewExpr(ExprKind::kInvalid, start, start);
        }
        Bump();
        const Expr* value = ParseValue();
        if (failed_) {
          return value;
        }
        kids.push_back(key);
        kids.push_back(value);
        SkipSpace();
        if (p_ < end_ && *p_ == ',') {
          Bump();
          continue;
        }
        if (p_ < end_ && *p_ == '}') {
          Bump();
          break;
        }
        Error(CurPos(), "expected ',' or '}' in the JSON object opened at " +
                            std::to_string(start.line) + ":" + std::to_string(start.column));
        return NewExpr(ExprKind::kInvalid, start, start);
      }
    }
    Expr* e = NewExpr(ExprKind::kObject, start, CurPos());
    SetChildren(e, kids);
    return e;
  }

  const Expr* ParseArray() {
    Pos start = CurPos();
    Bump();  // [
    std::vector<const Expr*> kids;
    SkipSpace();
    if (p_ < end_ && *p_ == ']') {
      Bump();
    } else {
      for (;;) {
        const Expr* value = ParseValue();
        if (failed_) {
          return value;
        }
        kids.push_back(value);
        SkipSpace();
        if (p_ < end_ && *p_ == ',') {
          Bump();
          continue;
        }
        if (p_ < end_ && *p_ == ']') {
          Bump();
          break;
        }
        Error(CurPos(), "expected ',' or ']' in the JSON array opened at " +
                            std::to_string(start.line) + ":" + std::to_string(start.column));
        return NewExpr(ExprKind::kInvalid, start, start);
      }
    }
    Expr* e = NewExpr(ExprKind::kTuple, start, CurPos());
    SetChildren(e, kids);
    return e;
  }

  const Expr* ParseNumber() {
    Pos start = CurPos();
    const char* s = p_;
    auto digits = [&]() {
      const char* d = p_;
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
        Bump();
      }
      return p_ > d;
    };
    if (*p_ == '-') {
      Bump();
    }
    if (p_ < end_ && *p_ == '0') {
      Bump();
    } else if (!digits()) {
      Error(start, "invalid JSON number");
      return NewExpr(ExprKind::kInvalid, start, start);
    }
    if (p_ < end_ && *p_ == '.') {
      Bump();
      if (!digits()) {
        Error(start, "invalid JSON number: expected digits after '.'");
        return NewExpr(ExprKind::kInvalid, start, start);
      }
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      Bump();
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) {
        Bump();
      }
      if (!digits()) {
        Error(start, "invalid JSON number: expected digits in the exponent");
        return NewExpr(ExprKind::kInvalid, start, start);
      }
    }
    Expr* e = NewExpr(ExprKind::kNumber, start, CurPos());
    e->text = std::string_view(s, p_ - s);
    auto r = std::from_chars(s, p_, e->number);
    if (r.ec == std::errc::result_out_of_range) {
      bool tiny = e->text.find("e-") != std::string_view::npos ||
                  e->text.find("E-") != std::string_view::npos;
      e->number = tiny ? 0.0 : (s[0] == '-' ? -HUGE_VAL : HUGE_VAL);
    }
    return e;
  }

  // A string in value position: a template when it holds ${ or %{.
  const Expr* ParseStringValue() {
    Expr* s = ParseString();
    if (failed_ || s->kind != ExprKind::kString) {
      return s;
    }
    if (s->text.find("${") == std::string_view::npos &&
        s->text.find("%{") == std::string_view::npos) {
      return s;
    }
    size_t before = diags_.size();
    const Expr* t = ParseTemplateText(file_, s->text, s->range, diags_, options_, depth_);
    if (diags_.size() > before) {
      failed_ = true;
    }
    const_cast<Expr*>(t)->flags |= kFlagFromJson;
    return t;
  }

  Expr* ParseString() {
    Pos start = CurPos();
    Bump();  // "
    const char* s = p_;
    bool plain = true;
    std::string buf;
    for (;;) {
      if (p_ >= end_) {
        Error(start, "unterminated JSON string");
        return NewExpr(ExprKind::kInvalid, start, start);
      }
      unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        break;
      }
      if (c < 0x20) {
        Error(CurPos(), "invalid control character in JSON string; escape it");
        return NewExpr(ExprKind::kInvalid, start, start);
      }
      if (c != '\\') {
        if (!plain) {
          buf.push_back(static_cast<char>(c));
        }
        Bump();
        continue;
      }
      if (plain) {
        buf.assign(s, p_ - s);
        plain = false;
      }
      Pos esc = CurPos();
      Bump();
      if (p_ >= end_) {
        Error(start, "unterminated JSON string");
        return NewExpr(ExprKind::kInvalid, start, start);
      }
      char e = *p_;
      Bump();
      switch (e) {
        case '"':
          buf.push_back('"');
          break;
        case '\\':
          buf.push_back('\\');
          break;
        case '/':
          buf.push_back('/');
          break;
        case 'b':
          buf.push_back('\b');
          break;
        case 'f':
          buf.push_back('\f');
          break;
        case 'n':
          buf.push_back('\n');
          break;
        case 'r':
          buf.push_back('\r');
          break;
        case 't':
          buf.push_back('\t');
          break;
        case 'u': {
          uint32_t cp;
          if (!Hex4(&cp)) {
            Error(esc, "invalid \\u escape in JSON string: expected 4 hex digits");
            return NewExpr(ExprKind::kInvalid, start, start);
          }
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t lo;
            if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') {
              Error(esc, "invalid \\u escape in JSON string: unpaired surrogate");
              return NewExpr(ExprKind::kInvalid, start, start);
            }
            Bump();
            Bump();
            if (!Hex4(&lo) || lo < 0xDC00 || lo > 0xDFFF) {
              Error(esc, "invalid \\u escape in JSON string: unpaired surrogate");
              return NewExpr(ExprKind::kInvalid, start, start);
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            Error(esc, "invalid \\u escape in JSON string: unpaired surrogate");
            return NewExpr(ExprKind::kInvalid, start, start);
          }
          AppendUtf8(buf, cp);
          break;
        }
        default:
          Error(esc, "invalid escape sequence in JSON string");
          return NewExpr(ExprKind::kInvalid, start, start);
      }
    }
    std::string_view text = plain ? std::string_view(s, p_ - s) : arena_.CopyString(buf);
    Bump();  // closing quote
    Expr* e = NewExpr(ExprKind::kString, start, CurPos());
    e->text = text;
    return e;
  }

  bool Hex4(uint32_t* out) {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      if (p_ >= end_) {
        return false;
      }
      char h = *p_;
      int d = (h >= '0' && h <= '9')   ? h - '0'
              : (h >= 'a' && h <= 'f') ? h - 'a' + 10
              : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                       : -1;
      if (d < 0) {
        return false;
      }
      v = v * 16 + static_cast<uint32_t>(d);
      Bump();
    }
    *out = v;
    return true;
  }

  File& file_;
  Arena& arena_;
  Diagnostics& diags_;
  const ParseOptions& options_;
  std::string_view filename_;
  const char* begin_;
  const char* end_;
  const char* p_;
  int line_ = 1;
  int col_ = 1;
  int depth_ = 0;
  bool failed_ = false;
};

}  // namespace

void ParseJsonBody(File& file, Diagnostics& diags, const ParseOptions& options) {
  JsonParser parser(file, diags, options);
  parser.ParseRoot(file.mutable_body());
}

}  // namespace cellar::hcl::internal
