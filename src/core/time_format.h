// src/core/time_format.h: timestamps as Vault prints them (Go's RFC3339Nano, UTC).
#pragma once

#include <string>

#include "base/clock.h"
#include "base/status_or.h"

namespace cellar::core {

// "2026-12-01T02:19:13.123456789Z"; trailing zeros of the fraction dropped, as Go does.
std::string FormatRfc3339Nano(TimePoint t);

// Nanoseconds since the epoch, for persisting a TimePoint exactly.
int64_t ToUnixNanos(TimePoint t);
TimePoint FromUnixNanos(int64_t nanos);

}  // namespace cellar::core
