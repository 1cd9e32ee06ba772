// src/framework/time_format.h: timestamps as Vault prints them (Go's RFC3339Nano, UTC).
#pragma once

#include <cstdint>
#include <string>

#include "base/clock.h"

namespace cellar::framework {

// "2023-11-14T22:13:20.123456789Z"; trailing zeros of the fraction are dropped, and the fraction
// entirely when zero ("2023-11-14T22:13:20Z"), as Go's time.RFC3339Nano does.
std::string FormatRfc3339Nano(TimePoint t);

// Nanoseconds since the Unix epoch: how backends store instants compactly.
int64_t ToUnixNanos(TimePoint t);
TimePoint FromUnixNanos(int64_t nanos);

}  // namespace cellar::framework
