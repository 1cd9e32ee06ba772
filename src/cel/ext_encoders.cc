// src/cel/ext_encoders.cc: base64.encode / base64.decode (padding optional on decode).
#include "cel/library.h"

namespace cellar::cel {
namespace {

using Args = std::span<const Value>;

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Encode(const std::string& in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (static_cast<unsigned char>(in[i]) << 16) |
                 (static_cast<unsigned char>(in[i + 1]) << 8) | static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t v = static_cast<unsigned char>(in[i]) << 16;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t v = (static_cast<unsigned char>(in[i]) << 16) |
                 (static_cast<unsigned char>(in[i + 1]) << 8);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

bool Decode(const std::string& in, std::string* out) {
  size_t len = in.size();
  while (len > 0 && in[len - 1] == '=') {
    --len;
  }
  if (in.size() - len > 2 || len % 4 == 1) {
    return false;
  }
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < len; ++i) {
    const char* p = std::char_traits<char>::find(kAlphabet, 64, in[i]);
    if (p == nullptr) {
      return false;
    }
    acc = (acc << 6) | static_cast<uint32_t>(p - kAlphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      *out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return true;
}

}  // namespace

std::string Base64Encode(const std::string& in) { return Encode(in); }
bool Base64Decode(const std::string& in, std::string* out) { return Decode(in, out); }

void RegisterEncodersExtension(FunctionRegistry& r) {
  r.Add("base64.encode", false, {Kind::kBytes},
        [](Args a, EvalContext&) { return Value::String(Encode(a[0].string_value())); });
  r.Add("base64.decode", false, {Kind::kString}, [](Args a, EvalContext&) {
    std::string out;
    if (!Decode(a[0].string_value(), &out)) {
      return Value::Error("illegal base64 data");
    }
    return Value::Bytes(std::move(out));
  });
}

}  // namespace cellar::cel
