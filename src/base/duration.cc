// src/base/duration.cc: parses Go/Vault duration strings without exceptions.
#include "base/duration.h"

#include <charconv>
#include <cmath>

namespace cellar {
namespace {

// Returns the unit's length in nanoseconds, or 0 if `unit` is not a unit.
double UnitNanos(std::string_view unit) {
  if (unit == "ns") return 1;
  if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") return 1e3;
  if (unit == "ms") return 1e6;
  if (unit == "s") return 1e9;
  if (unit == "m") return 60e9;
  if (unit == "h") return 3600e9;
  if (unit == "d") return 86400e9;
  return 0;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

StatusOr<Seconds> ParseDuration(std::string_view text) {
  auto bad = [&] { return InvalidArgumentError("invalid duration \"" + std::string(text) + "\""); };
  if (text.empty()) {
    return Seconds(0);
  }
  // A bare integer is seconds.
  int64_t whole = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), whole);
  if (ec == std::errc() && end == text.data() + text.size()) {
    if (whole < 0) {
      return bad();
    }
    return Seconds(whole);
  }
  if (text[0] == '-') {
    return bad();
  }
  std::string_view rest = text;
  if (rest[0] == '+') {
    rest.remove_prefix(1);
  }
  double total_ns = 0;
  bool any = false;
  while (!rest.empty()) {
    size_t i = 0;
    while (i < rest.size() && (IsDigit(rest[i]) || rest[i] == '.')) {
      ++i;
    }
    if (i == 0) {
      return bad();
    }
    double number = 0;
    auto [num_end, num_ec] = std::from_chars(rest.data(), rest.data() + i, number);
    if (num_ec != std::errc() || num_end != rest.data() + i) {
      return bad();
    }
    rest.remove_prefix(i);
    size_t j = 0;
    while (j < rest.size() && !IsDigit(rest[j]) && rest[j] != '.') {
      ++j;
    }
    double unit = UnitNanos(rest.substr(0, j));
    if (unit == 0) {
      return bad();
    }
    rest.remove_prefix(j);
    total_ns += number * unit;
    any = true;
  }
  if (!any || !std::isfinite(total_ns) || total_ns > 9.2e18) {
    return bad();
  }
  return Seconds(static_cast<int64_t>(total_ns / 1e9));
}

std::string FormatDuration(Seconds d) {
  int64_t s = d.count();
  if (s == 0) {
    return "0s";
  }
  std::string out;
  if (s < 0) {
    out = "-";
    s = -s;
  }
  int64_t h = s / 3600, m = (s % 3600) / 60, sec = s % 60;
  if (h > 0) {
    out += std::to_string(h) + "h";
  }
  if (h > 0 || m > 0) {
    out += std::to_string(m) + "m";
  }
  out += std::to_string(sec) + "s";
  return out;
}

}  // namespace cellar
