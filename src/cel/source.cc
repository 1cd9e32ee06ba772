// src/cel/source.cc: maps byte offsets to line/column and renders errors with a caret.
#include "cel/source.h"

#include <algorithm>

namespace cellar::cel {

Source::Source(std::string text) : text_(std::move(text)) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') {
      line_starts_.push_back(static_cast<int32_t>(i + 1));
    }
  }
}

void Source::Locate(int32_t offset, int32_t* line, int32_t* column) const {
  offset = std::clamp<int32_t>(offset, 0, static_cast<int32_t>(text_.size()));
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  size_t index = static_cast<size_t>(it - line_starts_.begin()) - 1;
  *line = static_cast<int32_t>(index + 1);
  int32_t col = 1;
  for (int32_t i = line_starts_[index]; i < offset; ++i) {
    // Count code points, not bytes: continuation bytes do not start a column.
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) {
      ++col;
    }
  }
  *column = col;
}

std::string Source::FormatError(int32_t offset, std::string_view message) const {
  int32_t line = 0;
  int32_t column = 0;
  Locate(offset, &line, &column);
  std::string out = "ERROR: <input>:" + std::to_string(line) + ":" + std::to_string(column) +
                    ": " + std::string(message);
  size_t start = static_cast<size_t>(line_starts_[line - 1]);
  size_t end = text_.find('\n', start);
  std::string_view source_line =
      std::string_view(text_).substr(start, end == std::string::npos ? end : end - start);
  // Long lines are not echoed in full: the caret line would be useless.
  if (source_line.size() <= 200) {
    out += "\n | " + std::string(source_line) + "\n | " + std::string(column - 1, '.') + "^";
  }
  return out;
}

}  // namespace cellar::cel
