// src/framework/path.h: one entry of a backend's path table (pattern, fields, handlers).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "base/status_or.h"
#include "framework/field_data.h"
#include "framework/logical.h"

namespace cellar::framework {

using OperationHandler = std::function<StatusOr<Response>(Request&, const FieldData&)>;

// Answers whether a POST/PUT target already exists (true: the ACL needs `update`, else `create`).
using ExistenceCheck = std::function<StatusOr<bool>(Request&, const FieldData&)>;

// A pattern and what it accepts. `pattern` is an RE2 regex matched against the whole path relative
// to the mount (no ^/$ needed); named groups `(?P<name>...)` become fields and must be declared in
// `fields` (typically kString). Example:
//
//   {.pattern = R"(users/(?P<username>\w[\w.@-]*))",
//    .fields = {{"username", FieldType::kLowerCaseString, "User name."},
//               {"password", FieldType::kString, "Password."}},
//    .operations = {{Operation::kRead, Bind(this, &Userpass::ReadUser)},
//                   {Operation::kUpdate, Bind(this, &Userpass::WriteUser)}},
//    .existence_check = Bind(this, &Userpass::UserExists)}
struct Path {
  std::string pattern;
  std::vector<FieldSchema> fields;
  std::map<Operation, OperationHandler> operations;
  ExistenceCheck existence_check;  // empty: writes are always updates
  // The body is free-form (KV v1 secrets): no "unrecognized parameters" warning.
  bool takes_arbitrary_input = false;
  std::string help;
};

// Binds a member function as a handler or existence check:
// `Bind(this, &KvBackend::ReadData)` for `StatusOr<Response> ReadData(Request&, const FieldData&)`.
template <typename T, typename R>
std::function<R(Request&, const FieldData&)> Bind(T* self, R (T::*fn)(Request&, const FieldData&)) {
  return [self, fn](Request& req, const FieldData& data) { return (self->*fn)(req, data); };
}
template <typename T, typename R>
std::function<R(Request&, const FieldData&)> Bind(const T* self,
                                                  R (T::*fn)(Request&, const FieldData&) const) {
  return [self, fn](Request& req, const FieldData& data) { return (self->*fn)(req, data); };
}

// Appends a shared group of paths (CEL paths, token paths) to a backend's table. Shared groups are
// functions returning std::vector<Path>; e.g. a later `CelPaths(options)` is used as
// `AppendPaths(paths, CelPaths({.result_type = "cellar.v1.Auth"}))`.
inline void AppendPaths(std::vector<Path>& paths, std::vector<Path> group) {
  for (Path& p : group) {
    paths.push_back(std::move(p));
  }
}

// Appends shared fields (token_* fields, see token_fields.h) to one path's field list.
inline void AppendFields(std::vector<FieldSchema>& fields, std::vector<FieldSchema> group) {
  for (FieldSchema& f : group) {
    fields.push_back(std::move(f));
  }
}

}  // namespace cellar::framework
