// src/crypto/public_key.cc: EVP_PKEY from PEM or JWK (OSSL_PARAM_BLD), canonical JWKs, and
// EVP_DigestVerify for the JWS algorithms.
#include "crypto/public_key.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstring>

#include "base/status_macros.h"
#include "crypto/base64url.h"
#include "crypto/hash.h"

namespace cellar::crypto {

struct PublicKey::Rep {
  EVP_PKEY* pkey = nullptr;
  std::string kty;
  std::string alg;
  std::string jwk;  // canonical (RFC 7638)
  ~Rep() { EVP_PKEY_free(pkey); }
};

namespace {

namespace json = boost::json;

// unique_ptr deleter calling OpenSSL's free function for the type.
template <auto kFree>
struct Free {
  template <typename T>
  void operator()(T* p) const {
    kFree(p);
  }
};
using BioFree = Free<BIO_free>;
using BnFree = Free<BN_free>;
using CtxFree = Free<EVP_PKEY_CTX_free>;
using MdCtxFree = Free<EVP_MD_CTX_free>;
using BldFree = Free<OSSL_PARAM_BLD_free>;
using ParamFree = Free<OSSL_PARAM_free>;
using SigFree = Free<ECDSA_SIG_free>;
using Bn = std::unique_ptr<BIGNUM, BnFree>;

// OpenSSL's error queue is per thread; a failed parse must not leave entries for the next caller.
Status Refuse(std::string message) {
  ERR_clear_error();
  return InvalidArgumentError(std::move(message));
}

StatusOr<std::string> BnParam(const EVP_PKEY* pkey, const char* name, size_t pad) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) {
    ERR_clear_error();
    return InternalError(std::string("cannot read key parameter ") + name);
  }
  Bn bn(raw);
  size_t len = pad > 0 ? pad : static_cast<size_t>(BN_num_bytes(bn.get()));
  std::string out(len, '\0');
  if (BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(len)) <
      0) {
    return InternalError(std::string("key parameter too long: ") + name);
  }
  return out;
}

struct Curve {
  const char* openssl_name;  // OSSL_PKEY_PARAM_GROUP_NAME
  const char* jwk_name;
  const char* alg;
  size_t size;  // bytes per coordinate and per signature half
};
constexpr Curve kCurves[] = {{"prime256v1", "P-256", "ES256", 32},
                             {"secp384r1", "P-384", "ES384", 48}};

const Curve* CurveByOpenSsl(std::string_view name) {
  for (const Curve& c : kCurves) {
    if (name == c.openssl_name || name == c.jwk_name) {
      return &c;
    }
  }
  return nullptr;
}

const Curve* CurveByAlg(std::string_view alg) {
  for (const Curve& c : kCurves) {
    if (alg == c.alg) {
      return &c;
    }
  }
  return nullptr;
}

const Curve* KeyCurve(const EVP_PKEY* pkey) {
  char group[64] = {0};
  size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                     &len) != 1) {
    ERR_clear_error();
    return nullptr;
  }
  return CurveByOpenSsl(std::string_view(group, len));
}

// The RFC 7638 members of `pkey`, canonical, plus its kty and algorithm.
Status Describe(PublicKey::Rep& rep) {
  json::object jwk;  // serialised in insertion order: insert sorted
  if (EVP_PKEY_is_a(rep.pkey, "RSA")) {
    if (EVP_PKEY_get_bits(rep.pkey) < 2048) {
      return Refuse("RSA keys must have at least 2048 bits");
    }
    CELLAR_ASSIGN_OR_RETURN(std::string n, BnParam(rep.pkey, OSSL_PKEY_PARAM_RSA_N, 0));
    CELLAR_ASSIGN_OR_RETURN(std::string e, BnParam(rep.pkey, OSSL_PKEY_PARAM_RSA_E, 0));
    jwk["e"] = Base64UrlEncode(e);
    jwk["kty"] = "RSA";
    jwk["n"] = Base64UrlEncode(n);
    rep.kty = "RSA";
    rep.alg = "RS256";
  } else if (EVP_PKEY_is_a(rep.pkey, "EC")) {
    const Curve* curve = KeyCurve(rep.pkey);
    if (curve == nullptr) {
      return Refuse("EC keys must be on P-256 or P-384");
    }
    CELLAR_ASSIGN_OR_RETURN(std::string x,
                            BnParam(rep.pkey, OSSL_PKEY_PARAM_EC_PUB_X, curve->size));
    CELLAR_ASSIGN_OR_RETURN(std::string y,
                            BnParam(rep.pkey, OSSL_PKEY_PARAM_EC_PUB_Y, curve->size));
    jwk["crv"] = curve->jwk_name;
    jwk["kty"] = "EC";
    jwk["x"] = Base64UrlEncode(x);
    jwk["y"] = Base64UrlEncode(y);
    rep.kty = "EC";
    rep.alg = curve->alg;
  } else if (EVP_PKEY_is_a(rep.pkey, "ED25519")) {
    std::string x(32, '\0');
    size_t len = x.size();
    if (EVP_PKEY_get_raw_public_key(rep.pkey, reinterpret_cast<unsigned char*>(x.data()), &len) !=
        1) {
      return Refuse("cannot read the Ed25519 public key");
    }
    x.resize(len);
    jwk["crv"] = "Ed25519";
    jwk["kty"] = "OKP";
    jwk["x"] = Base64UrlEncode(x);
    rep.kty = "OKP";
    rep.alg = "EdDSA";
  } else {
    return Refuse("unsupported key type: use EC (P-256, P-384), RSA or Ed25519");
  }
  rep.jwk = json::serialize(jwk);
  return OkStatus();
}

StatusOr<std::string> Member(const json::object& jwk, std::string_view name) {
  const json::value* v = jwk.if_contains(name);
  if (v == nullptr || !v->is_string()) {
    return InvalidArgumentError("JWK member \"" + std::string(name) + "\" is missing");
  }
  StatusOr<std::string> decoded = Base64UrlDecode(v->as_string());
  if (!decoded.ok()) {
    return InvalidArgumentError("JWK member \"" + std::string(name) + "\" is not base64url");
  }
  return decoded;
}

// EVP_PKEY_fromdata for `type` ("RSA", "EC") from the parameters in `bld`.
StatusOr<EVP_PKEY*> FromData(const char* type, OSSL_PARAM_BLD* bld) {
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld));
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* pkey = nullptr;
  if (params == nullptr || ctx == nullptr || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return Refuse(std::string("invalid ") + type + " public key");
  }
  return pkey;
}

StatusOr<EVP_PKEY*> RsaFromJwk(const json::object& jwk) {
  CELLAR_ASSIGN_OR_RETURN(std::string n, Member(jwk, "n"));
  CELLAR_ASSIGN_OR_RETURN(std::string e, Member(jwk, "e"));
  auto bin = [](const std::string& s) {
    return Bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(s.data()),
                        static_cast<int>(s.size()), nullptr));
  };
  Bn bn_n = bin(n);
  Bn bn_e = bin(e);
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
  if (!bn_n || !bn_e || !bld ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return Refuse("invalid RSA public key");
  }
  return FromData("RSA", bld.get());
}

StatusOr<EVP_PKEY*> EcFromJwk(const json::object& jwk) {
  const json::value* crv = jwk.if_contains("crv");
  const Curve* curve =
      crv != nullptr && crv->is_string() ? CurveByOpenSsl(crv->as_string()) : nullptr;
  if (curve == nullptr || std::string_view(crv->as_string()) != curve->jwk_name) {
    return InvalidArgumentError("JWK crv must be P-256 or P-384");
  }
  CELLAR_ASSIGN_OR_RETURN(std::string x, Member(jwk, "x"));
  CELLAR_ASSIGN_OR_RETURN(std::string y, Member(jwk, "y"));
  if (x.size() != curve->size || y.size() != curve->size) {
    return InvalidArgumentError("JWK x and y must be " + std::to_string(curve->size) +
                                " bytes for " + curve->jwk_name);
  }
  std::string point = "\x04" + x + y;  // SEC1 uncompressed: OpenSSL checks it is on the curve
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve->openssl_name,
                                      0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return Refuse("invalid EC public key");
  }
  return FromData("EC", bld.get());
}

StatusOr<EVP_PKEY*> OkpFromJwk(const json::object& jwk) {
  const json::value* crv = jwk.if_contains("crv");
  if (crv == nullptr || !crv->is_string() || crv->as_string() != "Ed25519") {
    return InvalidArgumentError("JWK crv must be Ed25519 for kty OKP");
  }
  CELLAR_ASSIGN_OR_RETURN(std::string x, Member(jwk, "x"));
  if (x.size() != 32) {
    return InvalidArgumentError("JWK x must be 32 bytes for Ed25519");
  }
  EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(x.data()), x.size());
  if (pkey == nullptr) {
    return Refuse("invalid Ed25519 public key");
  }
  return pkey;
}

// JWS ES* signatures are the fixed-size r||s; OpenSSL verifies DER.
StatusOr<std::string> EcdsaRawToDer(std::string_view raw, size_t half) {
  if (raw.size() != 2 * half) {
    return InvalidArgumentError("ECDSA signature must be " + std::to_string(2 * half) + " bytes");
  }
  auto bin = [](std::string_view s) {
    return BN_bin2bn(reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()),
                     nullptr);
  };
  std::unique_ptr<ECDSA_SIG, SigFree> sig(ECDSA_SIG_new());
  BIGNUM* r = bin(raw.substr(0, half));
  BIGNUM* s = bin(raw.substr(half));
  if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return InternalError("cannot build the ECDSA signature");
  }
  unsigned char* der = nullptr;
  int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) {
    return InternalError("cannot encode the ECDSA signature");
  }
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

}  // namespace

StatusOr<PublicKey> PublicKey::FromRep(std::shared_ptr<Rep> rep) {
  CELLAR_RETURN_IF_ERROR(Describe(*rep));
  return PublicKey(std::move(rep));
}

StatusOr<PublicKey> PublicKey::FromPem(std::string_view pem) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  auto rep = std::make_shared<Rep>();
  rep->pkey = bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (rep->pkey == nullptr) {
    return Refuse("not a PEM public key (expected -----BEGIN PUBLIC KEY-----)");
  }
  return FromRep(std::move(rep));
}

StatusOr<PublicKey> PublicKey::FromJwk(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    return InvalidArgumentError("a JWK must be a JSON object");
  }
  const json::object& jwk = v.as_object();
  for (const char* secret : {"d", "p", "q", "dp", "dq", "qi", "k"}) {
    if (jwk.contains(secret)) {
      return InvalidArgumentError("the JWK holds private key material (\"" + std::string(secret) +
                                  "\"): bind the public key only");
    }
  }
  const json::value* kty = jwk.if_contains("kty");
  if (kty == nullptr || !kty->is_string()) {
    return InvalidArgumentError("JWK member \"kty\" is missing");
  }
  auto rep = std::make_shared<Rep>();
  if (kty->as_string() == "RSA") {
    CELLAR_ASSIGN_OR_RETURN(rep->pkey, RsaFromJwk(jwk));
  } else if (kty->as_string() == "EC") {
    CELLAR_ASSIGN_OR_RETURN(rep->pkey, EcFromJwk(jwk));
  } else if (kty->as_string() == "OKP") {
    CELLAR_ASSIGN_OR_RETURN(rep->pkey, OkpFromJwk(jwk));
  } else {
    return InvalidArgumentError("JWK kty must be EC, RSA or OKP");
  }
  CELLAR_ASSIGN_OR_RETURN(PublicKey key, FromRep(std::move(rep)));
  if (const json::value* alg = jwk.if_contains("alg");
      alg != nullptr && (!alg->is_string() || alg->as_string() != key.algorithm())) {
    return InvalidArgumentError("JWK alg does not match its key (" + std::string(key.algorithm()) +
                                ")");
  }
  return key;
}

StatusOr<PublicKey> PublicKey::Parse(std::string_view text) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') {
    return FromJwk(text);
  }
  return FromPem(text);
}

std::string_view PublicKey::kty() const { return rep_->kty; }
std::string_view PublicKey::algorithm() const { return rep_->alg; }
const std::string& PublicKey::canonical_jwk() const { return rep_->jwk; }
std::string PublicKey::Thumbprint() const { return Base64UrlEncode(Sha256(rep_->jwk)); }

std::string PublicKey::Pem() const {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), rep_->pkey) != 1) {
    ERR_clear_error();
    return "";
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

Status PublicKey::VerifyJws(std::string_view alg, std::string_view signing_input,
                            std::string_view signature) const {
  if (alg != rep_->alg) {
    return PermissionDeniedError("JWS alg \"" + std::string(alg) + "\" does not match the key (" +
                                 rep_->alg + ")");
  }
  std::string sig(signature);
  const EVP_MD* md = nullptr;  // EdDSA hashes internally
  if (const Curve* curve = CurveByAlg(alg)) {
    CELLAR_ASSIGN_OR_RETURN(sig, EcdsaRawToDer(signature, curve->size));
    md = curve->size == 32 ? EVP_sha256() : EVP_sha384();
  } else if (alg == "RS256") {
    md = EVP_sha256();
  }
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, rep_->pkey) != 1) {
    ERR_clear_error();
    return InternalError("EVP_DigestVerifyInit failed");
  }
  int rc = EVP_DigestVerify(
      ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
      reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size());
  ERR_clear_error();
  if (rc != 1) {
    return PermissionDeniedError("the JWS signature does not verify");
  }
  return OkStatus();
}

}  // namespace cellar::crypto
