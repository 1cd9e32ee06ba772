// src/core/seal_config.cc: a line-per-field text form of SealConfig.
#include "core/seal_config.h"

#include <charconv>

namespace cellar::core {

std::string SealConfig::Serialize() const {
  return "shares=" + std::to_string(secret_shares) +
         "\nthreshold=" + std::to_string(secret_threshold) + "\ncluster_id=" + cluster_id +
         "\ncluster_name=" + cluster_name + "\n";
}

StatusOr<SealConfig> SealConfig::Parse(std::string_view text) {
  SealConfig config;
  int seen = 0;
  while (!text.empty()) {
    size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return InternalError("stored seal configuration is malformed");
    }
    std::string_view name = line.substr(0, eq);
    std::string_view value = line.substr(eq + 1);
    auto number = [&](int& out) {
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
      return ec == std::errc() && ptr == value.data() + value.size();
    };
    bool ok = true;
    if (name == "shares") {
      ok = number(config.secret_shares);
    } else if (name == "threshold") {
      ok = number(config.secret_threshold);
    } else if (name == "cluster_id") {
      config.cluster_id = value;
    } else if (name == "cluster_name") {
      config.cluster_name = value;
    } else {
      continue;  // a field from a newer version
    }
    if (!ok) {
      return InternalError("stored seal configuration is malformed");
    }
    ++seen;
  }
  if (seen < 4 || config.secret_shares < 1 || config.secret_threshold < 1 ||
      config.secret_threshold > config.secret_shares) {
    return InternalError("stored seal configuration is incomplete");
  }
  return config;
}

}  // namespace cellar::core
