// src/cel/source.h: source text with line/column lookup and caret-style error rendering.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cellar::cel {

class Source {
 public:
  explicit Source(std::string text);

  const std::string& text() const { return text_; }
  // 1-based line and column (in code points) of a byte offset.
  void Locate(int32_t offset, int32_t* line, int32_t* column) const;
  // "ERROR: <input>:1:5: message\n | a + \n | ....^"
  std::string FormatError(int32_t offset, std::string_view message) const;

 private:
  std::string text_;
  std::vector<int32_t> line_starts_;
};

}  // namespace cellar::cel
