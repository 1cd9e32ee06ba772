// src/framework/time_format.cc: RFC3339Nano formatting without locale or time zone lookups.
#include "framework/time_format.h"

#include <algorithm>
#include <chrono>

namespace cellar::framework {

int64_t ToUnixNanos(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

TimePoint FromUnixNanos(int64_t nanos) {
  return TimePoint(
      std::chrono::duration_cast<TimePoint::duration>(std::chrono::nanoseconds(nanos)));
}

namespace {

// Writes `value` as exactly `width` decimal digits ending just before `end`.
void PutDigits(char* end, int64_t value, int width) {
  for (int i = 0; i < width; ++i) {
    *--end = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

}  // namespace

std::string FormatRfc3339Nano(TimePoint t) {
  char buf[kRfc3339NanoMax];
  return std::string(buf, FormatRfc3339Nano(t, buf));
}

size_t FormatRfc3339Nano(TimePoint t, char (&buf)[kRfc3339NanoMax]) {
  int64_t nanos = ToUnixNanos(t);
  // Floor division so instants before 1970 still land on the right day and second.
  int64_t secs = nanos / 1'000'000'000;
  int64_t frac = nanos % 1'000'000'000;
  if (frac < 0) {
    frac += 1'000'000'000;
    --secs;
  }
  std::chrono::sys_days day{
      std::chrono::floor<std::chrono::days>(std::chrono::sys_seconds(std::chrono::seconds(secs)))};
  std::chrono::year_month_day ymd{day};
  int64_t in_day = secs - std::chrono::sys_seconds(day).time_since_epoch().count();
  // Digits written by hand: this runs for every timestamp in a KV read, and snprintf cost more
  // than the rest of the read. int64 nanoseconds span the years 1677-2262, always four digits.
  std::copy_n("0000-00-00T00:00:00", 19, buf);
  PutDigits(buf + 4, int(ymd.year()), 4);
  PutDigits(buf + 7, unsigned(ymd.month()), 2);
  PutDigits(buf + 10, unsigned(ymd.day()), 2);
  PutDigits(buf + 13, in_day / 3600, 2);
  PutDigits(buf + 16, in_day / 60 % 60, 2);
  PutDigits(buf + 19, in_day % 60, 2);
  size_t len = 19;
  if (frac != 0) {
    buf[len] = '.';
    PutDigits(buf + len + 10, frac, 9);
    len += 10;
    while (buf[len - 1] == '0') {
      --len;  // Go drops trailing zeros of the fraction
    }
  }
  buf[len++] = 'Z';
  return len;
}

}  // namespace cellar::framework
