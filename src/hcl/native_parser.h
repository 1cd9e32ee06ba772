// src/hcl/native_parser.h: internal entry points of the native-syntax parser (not a public API).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "hcl/ast.h"
#include "hcl/diagnostic.h"
#include "hcl/parser.h"

namespace cellar::hcl::internal {

// Parses file.source() as a native body into file.mutable_body().
void ParseNativeBody(File& file, Diagnostics& diags, const ParseOptions& options);

// Parses file.source() as one expression (trailing newlines allowed).
const Expr* ParseNativeExpression(File& file, Diagnostics& diags, const ParseOptions& options);

// Parses `text` (already decoded, stored in file's arena or source) as template content with no
// quote and no backslash escapes, as HCL does for JSON strings that hold ${ or %{. Positions are
// counted from `start`.
const Expr* ParseTemplateText(File& file, std::string_view text, Range range, Diagnostics& diags,
                              const ParseOptions& options, int depth);

// Appends code point `cp` (at most 0x10FFFF) to `buf` as UTF-8; shared by both syntaxes' escapes.
void AppendUtf8(std::string& buf, uint32_t cp);

// Validates UTF-8; on failure appends an error at the first bad byte and returns false.
bool CheckUtf8(std::string_view text, std::string_view filename, Diagnostics& diags);

// Appends an error and returns false when text is larger than options allow.
bool CheckSize(std::string_view text, std::string_view filename, const ParseOptions& options,
               Diagnostics& diags);

}  // namespace cellar::hcl::internal
