// src/storage/ha_lock.h: the lock that elects one active node among servers sharing a storage.
#pragma once

#include <string>

#include "base/status_or.h"

namespace cellar::storage {

// Who holds the lock: the active node's API address and since when (RFC 3339), both empty
// while nobody holds it.
struct HaLeader {
  std::string address;
  std::string since;
};

// At most one holder at a time across every process using the same storage. A holder that
// dies (its process or its connection) loses the lock without help. Thread-safe.
class HaLock {
 public:
  virtual ~HaLock() = default;
  // Takes the lock if nobody holds it, recording `address` as the holder's; true when this
  // node holds it (also when it already did). kUnavailable when the storage cannot be reached.
  virtual StatusOr<bool> TryAcquire(const std::string& address) = 0;
  // Whether this node still holds the lock; false once its session with the storage is gone.
  virtual bool StillHeld() = 0;
  // Gives the lock up (no-op when not held).
  virtual void Release() = 0;
  // The current holder, as every node sees it.
  virtual StatusOr<HaLeader> Leader() = 0;
};

}  // namespace cellar::storage
