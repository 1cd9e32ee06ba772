// src/engines/kv/kv_test_util.h: a KV mount on MemoryStorage with a fake clock, and a step table
// runner so engine tests read as request/response scripts.
#pragma once

#include <boost/json/value.hpp>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "framework/backend.h"
#include "storage/memory_storage.h"

namespace cellar::engines::kv {

class FakeSystemView : public framework::SystemView {
 public:
  framework::Seconds DefaultLeaseTtl() const override { return framework::Seconds(768 * 3600); }
  framework::Seconds MaxLeaseTtl() const override { return framework::Seconds(768 * 3600); }
  const Clock& clock() const override { return clock_; }
  FakeClock& fake_clock() { return clock_; }

 private:
  FakeClock clock_;
};

// What a step expects back.
struct Step {
  framework::Operation op;
  std::string path;
  std::string body = "{}";
  StatusCode code = StatusCode::kOk;
  // Ok steps: "*" = anything, "" = empty response (204/404), else JSON that `data` must contain
  // (objects compared as subsets, everything else exactly). Error steps: a substring of the
  // message.
  std::string want = "*";
  int http_status = 0;
};

class KvHarness {
 public:
  explicit KvHarness(std::string version);

  StatusOr<framework::Response> Call(framework::Operation op, std::string path,
                                     std::string_view body = "{}");
  StatusOr<bool> Exists(std::string path);
  // Runs the steps in order; returns a description of the first mismatch, or "".
  std::string Run(const std::vector<Step>& steps);

  storage::MemoryStorage& storage() { return storage_; }
  FakeClock& clock() { return system_.fake_clock(); }

 private:
  storage::MemoryStorage storage_;
  FakeSystemView system_;
  std::unique_ptr<framework::Backend> backend_;
};

// Whether every key of `want` is in `got` with a matching value (recursively for objects).
bool JsonContains(const boost::json::value& got, const boost::json::value& want);

}  // namespace cellar::engines::kv
