// src/core/audit_broker.cc: the audit table (load, enable, disable, persist) and entry fan-out.
#include "core/audit_broker.h"

#include <spdlog/spdlog.h>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

#include "base/status_macros.h"
#include "core/audit_hooks.h"
#include "crypto/encoding.h"
#include "crypto/random.h"
#include "storage/storage.h"

namespace cellar::core {
namespace {

namespace json = boost::json;

constexpr size_t kHmacKeySize = 32;

json::object EntryToJson(const AuditDeviceEntry& e) {
  json::object options;
  for (const auto& [k, v] : e.options) {
    options[k] = v;
  }
  return {{"path", e.path},     {"type", e.type},   {"description", e.description},
          {"options", options}, {"local", e.local}, {"hmac_key", crypto::HexEncode(e.hmac_key)}};
}

StatusOr<AuditDeviceEntry> EntryFromJson(const json::value& v) {
  const json::object* o = v.if_object();
  if (o == nullptr) {
    return InternalError("audit table: a row is not an object");
  }
  auto str = [o](std::string_view key) -> std::string {
    const json::value* f = o->if_contains(key);
    return f != nullptr && f->is_string() ? std::string(f->get_string()) : std::string();
  };
  AuditDeviceEntry e;
  e.path = str("path");
  e.type = str("type");
  e.description = str("description");
  if (const json::value* f = o->if_contains("local"); f != nullptr && f->is_bool()) {
    e.local = f->get_bool();
  }
  if (const json::value* f = o->if_contains("options"); f != nullptr && f->is_object()) {
    for (const auto& [k, item] : f->get_object()) {
      if (item.is_string()) {
        e.options[std::string(k)] = std::string(item.get_string());
      }
    }
  }
  CELLAR_ASSIGN_OR_RETURN(e.hmac_key, crypto::HexDecode(str("hmac_key")));
  if (e.path.empty() || e.hmac_key.size() != kHmacKeySize) {
    return InternalError("audit table: a row lacks its path or key");
  }
  return e;
}

}  // namespace

std::shared_ptr<AuditBroker> NewAuditBroker(const Clock& clock) {
  return std::make_shared<AuditBroker>(clock);
}

const std::atomic<bool>& AuditActiveFlag(const AuditBroker& broker) { return broker.active_; }

StatusOr<std::string> NormalizeAuditPath(std::string_view path) {
  std::string out(path);
  while (!out.empty() && out.front() == '/') {
    out.erase(0, 1);
  }
  while (!out.empty() && out.back() == '/') {
    out.pop_back();
  }
  if (out.empty()) {
    return InvalidArgumentError("an audit device needs a path");
  }
  return out + "/";
}

Status AuditBroker::Load(storage::Storage* barrier) {
  std::lock_guard<std::mutex> lock(mutex_);
  barrier_ = barrier;
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> raw, barrier->Get(kAuditTableKey));
  auto devices = std::make_shared<Devices>();
  if (raw) {
    boost::system::error_code ec;
    json::value table = json::parse(*raw, ec);
    if (ec || !table.is_array()) {
      return InternalError("audit table is not a JSON array");
    }
    for (const json::value& row : table.get_array()) {
      CELLAR_ASSIGN_OR_RETURN(AuditDeviceEntry entry, EntryFromJson(row));
      std::string path = entry.path;
      StatusOr<std::unique_ptr<AuditDevice>> device = AuditDevice::Open(std::move(entry));
      if (!device.ok()) {
        return InternalError("audit device " + path + ": " + device.status().message());
      }
      (*devices)[path] = std::move(device).value();
    }
  }
  Publish(std::move(devices));
  return OkStatus();
}

void AuditBroker::Clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  barrier_ = nullptr;
  Publish(std::make_shared<const Devices>());
}

Status AuditBroker::Enable(AuditEnableRequest request) {
  CELLAR_ASSIGN_OR_RETURN(std::string path, NormalizeAuditPath(request.path));
  std::lock_guard<std::mutex> lock(mutex_);
  if (barrier_ == nullptr) {
    return FailedPreconditionError("audit devices are not loaded");
  }
  std::shared_ptr<const Devices> current = devices_.load();
  if (current->contains(path)) {
    return InvalidArgumentError("path already in use");
  }
  AuditDeviceEntry entry;
  entry.path = path;
  entry.type = std::move(request.type);
  entry.description = std::move(request.description);
  entry.options = std::move(request.options);
  entry.local = request.local;
  entry.hmac_key = crypto::RandomBytes(kHmacKeySize);
  CELLAR_ASSIGN_OR_RETURN(std::unique_ptr<AuditDevice> device, AuditDevice::Open(std::move(entry)));
  auto next = std::make_shared<Devices>(*current);
  (*next)[path] = std::move(device);
  CELLAR_RETURN_IF_ERROR(Persist(*next));
  Publish(std::move(next));
  return OkStatus();
}

Status AuditBroker::Disable(std::string_view raw_path) {
  CELLAR_ASSIGN_OR_RETURN(std::string path, NormalizeAuditPath(raw_path));
  std::lock_guard<std::mutex> lock(mutex_);
  std::shared_ptr<const Devices> current = devices_.load();
  if (barrier_ == nullptr || !current->contains(path)) {
    return OkStatus();
  }
  auto next = std::make_shared<Devices>(*current);
  next->erase(path);
  CELLAR_RETURN_IF_ERROR(Persist(*next));
  Publish(std::move(next));
  return OkStatus();
}

std::vector<AuditDeviceEntry> AuditBroker::List() const {
  std::vector<AuditDeviceEntry> out;
  for (const auto& [path, device] : *devices_.load()) {
    out.push_back(device->entry());
  }
  return out;
}

StatusOr<std::string> AuditBroker::Hash(std::string_view path, std::string_view input) const {
  CELLAR_ASSIGN_OR_RETURN(std::string normalized, NormalizeAuditPath(path));
  std::shared_ptr<const Devices> devices = devices_.load();
  auto it = devices->find(normalized);
  if (it == devices->end()) {
    return InvalidArgumentError("unknown audit backend " + normalized);
  }
  return AuditHash(it->second->entry().hmac_key, input);
}

Status AuditBroker::Log(AuditEntryType type, const AuditRecord& record,
                        const framework::Response* response, const Status& error) const {
  std::shared_ptr<const Devices> devices = devices_.load();
  if (devices->empty()) {
    return OkStatus();
  }
  TimePoint now = clock_.Now();
  size_t recorded = 0;
  for (const auto& [path, device] : *devices) {
    std::string line = FormatAuditEntry(type, record, response, error, now, device->format());
    Status written = device->Write(line);
    if (written.ok()) {
      ++recorded;
    } else {
      spdlog::error("audit: {}", written.message());
    }
  }
  if (recorded == 0) {
    return InternalError("no audit device could record the request");
  }
  return OkStatus();
}

Status AuditBroker::Persist(const Devices& devices) {
  json::array table;
  for (const auto& [path, device] : devices) {
    table.push_back(EntryToJson(device->entry()));
  }
  return barrier_->Put(kAuditTableKey, json::serialize(table));
}

void AuditBroker::Publish(std::shared_ptr<const Devices> devices) {
  bool any = !devices->empty();
  devices_.store(std::move(devices));
  active_.store(any, std::memory_order_relaxed);
}

}  // namespace cellar::core
