// src/engines/database/postgres_client.h: runs the engine's statements on a PostgreSQL server.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace cellar::engines::database {

// Connects and runs `SELECT 1`. kUnavailable (with libpq's reason, never the password) when the
// server cannot be reached or refuses the login.
Status VerifyConnection(const std::string& conninfo);

// Runs `statements` in one transaction: all of them or none. kUnavailable when the server
// cannot be reached; kInvalidArgument naming the statement's position and PostgreSQL's error
// when one fails (statements are the operator's SQL).
Status RunInTransaction(const std::string& conninfo, const std::vector<std::string>& statements);

}  // namespace cellar::engines::database
