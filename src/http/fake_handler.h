// src/http/fake_handler.h: a RequestHandler for tests that records requests and replays answers.
#pragma once

#include <functional>
#include <mutex>
#include <vector>

#include "framework/request_handler.h"

namespace cellar::http {

class FakeHandler : public framework::RequestHandler {
 public:
  using Fn = std::function<StatusOr<framework::Response>(framework::Request&)>;
  explicit FakeHandler(Fn fn) : fn_(std::move(fn)) {}

  StatusOr<framework::Response> HandleRequest(framework::Request& request) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      seen_.push_back(request);
    }
    return fn_(request);
  }

  std::vector<framework::Request> seen() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }

 private:
  Fn fn_;
  std::mutex mu_;
  std::vector<framework::Request> seen_;
};

}  // namespace cellar::http
