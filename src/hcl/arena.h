// src/hcl/arena.h: a bump allocator that holds a parse's AST nodes and decoded strings.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace cellar::hcl {

// Allocations live until the Arena is destroyed; nothing is freed one by one, so only trivially
// destructible objects may be placed here. Not thread-safe.
class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  void* Allocate(size_t size, size_t align) {
    size_t pad = (align - (reinterpret_cast<uintptr_t>(cur_) & (align - 1))) & (align - 1);
    if (cur_ == nullptr || static_cast<size_t>(end_ - cur_) < size + pad) {
      NewChunk(size + align);
      pad = (align - (reinterpret_cast<uintptr_t>(cur_) & (align - 1))) & (align - 1);
    }
    char* p = cur_ + pad;
    cur_ = p + size;
    return p;
  }

  template <typename T, typename... Args>
  T* New(Args&&... args) {
    static_assert(std::is_trivially_destructible_v<T>, "arena objects are never destroyed");
    return new (Allocate(sizeof(T), alignof(T))) T(std::forward<Args>(args)...);
  }

  template <typename T>
  T* NewArray(size_t n) {
    static_assert(std::is_trivially_destructible_v<T>, "arena objects are never destroyed");
    if (n == 0) {
      return nullptr;
    }
    T* p = static_cast<T*>(Allocate(sizeof(T) * n, alignof(T)));
    for (size_t i = 0; i < n; ++i) {
      new (p + i) T();
    }
    return p;
  }

  std::string_view CopyString(std::string_view s) {
    if (s.empty()) {
      return {};
    }
    char* p = static_cast<char*>(Allocate(s.size(), 1));
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }

 private:
  void NewChunk(size_t min) {
    size_t size = next_size_ > min ? next_size_ : min;
    chunks_.push_back(std::make_unique<char[]>(size));
    cur_ = chunks_.back().get();
    end_ = cur_ + size;
    if (next_size_ < (size_t{1} << 20)) {
      next_size_ *= 2;
    }
  }

  std::vector<std::unique_ptr<char[]>> chunks_;
  char* cur_ = nullptr;
  char* end_ = nullptr;
  size_t next_size_ = 4096;
};

}  // namespace cellar::hcl
