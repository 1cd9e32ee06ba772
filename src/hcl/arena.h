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
  ~Arena() {
    // Large chunks go back to a bounded per-thread pool: a large parse then reuses memory the
    // previous one touched instead of page-faulting fresh pages in.
    Pool& pool = ThreadPool();
    for (Chunk& chunk : chunks_) {
      if (chunk.size >= kMaxChunk && pool.bytes + chunk.size <= kPoolBytes) {
        pool.bytes += chunk.size;
        pool.chunks.push_back(std::move(chunk));
      }
    }
  }

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
  static constexpr size_t kMaxChunk = size_t{1} << 20;  // growth stops here
  // Enough for the source copy and AST of a 1 MB file; small parses never reach the pool.
  static constexpr size_t kPoolBytes = size_t{24} << 20;

  struct Chunk {
    std::unique_ptr<char[]> data;
    size_t size = 0;
  };
  struct Pool {
    std::vector<Chunk> chunks;
    size_t bytes = 0;
  };
  static Pool& ThreadPool() {
    thread_local Pool pool;
    return pool;
  }

  // Out of line so that Allocate, inlined into every node constructor, stays a few instructions.
  [[gnu::noinline]] void NewChunk(size_t min) {
    size_t size = next_size_ > min ? next_size_ : min;
    Chunk chunk;
    if (size >= kMaxChunk) {
      // Most pooled chunks are kMaxChunk; a larger one (a big source copy) is found by size.
      Pool& pool = ThreadPool();
      for (size_t i = pool.chunks.size(); i-- > 0;) {
        if (pool.chunks[i].size >= size) {
          chunk = std::move(pool.chunks[i]);
          pool.chunks.erase(pool.chunks.begin() + static_cast<std::ptrdiff_t>(i));
          pool.bytes -= chunk.size;
          break;
        }
      }
    }
    if (chunk.data == nullptr) {
      chunk.data.reset(new char[size]);  // not zeroed: every allocation is initialised by its user
      chunk.size = size;
    }
    cur_ = chunk.data.get();
    end_ = cur_ + chunk.size;
    chunks_.push_back(std::move(chunk));
    if (next_size_ < kMaxChunk) {
      next_size_ *= 2;
    }
  }

 public:
  // Hints the expected total so a large parse starts with full-size chunks.
  void Reserve(size_t bytes) {
    while (next_size_ < kMaxChunk && next_size_ < bytes) {
      next_size_ *= 2;
    }
  }

 private:
  std::vector<Chunk> chunks_;
  char* cur_ = nullptr;
  char* end_ = nullptr;
  size_t next_size_ = 4096;
};

}  // namespace cellar::hcl
