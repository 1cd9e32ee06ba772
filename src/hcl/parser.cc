// src/hcl/parser.cc: the public parse entry points: size and UTF-8 checks, then native or JSON.
#include "hcl/parser.h"

#include <cstring>

#include "hcl/json_parser.h"
#include "hcl/native_parser.h"

namespace cellar::hcl {

File::File(std::string_view filename, std::string_view source)
    : filename_(InternFileName(filename)) {
  body_.range.file = filename_;
  arena_.Reserve(source.size() * 4);  // ASTs run a few bytes of nodes per byte of source
  // NUL-terminated like the std::string this used to be, so no reader can tell the difference.
  char* copy = static_cast<char*>(arena_.Allocate(source.size() + 1, 1));
  if (!source.empty()) {
    std::memcpy(copy, source.data(), source.size());
  }
  copy[source.size()] = '\0';
  source_ = std::string_view(copy, source.size());
}

namespace {

// Returns the new File, or nullptr-free result with errors when the input fails the checks.
ParseResult Start(std::string_view text, std::string_view filename, const ParseOptions& options,
                  bool* usable) {
  ParseResult result;
  std::string_view name = InternFileName(filename);
  *usable = internal::CheckSize(text, name, options, result.diagnostics) &&
            internal::CheckUtf8(text, name, result.diagnostics);
  result.file = std::make_shared<File>(name, *usable ? text : std::string_view());
  return result;
}

bool LooksLikeJson(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
  }
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      continue;
    }
    return c == '{';
  }
  return false;
}

}  // namespace

ParseResult ParseNative(std::string_view text, std::string_view filename,
                        const ParseOptions& options) {
  bool usable;
  ParseResult result = Start(text, filename, options, &usable);
  if (usable) {
    auto file = std::const_pointer_cast<File>(result.file);
    internal::ParseNativeBody(*file, result.diagnostics, options);
  }
  return result;
}

ParseResult ParseJson(std::string_view text, std::string_view filename,
                      const ParseOptions& options) {
  bool usable;
  ParseResult result = Start(text, filename, options, &usable);
  auto file = std::const_pointer_cast<File>(result.file);
  file->mutable_body().json = true;
  if (usable) {
    internal::ParseJsonBody(*file, result.diagnostics, options);
  }
  return result;
}

ParseResult ParseConfig(std::string_view text, std::string_view filename,
                        const ParseOptions& options) {
  if (LooksLikeJson(text)) {
    return ParseJson(text, filename, options);
  }
  return ParseNative(text, filename, options);
}

ParseResult ParseExpression(std::string_view text, std::string_view filename,
                            const ParseOptions& options) {
  bool usable;
  ParseResult result = Start(text, filename, options, &usable);
  if (usable) {
    auto file = std::const_pointer_cast<File>(result.file);
    file->set_expr(internal::ParseNativeExpression(*file, result.diagnostics, options));
  }
  return result;
}

}  // namespace cellar::hcl
