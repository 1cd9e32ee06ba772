// src/cli/server_command.h: `cellar server`: storage, core and listener, until SIGINT/SIGTERM.
#pragma once

#include <string>

#include "cli/server_config.h"

namespace cellar::cli {

struct DevOptions {
  bool enabled = false;
  std::string root_token_id;  // random when empty
  std::string listen_address = "127.0.0.1:8200";
  std::string storage;  // "" (memory) or "sqlite:PATH"
};

// Blocks SIGINT and SIGTERM in the calling thread (so every thread started later inherits the
// mask and the signals wait for sigwait). Call first thing in main.
void BlockShutdownSignals();

// Runs the server and returns the process exit code: 0 after a clean shutdown, 1 when start-up
// fails (the reason is printed). With `dev.enabled` the config's storage and listener are
// replaced by the dev settings, the core is initialised and unsealed and the root token printed.
int RunServer(ServerConfig config, const DevOptions& dev);

}  // namespace cellar::cli
