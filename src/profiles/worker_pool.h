// src/profiles/worker_pool.h: a few long-lived threads that run a stage's independent
// sub-requests, so an execution does not pay a thread start per request.
#pragma once

#include <cstddef>
#include <functional>

namespace cellar::profiles {

// Calls fn(0) ... fn(n - 1), at most `width` at a time: the calling thread plus up to width - 1
// threads of a process-wide pool. Returns when every call has returned. The caller takes indexes
// too, so progress never depends on a free pool thread (a sub-request may itself run a profile).
void ParallelFor(size_t n, size_t width, const std::function<void(size_t)>& fn);

}  // namespace cellar::profiles
