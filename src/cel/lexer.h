// src/cel/lexer.h: splits CEL source into tokens and decodes string/bytes/number literals.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cel/value.h"

namespace cellar::cel {

enum class Tok : uint8_t {
  kEof,
  kIdent,
  kQuotedIdent,  // `name with-dashes`, only valid as a field name
  kInt,          // decimal/hex magnitude in `text`; sign handled by the parser
  kUint,
  kDouble,
  kString,
  kBytes,
  kTrue,
  kFalse,
  kNull,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kLBrace,
  kRBrace,
  kDot,
  kComma,
  kColon,
  kQuestion,
  kNot,
  kMinus,
  kPlus,
  kStar,
  kSlash,
  kPercent,
  kLess,
  kLessEq,
  kGreater,
  kGreaterEq,
  kEq,
  kNotEq,
  kAnd,
  kOr,
  kIn,
  kError,  // `text` is the message
};

struct Token {
  Tok type = Tok::kEof;
  int32_t offset = 0;
  std::string text;  // identifier, number text, decoded string/bytes, or error message
  double number = 0;  // kDouble
};

// Tokenizes all of `source`; on a lexical error the last token is kError.
std::vector<Token> Lex(std::string_view source);

}  // namespace cellar::cel
