// src/profiles/worker_pool_test.cc: ParallelFor runs every index once, concurrently up to width.
#include "profiles/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace cellar::profiles {
namespace {

TEST(ParallelFor, RunsEveryIndexExactlyOnce) {
  for (size_t width : {1, 2, 16}) {
    std::vector<std::atomic<int>> hits(100);
    ParallelFor(hits.size(), width, [&](size_t i) { ++hits[i]; });
    for (size_t i = 0; i < hits.size(); ++i) {
      EXPECT_EQ(hits[i].load(), 1) << "index " << i << " width " << width;
    }
  }
}

TEST(ParallelFor, RunsUpToWidthAtOnce) {
  // Three calls that each wait for the other two: they only finish if they overlap.
  std::mutex mu;
  std::condition_variable cv;
  int arrived = 0;
  std::atomic<int> met{0};
  ParallelFor(3, 3, [&](size_t) {
    std::unique_lock<std::mutex> lock(mu);
    ++arrived;
    cv.notify_all();
    if (cv.wait_for(lock, std::chrono::seconds(5), [&] { return arrived == 3; })) {
      ++met;
    }
  });
  EXPECT_EQ(met.load(), 3);
}

TEST(ParallelFor, NestedCallsFinishEvenWhenThePoolIsBusy) {
  std::atomic<int> leaves{0};
  ParallelFor(64, 64, [&](size_t) { ParallelFor(4, 4, [&](size_t) { ++leaves; }); });
  EXPECT_EQ(leaves.load(), 256);
}

TEST(ParallelFor, NothingToDo) {
  ParallelFor(0, 4, [](size_t) { FAIL(); });
}

}  // namespace
}  // namespace cellar::profiles
