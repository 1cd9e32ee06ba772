// src/framework/time_format.cc: RFC3339Nano formatting without locale or time zone lookups.
#include "framework/time_format.h"

#include <chrono>
#include <cstdio>

namespace cellar::framework {

int64_t ToUnixNanos(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

TimePoint FromUnixNanos(int64_t nanos) {
  return TimePoint(
      std::chrono::duration_cast<TimePoint::duration>(std::chrono::nanoseconds(nanos)));
}

std::string FormatRfc3339Nano(TimePoint t) {
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
  char buf[64];
  int n = std::snprintf(buf, sizeof(buf), "%04d-%02u-%02uT%02d:%02d:%02d", int(ymd.year()),
                        unsigned(ymd.month()), unsigned(ymd.day()), int(in_day / 3600),
                        int(in_day / 60 % 60), int(in_day % 60));
  std::string out(buf, n);
  if (frac != 0) {
    char fbuf[16];
    std::snprintf(fbuf, sizeof(fbuf), ".%09lld", static_cast<long long>(frac));
    std::string f(fbuf);
    while (f.back() == '0') {
      f.pop_back();
    }
    out += f;
  }
  out += 'Z';
  return out;
}

}  // namespace cellar::framework
