// src/base/status_macros.h: early-return helpers that propagate errors without exceptions.
#pragma once

#include "base/status.h"
#include "base/status_or.h"

#define CELLAR_STATUS_CONCAT_INNER(a, b) a##b
#define CELLAR_STATUS_CONCAT(a, b) CELLAR_STATUS_CONCAT_INNER(a, b)

// Returns from the current function if `expr` (a Status) is not OK.
#define CELLAR_RETURN_IF_ERROR(expr)            \
  do {                                          \
    ::cellar::Status cellar_status_ = (expr);   \
    if (!cellar_status_.ok()) {                 \
      return cellar_status_;                    \
    }                                           \
  } while (false)

// `CELLAR_ASSIGN_OR_RETURN(T x, StatusOrExpr)`: declares/assigns x, or returns the error.
#define CELLAR_ASSIGN_OR_RETURN(lhs, expr) \
  CELLAR_ASSIGN_OR_RETURN_IMPL(CELLAR_STATUS_CONCAT(cellar_statusor_, __LINE__), lhs, expr)

#define CELLAR_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) {                                   \
    return std::move(tmp).status();                  \
  }                                                  \
  lhs = std::move(tmp).value()
