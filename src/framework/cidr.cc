// src/framework/cidr.cc: prefix matching of IPv4/IPv6 addresses with inet_pton.
#include "framework/cidr.h"

#include <arpa/inet.h>

#include <array>
#include <charconv>
#include <cstring>
#include <optional>

namespace cellar::framework {
namespace {

struct Address {
  int family = 0;  // AF_INET or AF_INET6
  std::array<unsigned char, 16> bytes{};
  int bits() const { return family == AF_INET ? 32 : 128; }
};

std::optional<Address> ParseAddress(std::string_view text) {
  std::string s(text);
  Address a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) {
    a.family = AF_INET;
    return a;
  }
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) {
    a.family = AF_INET6;
    return a;
  }
  return std::nullopt;
}

struct Block {
  Address base;
  int prefix = 0;
};

std::optional<Block> ParseBlock(std::string_view cidr) {
  size_t slash = cidr.find('/');
  auto base = ParseAddress(cidr.substr(0, slash));
  if (!base) {
    return std::nullopt;
  }
  Block b{*base, base->bits()};
  if (slash != std::string_view::npos) {
    std::string_view bits = cidr.substr(slash + 1);
    auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), b.prefix);
    if (ec != std::errc() || end != bits.data() + bits.size() || bits.empty() || b.prefix < 0 ||
        b.prefix > base->bits()) {
      return std::nullopt;
    }
  }
  return b;
}

// "1.2.3.4:80" and "[::1]:80" lose their port; a bare IPv6 address ("::1") is kept whole.
std::optional<Address> ParseRemote(std::string_view remote) {
  if (auto a = ParseAddress(remote)) {
    return a;
  }
  if (!remote.empty() && remote.front() == '[') {
    size_t close = remote.find(']');
    return close == std::string_view::npos ? std::nullopt
                                           : ParseAddress(remote.substr(1, close - 1));
  }
  size_t colon = remote.rfind(':');
  return colon == std::string_view::npos ? std::nullopt : ParseAddress(remote.substr(0, colon));
}

bool Contains(const Block& block, const Address& addr) {
  if (block.base.family != addr.family) {
    return false;
  }
  int full = block.prefix / 8;
  if (std::memcmp(block.base.bytes.data(), addr.bytes.data(), full) != 0) {
    return false;
  }
  int rest = block.prefix % 8;
  if (rest == 0) {
    return true;
  }
  unsigned char mask = static_cast<unsigned char>(0xFF << (8 - rest));
  return (block.base.bytes[full] & mask) == (addr.bytes[full] & mask);
}

}  // namespace

Status ValidateCidr(std::string_view cidr) {
  if (!ParseBlock(cidr)) {
    return InvalidArgumentError("invalid CIDR block \"" + std::string(cidr) + "\"");
  }
  return OkStatus();
}

bool AddressAllowed(std::string_view remote_addr, const std::vector<std::string>& cidrs) {
  if (cidrs.empty()) {
    return true;
  }
  auto addr = ParseRemote(remote_addr);
  if (!addr) {
    return false;
  }
  for (const std::string& c : cidrs) {
    if (auto block = ParseBlock(c); block && Contains(*block, *addr)) {
      return true;
    }
  }
  return false;
}

}  // namespace cellar::framework
