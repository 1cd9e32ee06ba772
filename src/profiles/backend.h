// src/profiles/backend.h: the sys/profiles/* and sys/workflows/* endpoints as a path-table backend.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "framework/path_backend.h"
#include "framework/request_handler.h"
#include "profiles/executor.h"
#include "profiles/profile.h"

namespace cellar::profiles {

// Serves, with request paths relative to "sys/" (so "profiles/modify/web"):
//   profiles/modify/:name  PUT/POST {profile|workflow, description} · GET · DELETE;  LIST modify
//   profiles/execute/:name POST (body = input, or {"input": {...}})
//   profiles/plan/:name    POST   profiles/debug/:name POST (the ACL demands sudo)
//   workflows/manage|execute|trace/:name: OpenBao's names for modify|execute|debug.
// Profiles are stored as JSON under "profile/<name>" in request.storage (the view core gives this
// backend) and re-validated when loaded; compiled profiles are cached per name and version.
// Sub-requests go through `handler` (the Core) with the caller's token. Thread-safe.
class ProfilesBackend : public framework::PathBackend {
 public:
  // `handler` must outlive the backend.
  static StatusOr<std::unique_ptr<ProfilesBackend>> Create(framework::RequestHandler& handler);

 private:
  explicit ProfilesBackend(framework::RequestHandler& handler);

  StatusOr<framework::Response> List(framework::Request& req, const framework::FieldData& d);
  StatusOr<framework::Response> Read(framework::Request& req, const framework::FieldData& d);
  StatusOr<framework::Response> Write(framework::Request& req, const framework::FieldData& d);
  StatusOr<framework::Response> Delete(framework::Request& req, const framework::FieldData& d);
  StatusOr<framework::Response> Execute(framework::Request& req, const framework::FieldData& d);
  StatusOr<framework::Response> Plan(framework::Request& req, const framework::FieldData& d);
  StatusOr<framework::Response> Debug(framework::Request& req, const framework::FieldData& d);

  struct Stored {
    std::string text;
    std::string description;
    int64_t version = 0;
    std::shared_ptr<const Profile> profile;
  };
  StatusOr<Stored> Load(framework::Request& req, const std::string& name);
  boost::json::object InputBody(const framework::Request& req, const Profile& profile) const;
  ExecutionOptions OptionsFor(const framework::Request& req, const std::string& name) const;

  Executor executor_;
  std::mutex mu_;
  std::map<std::string, Stored> cache_;  // GUARDED_BY(mu_); key: namespace + name
};

}  // namespace cellar::profiles
