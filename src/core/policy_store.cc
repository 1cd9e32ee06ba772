// src/core/policy_store.cc: stores policies as {"name","policy"} JSON and caches their parse.
#include "core/policy_store.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "base/status_macros.h"
#include "storage/storage.h"

namespace cellar::core {
namespace {

constexpr std::string_view kPrefix = "acl/";

std::string Key(std::string_view name) { return std::string(kPrefix) + std::string(name); }

}  // namespace

PolicyStore::PolicyStore(storage::Storage& view) : view_(view) {}

StatusOr<std::shared_ptr<const Policy>> PolicyStore::Get(std::string_view raw_name) {
  CELLAR_ASSIGN_OR_RETURN(std::string name, NormalizePolicyName(raw_name));
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = cache_.find(name); it != cache_.end()) {
      return it->second;
    }
  }
  uint64_t generation_before = generation();
  auto policy = std::make_shared<Policy>();
  if (name == kRootPolicy) {
    policy->name = name;
  } else {
    CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> stored, view_.Get(Key(name)));
    std::string text;
    if (stored) {
      boost::system::error_code ec;
      boost::json::value v = boost::json::parse(*stored, ec);
      if (ec || !v.is_object() || !v.as_object().contains("policy") ||
          !v.as_object().at("policy").is_string()) {
        return InternalError("stored policy \"" + name + "\" is corrupt");
      }
      text = std::string(v.as_object().at("policy").as_string());
    } else if (name == kDefaultPolicy) {
      text = std::string(DefaultPolicyText());
    } else {
      return NotFoundError("no policy named \"" + name + "\"");
    }
    StatusOr<Policy> parsed = ParsePolicy(name, text);
    if (!parsed.ok()) {
      return InternalError("stored policy \"" + name +
                           "\" no longer parses: " + parsed.status().message());
    }
    *policy = std::move(parsed).value();
  }
  std::lock_guard<std::mutex> lock(mutex_);
  // A change that raced with this read must not leave the old text cached.
  if (generation() == generation_before) {
    cache_[name] = policy;
  }
  return std::shared_ptr<const Policy>(std::move(policy));
}

StatusOr<std::vector<std::string>> PolicyStore::Set(std::string_view raw_name,
                                                    std::string_view text) {
  CELLAR_ASSIGN_OR_RETURN(std::string name, NormalizePolicyName(raw_name));
  if (name == kRootPolicy) {
    return InvalidArgumentError("cannot update the root policy");
  }
  std::vector<std::string> warnings;
  CELLAR_ASSIGN_OR_RETURN(Policy policy, ParsePolicy(name, text, &warnings));
  boost::json::object stored{{"name", name}, {"policy", policy.text}};
  CELLAR_RETURN_IF_ERROR(view_.Put(Key(name), boost::json::serialize(stored)));
  Changed(name);
  return warnings;
}

Status PolicyStore::Delete(std::string_view raw_name) {
  CELLAR_ASSIGN_OR_RETURN(std::string name, NormalizePolicyName(raw_name));
  if (name == kRootPolicy) {
    return InvalidArgumentError("cannot delete the root policy");
  }
  if (name == kDefaultPolicy) {
    return InvalidArgumentError("cannot delete the default policy");
  }
  CELLAR_RETURN_IF_ERROR(view_.Delete(Key(name)));
  Changed(name);
  return OkStatus();
}

StatusOr<std::vector<std::string>> PolicyStore::List() {
  CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> keys, view_.List(kPrefix));
  std::vector<std::string> out;
  for (std::string& key : keys) {
    if (!key.empty() && key.back() != '/') {
      out.push_back(std::move(key));
    }
  }
  for (std::string_view builtin : {kDefaultPolicy, kRootPolicy}) {
    if (std::find(out.begin(), out.end(), builtin) == out.end()) {
      out.emplace_back(builtin);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

void PolicyStore::Invalidate() { Changed(""); }

void PolicyStore::OnChange(std::function<void(const std::string&)> listener) {
  std::lock_guard<std::mutex> lock(mutex_);
  listeners_.push_back(std::move(listener));
}

void PolicyStore::Changed(const std::string& name) {
  std::vector<std::function<void(const std::string&)>> listeners;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    generation_.fetch_add(1, std::memory_order_acq_rel);
    if (name.empty()) {
      cache_.clear();
    } else {
      cache_.erase(name);
    }
    listeners = listeners_;
  }
  for (const auto& listener : listeners) {
    listener(name);
  }
}

}  // namespace cellar::core
