// src/hcl/parser.h: entry points that turn HCL native or JSON text into a Body or an Expr.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "hcl/arena.h"
#include "hcl/ast.h"
#include "hcl/diagnostic.h"

namespace cellar::hcl {

struct ParseOptions {
  int max_depth = 256;           // nesting of brackets, blocks, templates; deeper is an error
  size_t max_bytes = 16u << 20;  // larger input is rejected up front
  size_t max_errors = 20;        // parsing stops collecting after this many
};

// Owns the source copy, the filename and every AST node of one parse. Immutable once returned,
// so it may be shared between threads.
class File {
 public:
  File(std::string_view filename, std::string_view source);
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  std::string_view filename() const { return filename_; }
  std::string_view source() const { return source_; }
  const Body& body() const { return body_; }
  // Set only by ParseExpression (otherwise nullptr).
  const Expr* expr() const { return expr_; }

  // For the parsers.
  Arena& arena() { return arena_; }
  Body& mutable_body() { return body_; }
  void set_expr(const Expr* e) { expr_ = e; }

 private:
  std::string_view filename_;  // interned
  Arena arena_;
  std::string_view source_;  // a copy in arena_, whose pooled chunks need no fresh pages
  Body body_;
  const Expr* expr_ = nullptr;
};

struct ParseResult {
  std::shared_ptr<const File> file;  // never null; the body is partial when there are errors
  Diagnostics diagnostics;

  bool ok() const { return !HasErrors(diagnostics); }
  const Body& body() const { return file->body(); }
};

// Native syntax, or JSON when the first non-whitespace character is '{'. This is the call for
// config files, ACL policies and profiles.
ParseResult ParseConfig(std::string_view text, std::string_view filename,
                        const ParseOptions& options = {});

// Native syntax only (a body of attributes and blocks).
ParseResult ParseNative(std::string_view text, std::string_view filename,
                        const ParseOptions& options = {});

// JSON syntax only: the text must be one JSON object (the root body).
ParseResult ParseJson(std::string_view text, std::string_view filename,
                      const ParseOptions& options = {});

// One native-syntax expression (result.file->expr()), e.g. for tests and tools.
ParseResult ParseExpression(std::string_view text, std::string_view filename,
                            const ParseOptions& options = {});

}  // namespace cellar::hcl
