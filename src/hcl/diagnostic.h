// src/hcl/diagnostic.h: source positions and the positioned errors every HCL stage reports.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace cellar::hcl {

// A point in a source file. line and column are 1-based; column counts Unicode code points, so a
// caret lines up under the character; offset is the 0-based byte offset.
struct Pos {
  int line = 1;
  int column = 1;
  int offset = 0;
};

// A half-open source span [start, end) in one file. `file` is interned for the life of the process
// (see InternFileName), so a Range stays valid after the parse result that made it is gone.
struct Range {
  std::string_view file;
  Pos start;
  Pos end;

  // "file:line:col".
  std::string StartString() const;
  // "line:col-line:col" (no file), as the AST dump prints it.
  std::string SpanString() const;
};

// Returns a process-lifetime copy of `name`; equal names share one copy. Thread-safe.
std::string_view InternFileName(std::string_view name);

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  Range range;
  std::string message;

  // "file:line:col: message" (warnings add "warning: " before the message).
  std::string ToString() const;
};

using Diagnostics = std::vector<Diagnostic>;

bool HasErrors(const Diagnostics& diags);

// One ToString() line per diagnostic. When `source` (the text of the file the diagnostics refer
// to) is given, each line is followed by the source line and a caret under the column.
std::string FormatDiagnostics(const Diagnostics& diags, std::string_view source = {});

// OK when there is no error; otherwise InvalidArgument whose message is every error's
// "file:line:col: message", joined with "; ".
Status DiagnosticsToStatus(const Diagnostics& diags);

}  // namespace cellar::hcl
