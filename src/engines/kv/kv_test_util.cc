// src/engines/kv/kv_test_util.cc: the KV test harness and step runner.
#include "engines/kv/kv_test_util.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdlib>

#include "engines/kv/kv.h"

namespace cellar::engines::kv {

namespace json = boost::json;

KvHarness::KvHarness(std::string version) {
  framework::BackendConfig config;
  config.mount_point = "secret/";
  config.type = "kv";
  config.options["version"] = std::move(version);
  config.storage = &storage_;
  config.system = &system_;
  auto backend = Factory(config);
  if (!backend.ok()) {
    std::abort();  // a broken harness would make every test meaningless
  }
  backend_ = std::move(backend).value();
}

StatusOr<framework::Response> KvHarness::Call(framework::Operation op, std::string path,
                                              std::string_view body) {
  framework::Request req;
  req.operation = op;
  req.path = std::move(path);
  req.mount_point = "secret/";
  req.data = json::parse(body).as_object();
  req.storage = &storage_;
  req.system = &system_;
  return backend_->HandleRequest(req);
}

StatusOr<bool> KvHarness::Exists(std::string path) {
  framework::Request req;
  req.operation = framework::Operation::kUpdate;
  req.path = std::move(path);
  req.storage = &storage_;
  req.system = &system_;
  return backend_->Exists(req);
}

bool JsonContains(const json::value& got, const json::value& want) {
  if (want.is_object()) {
    if (!got.is_object()) {
      return false;
    }
    for (const auto& [k, v] : want.get_object()) {
      const json::value* g = got.get_object().if_contains(k);
      if (g == nullptr || !JsonContains(*g, v)) {
        return false;
      }
    }
    return true;
  }
  return got == want;
}

std::string KvHarness::Run(const std::vector<Step>& steps) {
  for (size_t i = 0; i < steps.size(); ++i) {
    const Step& s = steps[i];
    std::string where = "step " + std::to_string(i) + " (" +
                        std::string(framework::OperationName(s.op)) + " " + s.path + "): ";
    auto resp = Call(s.op, s.path, s.body);
    if (resp.status().code() != s.code) {
      return where + "got " + resp.status().ToString();
    }
    if (!resp.ok()) {
      if (resp.status().message().find(s.want) == std::string::npos) {
        return where + "message " + resp.status().message();
      }
      continue;
    }
    if (s.want == "*") {
      continue;
    }
    if (resp->http_status != s.http_status) {
      return where + "http_status " + std::to_string(resp->http_status);
    }
    if (s.want.empty()) {
      if (!resp->Empty()) {
        return where + "expected empty response, got " +
               (resp->data ? json::serialize(*resp->data) : std::string("non-data"));
      }
      continue;
    }
    if (!resp->data) {
      return where + "expected data, got none";
    }
    if (!JsonContains(*resp->data, json::parse(s.want))) {
      return where + "data " + json::serialize(*resp->data) + " lacks " + s.want;
    }
  }
  return "";
}

}  // namespace cellar::engines::kv
