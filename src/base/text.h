// src/base/text.h: small text helpers shared across layers.
#pragma once

#include <cctype>
#include <string_view>

namespace cellar {

// `s` without leading and trailing whitespace.
inline std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace cellar
