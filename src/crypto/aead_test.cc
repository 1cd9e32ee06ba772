// src/crypto/aead_test.cc: AES-256-GCM round trips and every way a sealed value must fail to open.
#include "crypto/aead.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/random.h"

namespace cellar::crypto {
namespace {

// The GCM specification's test case 16 (AES-256, 96-bit IV, with AAD), laid out as Seal lays out
// its output: nonce || ciphertext || tag. Opening it proves the format is standard GCM.
struct KnownAnswer {
  std::string key =
      HexDecode("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308").value();
  std::string aad = HexDecode("feedfacedeadbeeffeedfacedeadbeefabaddad2").value();
  std::string plaintext =
      HexDecode(
          "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e"
          "2449a6b525b16aedf5aa0de657ba637b39")
          .value();
  std::string sealed =
      HexDecode(
          "cafebabefacedbaddecaf888"
          "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b"
          "1056828838c5f61e6393ba7a0abcc9f662"
          "76fc6ece0f4e1768cddf8853bb2d551b")
          .value();
};

class AeadTest : public testing::Test {
 protected:
  std::string key_ = RandomBytes(kAesKeySize);
};

TEST_F(AeadTest, RoundTrips) {
  for (std::string_view text : {std::string_view(), std::string_view("x"),
                                std::string_view("a longer secret value \0 with a NUL", 34)}) {
    std::string sealed = AesGcmSeal(key_, text, "path/a").value();
    EXPECT_EQ(sealed.size(), text.size() + kGcmNonceSize + kGcmTagSize);
    EXPECT_EQ(AesGcmOpen(key_, sealed, "path/a").value(), text);
  }
}

TEST_F(AeadTest, NoncesDiffer) {
  EXPECT_NE(AesGcmSeal(key_, "same", "").value(), AesGcmSeal(key_, "same", "").value());
}

// Seals from several threads, each past many nonce batches, never share a nonce.
TEST_F(AeadTest, NoncesNeverRepeatAcrossThreads) {
  auto prepared = AesGcmKey::Create(key_).value();
  std::mutex mu;
  std::set<std::string> nonces;
  size_t sealed = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> mine;
      for (int i = 0; i < 500; ++i) {
        mine.push_back(prepared->Seal("v", "").value().substr(0, kGcmNonceSize));
        mine.push_back(AesGcmSeal(key_, "v", "").value().substr(0, kGcmNonceSize));
      }
      std::lock_guard<std::mutex> lock(mu);
      nonces.insert(mine.begin(), mine.end());
      sealed += mine.size();
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(nonces.size(), sealed);
}

// A forked child must not seal with the nonces its parent still has in store.
TEST_F(AeadTest, ForkedChildDrawsItsOwnNonces) {
  ASSERT_TRUE(AesGcmSeal(key_, "v", "").ok());  // the parent now holds unused nonces
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::string nonce = AesGcmSeal(key_, "v", "").value().substr(0, kGcmNonceSize);
    _exit(write(pipe_fds[1], nonce.data(), nonce.size()) == static_cast<ssize_t>(nonce.size()) ? 0
                                                                                               : 1);
  }
  close(pipe_fds[1]);
  std::string child_nonce(kGcmNonceSize, '\0');
  EXPECT_EQ(read(pipe_fds[0], child_nonce.data(), child_nonce.size()),
            static_cast<ssize_t>(kGcmNonceSize));
  close(pipe_fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_NE(AesGcmSeal(key_, "v", "").value().substr(0, kGcmNonceSize), child_nonce);
}

TEST_F(AeadTest, WrongKeyFails) {
  std::string sealed = AesGcmSeal(key_, "secret", "aad").value();
  EXPECT_EQ(AesGcmOpen(RandomBytes(32), sealed, "aad").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(AeadTest, WrongAadFails) {
  std::string sealed = AesGcmSeal(key_, "secret", "path/a").value();
  EXPECT_FALSE(AesGcmOpen(key_, sealed, "path/b").ok());
  EXPECT_FALSE(AesGcmOpen(key_, sealed, "").ok());
}

TEST_F(AeadTest, EveryFlippedByteFails) {
  std::string sealed = AesGcmSeal(key_, "secret", "aad").value();
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] ^= 0x01;
    EXPECT_FALSE(AesGcmOpen(key_, tampered, "aad").ok()) << "byte " << i;
  }
}

TEST_F(AeadTest, TruncatedFails) {
  std::string sealed = AesGcmSeal(key_, "secret", "aad").value();
  EXPECT_FALSE(AesGcmOpen(key_, sealed.substr(0, sealed.size() - 1), "aad").ok());
  EXPECT_FALSE(AesGcmOpen(key_, sealed.substr(0, 10), "aad").ok());
}

TEST_F(AeadTest, ShortKeyRejected) {
  EXPECT_EQ(AesGcmSeal("short", "x", "").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(AeadTest, OpensTheSpecificationsTestVector) {
  KnownAnswer kat;
  EXPECT_EQ(AesGcmOpen(kat.key, kat.sealed, kat.aad).value(), kat.plaintext);
}

// Every input too short to hold a nonce and a tag fails like a forgery, with the same message.
TEST_F(AeadTest, ShortInputsFailAsForgeries) {
  auto prepared = AesGcmKey::Create(key_).value();
  for (size_t size : {size_t{0}, size_t{1}, kGcmNonceSize, kGcmNonceSize + kGcmTagSize - 1}) {
    std::string sealed = RandomBytes(size);
    for (const StatusOr<std::string>& opened :
         {AesGcmOpen(key_, sealed, "aad"), prepared->Open(sealed, "aad")}) {
      EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument) << size;
      EXPECT_EQ(opened.status().message(), "message authentication failed") << size;
    }
  }
}

// --- AesGcmKey: the same format, so either side can open what the other sealed ---

TEST_F(AeadTest, PreparedKeyOpensWhatSealOpens) {
  auto prepared = AesGcmKey::Create(key_).value();
  for (std::string_view text : {std::string_view(), std::string_view("x"),
                                std::string_view("a longer secret value \0 with a NUL", 34)}) {
    std::string sealed = prepared->Seal(text, "path/a").value();
    EXPECT_EQ(sealed.size(), text.size() + kGcmNonceSize + kGcmTagSize);
    EXPECT_EQ(AesGcmOpen(key_, sealed, "path/a").value(), text);
    EXPECT_EQ(prepared->Open(AesGcmSeal(key_, text, "path/a").value(), "path/a").value(), text);
  }
}

TEST_F(AeadTest, PreparedKeyRejectsTampering) {
  auto prepared = AesGcmKey::Create(key_).value();
  std::string sealed = prepared->Seal("secret", "aad").value();
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] ^= 0x01;
    EXPECT_EQ(prepared->Open(tampered, "aad").status().code(), StatusCode::kInvalidArgument)
        << "byte " << i;
  }
  EXPECT_FALSE(prepared->Open(sealed, "other").ok());
  EXPECT_FALSE(prepared->Open(sealed.substr(0, 20), "aad").ok());
  // A failed open leaves the key usable.
  EXPECT_EQ(prepared->Open(sealed, "aad").value(), "secret");
}

TEST_F(AeadTest, PreparedKeyOpensTheSpecificationsTestVector) {
  KnownAnswer kat;
  auto prepared = AesGcmKey::Create(kat.key).value();
  EXPECT_EQ(prepared->Open(kat.sealed, kat.aad).value(), kat.plaintext);
  std::string forged = kat.sealed;
  forged.back() ^= 0x80;
  EXPECT_EQ(prepared->Open(forged, kat.aad).status().message(), "message authentication failed");
}

TEST_F(AeadTest, PreparedKeyWrongKeyFails) {
  auto other = AesGcmKey::Create(RandomBytes(kAesKeySize)).value();
  EXPECT_FALSE(other->Open(AesGcmSeal(key_, "secret", "aad").value(), "aad").ok());
}

TEST_F(AeadTest, PreparedKeyNeedsA32ByteKey) {
  EXPECT_EQ(AesGcmKey::Create("short").status().code(), StatusCode::kInvalidArgument);
}

// A keyring holds several keys and one thread uses them in turn: no key's state may leak into
// another's, and a failed open under the wrong key must not disturb the right one.
TEST_F(AeadTest, ManyPreparedKeysAlternateOnOneThread) {
  constexpr int kKeys = 4;
  std::vector<std::shared_ptr<const AesGcmKey>> keys;
  for (int k = 0; k < kKeys; ++k) {
    keys.push_back(AesGcmKey::Create(RandomBytes(kAesKeySize)).value());
  }
  for (int round = 0; round < 20; ++round) {
    for (int k = 0; k < kKeys; ++k) {
      std::string text = "value " + std::to_string(round) + "/" + std::to_string(k);
      std::string sealed = keys[k]->Seal(text, "aad").value();
      EXPECT_EQ(keys[(k + 1) % kKeys]->Open(sealed, "aad").status().code(),
                StatusCode::kInvalidArgument);
      EXPECT_EQ(keys[k]->Open(sealed, "aad").value(), text);
    }
  }
}

// More threads than the key has contexts: some calls take the copy path.
TEST_F(AeadTest, PreparedKeyIsThreadSafe) {
  auto prepared = AesGcmKey::Create(key_).value();
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      std::string text = "value-" + std::to_string(t);
      for (int i = 0; i < 300; ++i) {
        StatusOr<std::string> sealed = prepared->Seal(text, "k");
        if (!sealed.ok() || prepared->Open(*sealed, "k").value_or("") != text) {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(failures.load(), 0);
}

// Several threads share several keys, each opening what the others sealed and checking that a
// value sealed under one key never opens under another.
TEST_F(AeadTest, PreparedKeysSharedAcrossThreads) {
  constexpr int kKeys = 3;
  std::vector<std::shared_ptr<const AesGcmKey>> keys;
  std::vector<std::string> sealed;
  for (int k = 0; k < kKeys; ++k) {
    keys.push_back(AesGcmKey::Create(RandomBytes(kAesKeySize)).value());
    sealed.push_back(keys[k]->Seal(std::string(200, static_cast<char>('a' + k)), "path").value());
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        int k = (t + i) % kKeys;
        if (keys[k]->Open(sealed[k], "path").value_or("") !=
                std::string(200, static_cast<char>('a' + k)) ||
            keys[(k + 1) % kKeys]->Open(sealed[k], "path").ok()) {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace cellar::crypto
