// src/framework/keyed_mutexes.h: per-key critical sections for backends, without a map of
// mutexes: a fixed set picked by the key's hash (two keys may share one, which only serialises
// them).
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string_view>

namespace cellar::framework {

template <size_t N = 16>
class KeyedMutexes {
 public:
  std::mutex& For(std::string_view key) {
    return mutexes_[std::hash<std::string_view>{}(key) % mutexes_.size()];
  }

 private:
  std::array<std::mutex, N> mutexes_;
};

}  // namespace cellar::framework
