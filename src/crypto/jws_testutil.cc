// src/crypto/jws_testutil.cc: TestSigner over JwsSigner, aborting instead of returning errors.
#include "crypto/jws_testutil.h"

#include <cstdio>
#include <cstdlib>

namespace cellar::crypto {
namespace {

template <typename T>
T OrDie(StatusOr<T> v) {
  if (!v.ok()) {
    std::fprintf(stderr, "TestSigner: %s\n", v.status().ToString().c_str());
    std::abort();
  }
  return *std::move(v);
}

}  // namespace

TestSigner::TestSigner(std::string_view alg) : signer_(OrDie(JwsSigner::Generate(alg))) {}

FlattenedJws TestSigner::Sign(std::string_view protected_json, std::string_view payload) const {
  return OrDie(signer_.Sign(protected_json, payload));
}

}  // namespace cellar::crypto
