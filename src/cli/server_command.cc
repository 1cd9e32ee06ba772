// src/cli/server_command.cc: wires storage, core, built-ins and the HTTP listener together.
#include "cli/server_command.h"

#include <fcntl.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "builtins/builtins.h"
#include "core/core.h"
#include "http/server.h"
#include "profiles/backend.h"
#include "storage/memory_storage.h"
#include "storage/postgres_ha_lock.h"
#include "storage/postgres_storage.h"
#include "storage/sqlite_storage.h"

namespace cellar::cli {
namespace {

sigset_t ShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

// The dev key file beside a dev SQLite file: the unseal key, then the root token (0600).
struct DevKey {
  std::string unseal_key;
  std::string root_token;
};

std::optional<DevKey> ReadDevKey(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return std::nullopt;
  }
  DevKey key;
  std::getline(in, key.unseal_key);
  std::getline(in, key.root_token);
  if (key.unseal_key.empty()) {
    return std::nullopt;
  }
  return key;
}

Status WriteDevKey(const std::string& path, const DevKey& key) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) {
    return UnavailableError("cannot write " + path);
  }
  ::fchmod(fd, 0600);
  std::string text = key.unseal_key + "\n" + key.root_token + "\n";
  ssize_t n = ::write(fd, text.data(), text.size());
  ::close(fd);
  return n == static_cast<ssize_t>(text.size()) ? OkStatus() : UnavailableError("short write");
}

int Fail(const std::string& message) {
  std::cerr << "Error: " << message << std::endl;
  return 1;
}

}  // namespace

void BlockShutdownSignals() {
  sigset_t set = ShutdownSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int RunServer(ServerConfig config, const DevOptions& dev) {
  if (dev.enabled) {
    config.listener.address = dev.listen_address;
    config.listener.tls_cert_file.clear();
    config.listener.tls_key_file.clear();
    if (dev.storage.empty()) {
      config.storage_type = "inmem";
    } else if (dev.storage.rfind("sqlite:", 0) == 0 && dev.storage.size() > 7) {
      config.storage_type = "sqlite";
      config.storage_path = dev.storage.substr(7);
    } else {
      return Fail("-dev-storage must be sqlite:PATH");
    }
  }

  std::unique_ptr<storage::Storage> store;
  std::unique_ptr<storage::HaLock> ha_lock;  // declared after store: released before it closes
  if (config.storage_type == "sqlite") {
    auto opened = storage::SqliteStorage::Open(config.storage_path);
    if (!opened.ok()) {
      return Fail("cannot open storage " + config.storage_path + ": " + opened.status().message());
    }
    store = std::move(opened).value();
  } else if (config.storage_type == "postgresql") {
    auto opened = storage::PostgresStorage::Open(
        config.postgres.connection_url,
        {.table = config.postgres.table,
         .max_idle_connections = config.postgres.max_idle_connections});
    if (!opened.ok()) {
      // libpq's message names host and port but never the password.
      return Fail("cannot open PostgreSQL storage: " + opened.status().message());
    }
    store = std::move(opened).value();
    if (config.postgres.ha_enabled) {
      auto lock =
          storage::PostgresHaLock::Open(config.postgres.connection_url, config.postgres.table);
      if (!lock.ok()) {
        return Fail("cannot open the PostgreSQL HA lock: " + lock.status().message());
      }
      ha_lock = std::move(lock).value();
    }
  } else {
    store = std::make_unique<storage::MemoryStorage>();
  }

  core::CoreOptions options;
  options.storage = store.get();
  options.ha_lock = ha_lock.get();
  options.api_addr = config.api_addr;
  options.builtins = builtins::Registry();
  options.default_lease_ttl = config.default_lease_ttl;
  options.max_lease_ttl = config.max_lease_ttl;
  options.cluster_name = config.cluster_name;
  options.profiles_backend =
      [](framework::RequestHandler& h) -> StatusOr<std::unique_ptr<framework::Backend>> {
    auto backend = profiles::ProfilesBackend::Create(h);
    if (!backend.ok()) {
      return backend.status();
    }
    return std::unique_ptr<framework::Backend>(std::move(backend).value());
  };
  auto created = core::Core::Create(std::move(options));
  if (!created.ok()) {
    return Fail("cannot create core: " + created.status().message());
  }
  std::unique_ptr<core::Core> core = std::move(created).value();

  DevKey dev_key;
  if (dev.enabled) {
    auto initialized = core->IsInitialized();
    if (!initialized.ok()) {
      return Fail("cannot read storage: " + initialized.status().message());
    }
    std::string key_path = config.storage_path + ".dev-key";
    if (*initialized) {
      // A dev SQLite file from an earlier run: unseal with the key kept beside it.
      std::optional<DevKey> saved = ReadDevKey(key_path);
      if (!saved) {
        return Fail("storage is initialised but " + key_path + " is missing");
      }
      if (Status s = core->UnsealWithKey(saved->unseal_key); !s.ok()) {
        return Fail("cannot unseal with " + key_path + ": " + s.message());
      }
      dev_key = *saved;
    } else {
      auto result = core->InitializeDev(dev.root_token_id);
      if (!result.ok()) {
        return Fail("cannot initialise dev mode: " + result.status().message());
      }
      dev_key = {result->unseal_key_base64, result->root_token};
      if (config.storage_type == "sqlite") {
        if (Status s = WriteDevKey(key_path, dev_key); !s.ok()) {
          return Fail(s.message());
        }
      }
    }
  }

  auto started = http::Server::Start(config.listener, *core);
  if (!started.ok()) {
    return Fail(started.status().message());
  }
  std::unique_ptr<http::Server> server = std::move(started).value();
  std::string scheme = server->tls() ? "https" : "http";
  std::string api = scheme + "://" + server->host() + ":" + std::to_string(server->port());

  std::cout << "==> Cellar server started! Log data will stream in below:\n\n";
  std::cout << "Api Address: " << api << "\n";
  std::cout << "Storage: " << store->Type() << "\n";
  if (dev.enabled) {
    std::cout << "Unseal Key: " << dev_key.unseal_key << "\n";
    std::cout << "Root Token: " << dev_key.root_token << "\n\n";
    std::cout << "WARNING! dev mode is enabled: the server is unsealed, listens without TLS"
                 " and (without -dev-storage) keeps everything in memory.\n";
  }
  std::cout << std::flush;
  spdlog::info("listening on {}", api);

  sigset_t set = ShutdownSignals();
  int signal_number = 0;
  sigwait(&set, &signal_number);
  spdlog::info("received {}, shutting down", signal_number == SIGINT ? "SIGINT" : "SIGTERM");
  server->Shutdown();  // in-flight requests finish first
  server.reset();
  core.reset();
  if (Status s = store->Close(); !s.ok()) {
    spdlog::error("closing storage: {}", s.message());
    return 1;
  }
  spdlog::info("stopped");
  return 0;
}

}  // namespace cellar::cli
