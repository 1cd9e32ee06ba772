// src/base/duration.h: Vault-style durations ("1h30m", "90s", "2d", 3600) to and from seconds.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status_or.h"

namespace cellar {

using Seconds = std::chrono::seconds;

// Parses "", "0", "3600", "90s", "1h30m", "1.5h", "2d", "500ms" (rounded down to whole seconds).
// Units: ns us µs ms s m h d. A bare number is seconds. Negative or malformed: InvalidArgument.
StatusOr<Seconds> ParseDuration(std::string_view text);

// "1h30m0s" style, as Go's time.Duration prints (used where Vault echoes durations as strings).
std::string FormatDuration(Seconds d);

}  // namespace cellar
