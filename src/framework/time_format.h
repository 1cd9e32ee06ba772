// src/framework/time_format.h: timestamps as Vault prints them (Go's RFC3339Nano, UTC).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/clock.h"

namespace cellar::framework {

// "2023-11-14T22:13:20.123456789Z"; trailing zeros of the fraction are dropped, and the fraction
// entirely when zero ("2023-11-14T22:13:20Z"), as Go's time.RFC3339Nano does.
std::string FormatRfc3339Nano(TimePoint t);
// The same into `buf`, returning the length: for callers that copy the text into a JSON string
// anyway (a KV read formats its version's timestamps), without a std::string in between.
inline constexpr size_t kRfc3339NanoMax = 32;
size_t FormatRfc3339Nano(TimePoint t, char (&buf)[kRfc3339NanoMax]);

// Nanoseconds since the Unix epoch: how backends store instants compactly.
int64_t ToUnixNanos(TimePoint t);
TimePoint FromUnixNanos(int64_t nanos);

}  // namespace cellar::framework
