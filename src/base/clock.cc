// src/base/clock.cc: the system clock.
#include "base/clock.h"

namespace cellar {
namespace {
class SystemClock : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};
}  // namespace

const Clock& Clock::System() {
  static const SystemClock clock;
  return clock;
}

}  // namespace cellar
