// src/cel/std_time.cc: timestamp/duration parsing, arithmetic with range errors, and the
// calendar accessors with IANA or fixed-offset time zones (Howard Hinnant's date/tz).
#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <cstdio>

#include "cel/library.h"
#include "cel/time_util.h"

namespace cellar::cel {

Value MakeTimestamp(int64_t seconds, int64_t nanos) {
  seconds += nanos / 1000000000;
  nanos %= 1000000000;
  if (nanos < 0) {
    nanos += 1000000000;
    seconds -= 1;
  }
  if (seconds < kMinTimestampSeconds || seconds > kMaxTimestampSeconds) {
    return Value::Error("timestamp out of range");
  }
  return Value::Timestamp(seconds, static_cast<int32_t>(nanos));
}

Value MakeDuration(int64_t seconds, int64_t nanos) {
  seconds += nanos / 1000000000;
  nanos %= 1000000000;
  if (seconds > 0 && nanos < 0) {
    nanos += 1000000000;
    seconds -= 1;
  } else if (seconds < 0 && nanos > 0) {
    nanos -= 1000000000;
    seconds += 1;
  }
  if (seconds > kMaxDurationSeconds || seconds < -kMaxDurationSeconds) {
    return Value::Error("duration out of range");
  }
  return Value::Duration(seconds, static_cast<int32_t>(nanos));
}

namespace {

using Args = std::span<const Value>;
constexpr Kind TS = Kind::kTimestamp;
constexpr Kind DU = Kind::kDuration;
constexpr Kind S = Kind::kString;
constexpr Kind I = Kind::kInt;

bool ParseDigits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) {
    return false;
  }
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') {
      return false;
    }
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

Value BadTimestamp(std::string_view text) {
  return Value::Error("invalid timestamp: '" + std::string(text) + "'");
}

// A zone: fixed offset in seconds, or an IANA zone.
struct Zone {
  const date::time_zone* tz = nullptr;
  int offset_seconds = 0;
};

bool ParseZone(std::string_view name, Zone* zone) {
  if (name.empty()) {
    return false;
  }
  bool has_sign = name[0] == '+' || name[0] == '-';
  std::string_view rest = has_sign ? name.substr(1) : name;
  int h = 0;
  int m = 0;
  if (rest.size() == 5 && rest[2] == ':' && ParseDigits(rest, 0, 2, &h) &&
      ParseDigits(rest, 3, 2, &m)) {
    zone->offset_seconds = (h * 3600 + m * 60) * (name[0] == '-' ? -1 : 1);
    return true;
  }
  if (name == "UTC" || name == "Z") {
    return true;
  }
  try {
    // date's API throws on unknown zones; contained here.
    zone->tz = date::locate_zone(name);
    return true;
  } catch (...) {
    return false;
  }
}

struct Civil {
  int64_t year;
  unsigned month;       // 1..12
  unsigned day;         // 1..31
  int64_t day_of_year;  // 0-based
  unsigned weekday;     // 0 = Sunday
  int64_t hours, minutes, seconds;
};

Civil ToCivil(const Value& ts, const Zone& zone) {
  using namespace std::chrono;
  sys_seconds t{seconds(ts.seconds())};
  int64_t local_seconds = ts.seconds() + zone.offset_seconds;
  if (zone.tz != nullptr) {
    auto info = zone.tz->get_info(t);
    local_seconds = ts.seconds() + info.offset.count();
  }
  int64_t days = local_seconds / 86400;
  int64_t secs = local_seconds % 86400;
  if (secs < 0) {
    secs += 86400;
    days -= 1;
  }
  date::sys_days d{date::days(days)};
  date::year_month_day ymd{d};
  date::weekday wd{d};
  date::sys_days jan1{date::year_month_day{ymd.year(), date::January, date::day(1)}};
  Civil c;
  c.year = static_cast<int>(ymd.year());
  c.month = static_cast<unsigned>(ymd.month());
  c.day = static_cast<unsigned>(ymd.day());
  c.day_of_year = (d - jan1).count();
  c.weekday = wd.c_encoding();
  c.hours = secs / 3600;
  c.minutes = secs % 3600 / 60;
  c.seconds = secs % 60;
  return c;
}

using Getter = int64_t (*)(const Civil&, const Value&);

void AddTimeGetter(FunctionRegistry& r, const char* name, Getter get) {
  r.Add(name, true, {TS},
        [get](Args a, EvalContext&) { return Value::Int(get(ToCivil(a[0], Zone{}), a[0])); });
  r.Add(name, true, {TS, S}, [get](Args a, EvalContext&) {
    Zone zone;
    if (!ParseZone(a[1].string_value(), &zone)) {
      return Value::Error("invalid time zone: '" + a[1].string_value() + "'");
    }
    return Value::Int(get(ToCivil(a[0], zone), a[0]));
  });
}

int64_t TotalNanos(const Value& d) { return d.seconds() * 1000000000 + d.nanos(); }

}  // namespace

Value ParseTimestamp(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.fffffffff](Z|+HH:MM|-HH:MM)
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!ParseDigits(s, 0, 4, &year) || s.size() < 20 || s[4] != '-' ||
      !ParseDigits(s, 5, 2, &month) || s[7] != '-' || !ParseDigits(s, 8, 2, &day) ||
      (s[10] != 'T' && s[10] != 't') || !ParseDigits(s, 11, 2, &hour) || s[13] != ':' ||
      !ParseDigits(s, 14, 2, &minute) || s[16] != ':' || !ParseDigits(s, 17, 2, &second)) {
    return BadTimestamp(s);
  }
  size_t pos = 19;
  int64_t nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 9) {
        nanos = nanos * 10 + (s[pos] - '0');
      }
      ++digits;
      ++pos;
    }
    if (digits == 0) {
      return BadTimestamp(s);
    }
    for (int i = digits; i < 9; ++i) {
      nanos *= 10;
    }
  }
  int offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh = 0;
    int om = 0;
    if (!ParseDigits(s, pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !ParseDigits(s, pos + 4, 2, &om)) {
      return BadTimestamp(s);
    }
    offset = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return BadTimestamp(s);
  }
  if (pos != s.size() || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 60) {
    return BadTimestamp(s);
  }
  date::year_month_day ymd{date::year(year), date::month(month), date::day(day)};
  if (!ymd.ok()) {
    return BadTimestamp(s);
  }
  int64_t days = date::sys_days(ymd).time_since_epoch().count();
  int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset;
  return MakeTimestamp(seconds, nanos);
}

std::string FormatTimestamp(const Value& ts) {
  int64_t days = ts.seconds() / 86400;
  int64_t secs = ts.seconds() % 86400;
  if (secs < 0) {
    secs += 86400;
    days -= 1;
  }
  date::year_month_day ymd{date::sys_days{date::days(days)}};
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(secs / 3600), static_cast<int>(secs % 3600 / 60),
                static_cast<int>(secs % 60));
  std::string out = buf;
  if (ts.nanos() != 0) {
    std::snprintf(buf, sizeof(buf), ".%09d", ts.nanos());
    std::string frac = buf;
    while (frac.back() == '0') {
      frac.pop_back();
    }
    out += frac;
  }
  return out + "Z";
}

Value ParseDuration(std::string_view s) {
  std::string original(s);
  auto bad = [&] { return Value::Error("invalid duration: '" + original + "'"); };
  if (s.empty()) {
    return bad();
  }
  bool negative = false;
  if (s[0] == '-' || s[0] == '+') {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") {
    return Value::Duration(0, 0);
  }
  if (s.empty()) {
    return bad();
  }
  // Accumulate in 128-bit nanoseconds so huge inputs report "range", not wrap.
  __int128 total = 0;
  while (!s.empty()) {
    __int128 whole = 0;
    size_t i = 0;
    bool any = false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      whole = whole * 10 + (s[i] - '0');
      if (whole > static_cast<__int128>(1) << 100) {
        return Value::Error("duration out of range");
      }
      ++i;
      any = true;
    }
    __int128 frac = 0;
    __int128 scale = 1;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        if (scale < 1000000000000000000LL) {
          frac = frac * 10 + (s[i] - '0');
          scale *= 10;
        }
        ++i;
        any = true;
      }
    }
    if (!any) {
      return bad();
    }
    s.remove_prefix(i);
    int64_t unit = 0;
    static constexpr std::pair<std::string_view, int64_t> kUnits[] = {
        {"ns", 1},       {"us", 1000},      {"\xC2\xB5s", 1000}, {"\xCE\xBCs", 1000},
        {"ms", 1000000}, {"s", 1000000000}, {"m", 60000000000},  {"h", 3600000000000}};
    for (const auto& [name, nanos] : kUnits) {
      if (s.substr(0, name.size()) == name) {
        // "m" must not swallow the start of "ms".
        if (name == "m" && s.size() > 1 && s[1] == 's') {
          continue;
        }
        unit = nanos;
        s.remove_prefix(name.size());
        break;
      }
    }
    if (unit == 0) {
      return bad();
    }
    total += whole * unit + frac * unit / scale;
  }
  if (negative) {
    total = -total;
  }
  __int128 limit = static_cast<__int128>(kMaxDurationSeconds) * 1000000000 + 999999999;
  if (total > limit || total < -limit) {
    return Value::Error("duration out of range");
  }
  return MakeDuration(static_cast<int64_t>(total / 1000000000),
                      static_cast<int64_t>(total % 1000000000));
}

std::string FormatDuration(const Value& d) {
  int64_t secs = d.seconds();
  int32_t nanos = d.nanos();
  std::string out;
  if (secs < 0 || nanos < 0) {
    out = "-";
    secs = -secs;
    nanos = -nanos;
  }
  out += std::to_string(secs);
  if (nanos != 0) {
    char buf[16];
    std::snprintf(buf, sizeof(buf), ".%09d", nanos);
    std::string frac = buf;
    while (frac.back() == '0') {
      frac.pop_back();
    }
    out += frac;
  }
  return out + "s";
}

void RegisterTimeFunctions(FunctionRegistry& r) {
  r.Add("timestamp", false, S,
        [](const Value& a0, EvalContext&) -> Value { return ParseTimestamp(a0.string_value()); });
  r.Add("timestamp", false, TS, [](const Value& a0, EvalContext&) -> Value { return a0; });
  r.Add("timestamp", false, I,
        [](const Value& a0, EvalContext&) -> Value { return MakeTimestamp(a0.int_value(), 0); });
  r.Add("duration", false, S,
        [](const Value& a0, EvalContext&) -> Value { return ParseDuration(a0.string_value()); });
  r.Add("duration", false, DU, [](const Value& a0, EvalContext&) -> Value { return a0; });

  r.Add("_+_", false, TS, DU, [](const Value& a0, const Value& a1, EvalContext&) -> Value {
    return MakeTimestamp(a0.seconds() + a1.seconds(),
                         static_cast<int64_t>(a0.nanos()) + a1.nanos());
  });
  r.Add("_+_", false, DU, TS, [](const Value& a0, const Value& a1, EvalContext&) -> Value {
    return MakeTimestamp(a0.seconds() + a1.seconds(),
                         static_cast<int64_t>(a0.nanos()) + a1.nanos());
  });
  r.Add("_-_", false, TS, DU, [](const Value& a0, const Value& a1, EvalContext&) -> Value {
    return MakeTimestamp(a0.seconds() - a1.seconds(),
                         static_cast<int64_t>(a0.nanos()) - a1.nanos());
  });
  r.Add("_-_", false, TS, TS, [](const Value& a0, const Value& a1, EvalContext&) -> Value {
    // As cel-go: the difference must fit Go's time.Duration (int64 nanoseconds).
    __int128 diff = (static_cast<__int128>(a0.seconds()) - a1.seconds()) * 1000000000 +
                    (a0.nanos() - a1.nanos());
    if (diff > INT64_MAX || diff < INT64_MIN) {
      return Value::Error("duration out of range");
    }
    return MakeDuration(static_cast<int64_t>(diff / 1000000000),
                        static_cast<int64_t>(diff % 1000000000));
  });
  r.Add("_+_", false, DU, DU, [](const Value& a0, const Value& a1, EvalContext&) -> Value {
    return MakeDuration(a0.seconds() + a1.seconds(), static_cast<int64_t>(a0.nanos()) + a1.nanos());
  });
  r.Add("_-_", false, DU, DU, [](const Value& a0, const Value& a1, EvalContext&) -> Value {
    return MakeDuration(a0.seconds() - a1.seconds(), static_cast<int64_t>(a0.nanos()) - a1.nanos());
  });
  r.Add("-_", false, DU, [](const Value& a0, EvalContext&) -> Value {
    return MakeDuration(-a0.seconds(), -static_cast<int64_t>(a0.nanos()));
  });

  AddTimeGetter(r, "getFullYear", [](const Civil& c, const Value&) { return c.year; });
  AddTimeGetter(r, "getMonth",
                [](const Civil& c, const Value&) { return static_cast<int64_t>(c.month) - 1; });
  AddTimeGetter(r, "getDayOfYear", [](const Civil& c, const Value&) { return c.day_of_year; });
  AddTimeGetter(r, "getDate",
                [](const Civil& c, const Value&) { return static_cast<int64_t>(c.day); });
  AddTimeGetter(r, "getDayOfMonth",
                [](const Civil& c, const Value&) { return static_cast<int64_t>(c.day) - 1; });
  AddTimeGetter(r, "getDayOfWeek",
                [](const Civil& c, const Value&) { return static_cast<int64_t>(c.weekday); });
  AddTimeGetter(r, "getHours", [](const Civil& c, const Value&) { return c.hours; });
  AddTimeGetter(r, "getMinutes", [](const Civil& c, const Value&) { return c.minutes; });
  AddTimeGetter(r, "getSeconds", [](const Civil& c, const Value&) { return c.seconds; });
  AddTimeGetter(r, "getMilliseconds", [](const Civil&, const Value& ts) {
    return static_cast<int64_t>(ts.nanos() / 1000000);
  });

  r.Add("getHours", true, DU,
        [](const Value& a0, EvalContext&) -> Value { return Value::Int(a0.seconds() / 3600); });
  r.Add("getMinutes", true, DU,
        [](const Value& a0, EvalContext&) -> Value { return Value::Int(a0.seconds() / 60); });
  r.Add("getSeconds", true, DU,
        [](const Value& a0, EvalContext&) -> Value { return Value::Int(a0.seconds()); });
  r.Add("getMilliseconds", true, DU,
        [](const Value& a0, EvalContext&) -> Value { return Value::Int(a0.nanos() / 1000000); });
  (void)TotalNanos;
}

}  // namespace cellar::cel
