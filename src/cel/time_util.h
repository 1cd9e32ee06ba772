// src/cel/time_util.h: RFC 3339 timestamps and Go-style durations as CEL reads and prints them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cel/value.h"

namespace cellar::cel {

inline constexpr int64_t kMinTimestampSeconds = -62135596800;  // 0001-01-01T00:00:00Z
inline constexpr int64_t kMaxTimestampSeconds = 253402300799;  // 9999-12-31T23:59:59Z
inline constexpr int64_t kMaxDurationSeconds = 315576000000;   // google.protobuf.Duration

// A timestamp value, or a "range" error value when outside years 1..9999.
Value MakeTimestamp(int64_t seconds, int64_t nanos);
// A duration value (nanos normalised to the sign of seconds), or a "range" error value.
Value MakeDuration(int64_t seconds, int64_t nanos);

// "2009-02-13T23:31:30.5Z" / "...+01:00"; an error value when malformed or out of range.
Value ParseTimestamp(std::string_view text);
// RFC 3339 in UTC with the fraction trimmed: "2009-02-13T23:31:30.5Z".
std::string FormatTimestamp(const Value& ts);
// Go duration syntax: "1h30m", "-1.5s", "100ms", "2us", "1ns"; an error value when malformed.
Value ParseDuration(std::string_view text);
// Seconds with a trimmed fraction: "3600s", "1.5s", "-0.000000001s".
std::string FormatDuration(const Value& d);

}  // namespace cellar::cel
