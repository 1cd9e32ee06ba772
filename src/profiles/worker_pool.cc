// src/profiles/worker_pool.cc: the pool behind ParallelFor: a job queue and idle threads.
#include "profiles/worker_pool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace cellar::profiles {
namespace {

class Pool {
 public:
  explicit Pool(size_t threads) {
    for (size_t i = 0; i < threads; ++i) {
      threads_.emplace_back([this] { Work(); });
    }
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (std::thread& t : threads_) {
      t.join();
    }
  }

  void Post(std::function<void()> job) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      jobs_.push_back(std::move(job));
    }
    cv_.notify_one();
  }

 private:
  void Work() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) {
          return;  // stopping
        }
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

Pool& SharedPool() {
  static Pool pool(std::clamp<size_t>(2 * std::thread::hardware_concurrency(), 4, 32));
  return pool;
}

// One ParallelFor call. Shared with the helpers: one may start after the call has returned, find
// nothing left and leave without touching `fn`.
struct Batch {
  size_t n = 0;
  const std::function<void(size_t)>* fn = nullptr;
  std::atomic<size_t> next{0};
  std::mutex mu;
  std::condition_variable done_cv;
  size_t done = 0;  // guarded by mu

  void Drain() {
    size_t ran = 0;
    for (size_t i = next++; i < n; i = next++) {
      (*fn)(i);
      ++ran;
    }
    if (ran > 0) {
      std::lock_guard<std::mutex> lock(mu);
      done += ran;
      if (done == n) {
        done_cv.notify_all();
      }
    }
  }
};

}  // namespace

void ParallelFor(size_t n, size_t width, const std::function<void(size_t)>& fn) {
  if (n == 0) {
    return;
  }
  size_t helpers = std::min(n, std::max<size_t>(width, 1)) - 1;
  if (helpers == 0) {
    for (size_t i = 0; i < n; ++i) {
      fn(i);
    }
    return;
  }
  auto batch = std::make_shared<Batch>();
  batch->n = n;
  batch->fn = &fn;
  for (size_t h = 0; h < helpers; ++h) {
    SharedPool().Post([batch] { batch->Drain(); });
  }
  batch->Drain();
  std::unique_lock<std::mutex> lock(batch->mu);
  batch->done_cv.wait(lock, [&] { return batch->done == n; });
}

}  // namespace cellar::profiles
