// src/cel/utf8.h: the few UTF-8 helpers CEL's string functions need (code point indexing).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cellar::cel {

bool IsValidUtf8(std::string_view s);
// Decodes to code points (the input must be valid UTF-8).
std::vector<uint32_t> DecodeUtf8(std::string_view s);
void AppendUtf8(std::string& out, uint32_t cp);
std::string EncodeUtf8(const std::vector<uint32_t>& cps, size_t begin, size_t end);

}  // namespace cellar::cel
