// src/engines/database/statements.cc: templates, statement splitting and generated credentials.
#include "engines/database/statements.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "base/text.h"
#include "crypto/random.h"

namespace cellar::engines::database {

namespace {

constexpr std::string_view kAlphanumerics =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

// `n` characters drawn uniformly from kAlphanumerics (bytes past the largest multiple of 62
// are rejected, so there is no bias).
std::string RandomAlphanumerics(size_t n) {
  std::string out;
  while (out.size() < n) {
    for (unsigned char b : crypto::RandomBytes(n * 2)) {
      if (b < 248 && out.size() < n) {
        out.push_back(kAlphanumerics[b % kAlphanumerics.size()]);
      }
    }
  }
  return out;
}

std::string Identifier(std::string_view name, size_t max) {
  std::string out(name.substr(0, max));
  for (char& c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') {
      c = '_';
    }
  }
  return out;
}

}  // namespace

std::string FillTemplate(std::string_view text, const std::map<std::string, std::string>& values) {
  std::string out;
  size_t at = 0;
  while (at < text.size()) {
    size_t open = text.find("{{", at);
    size_t close = open == std::string_view::npos ? open : text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      out.append(text.substr(at));
      break;
    }
    out.append(text.substr(at, open - at));
    std::string key(TrimSpace(text.substr(open + 2, close - open - 2)));
    auto it = values.find(key);
    out.append(it != values.end() ? std::string_view(it->second)
                                  : text.substr(open, close + 2 - open));
    at = close + 2;
  }
  return out;
}

std::vector<std::string> SplitStatements(const std::vector<std::string>& entries) {
  std::vector<std::string> out;
  for (const std::string& entry : entries) {
    std::string_view rest = entry;
    while (!rest.empty()) {
      size_t semi = rest.find(';');
      std::string_view one = TrimSpace(rest.substr(0, semi));
      if (!one.empty()) {
        out.emplace_back(one);
      }
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    }
  }
  return out;
}

std::string NewUsername(std::string_view display_name, std::string_view role,
                        std::chrono::system_clock::time_point now) {
  auto unix_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  std::string name = "v-" + Identifier(display_name, 8) + "-" + Identifier(role, 8) + "-" +
                     RandomAlphanumerics(20) + "-" + std::to_string(unix_seconds);
  return name.substr(0, 63);
}

std::string NewPassword() {
  while (true) {
    std::string p = RandomAlphanumerics(20);
    auto has = [&](int (*is)(int)) {
      return std::any_of(p.begin(), p.end(),
                         [&](char c) { return is(static_cast<unsigned char>(c)); });
    };
    if (has(std::isupper) && has(std::islower) && has(std::isdigit)) {
      return p;
    }
  }
}

std::string FormatExpiration(std::chrono::system_clock::time_point when) {
  std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S+0000", &utc);
  return buf;
}

}  // namespace cellar::engines::database
