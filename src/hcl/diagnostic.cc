// src/hcl/diagnostic.cc: formatting of positions and diagnostics, and the filename intern table.
#include "hcl/diagnostic.h"

#include <memory>
#include <mutex>
#include <set>

namespace cellar::hcl {

std::string Range::StartString() const {
  return std::string(file) + ":" + std::to_string(start.line) + ":" + std::to_string(start.column);
}

std::string Range::SpanString() const {
  return std::to_string(start.line) + ":" + std::to_string(start.column) + "-" +
         std::to_string(end.line) + ":" + std::to_string(end.column);
}

std::string_view InternFileName(std::string_view name) {
  // Names are few (config files, policy names) and never freed, so Ranges cannot dangle.
  static std::mutex mu;
  static auto* names = new std::set<std::string, std::less<>>();
  std::lock_guard<std::mutex> lock(mu);
  auto it = names->find(name);
  if (it == names->end()) {
    it = names->emplace(name).first;
  }
  return *it;
}

std::string Diagnostic::ToString() const {
  return range.StartString() + ": " + (severity == Severity::kWarning ? "warning: " : "") + message;
}

bool HasErrors(const Diagnostics& diags) {
  for (const Diagnostic& d : diags) {
    if (d.severity == Severity::kError) {
      return true;
    }
  }
  return false;
}

namespace {

// The text of 1-based `line` in `source`, without its newline.
std::string_view SourceLine(std::string_view source, int line) {
  size_t pos = 0;
  for (int i = 1; i < line; ++i) {
    pos = source.find('\n', pos);
    if (pos == std::string_view::npos) {
      return {};
    }
    ++pos;
  }
  size_t end = source.find('\n', pos);
  std::string_view text = source.substr(pos, end == std::string_view::npos ? end : end - pos);
  if (!text.empty() && text.back() == '\r') {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

std::string FormatDiagnostics(const Diagnostics& diags, std::string_view source) {
  std::string out;
  for (const Diagnostic& d : diags) {
    out += d.ToString();
    out += '\n';
    if (source.empty() || d.range.start.line < 1) {
      continue;
    }
    std::string_view line = SourceLine(source, d.range.start.line);
    if (line.empty() && d.range.start.column <= 1) {
      continue;
    }
    out += "  ";
    out += line;
    out += "\n  ";
    // Columns count code points; tabs are kept so the caret lines up under them.
    int col = 1;
    for (size_t i = 0; i < line.size() && col < d.range.start.column; ++i) {
      unsigned char c = static_cast<unsigned char>(line[i]);
      if ((c & 0xC0) == 0x80) {
        continue;
      }
      out += c == '\t' ? '\t' : ' ';
      ++col;
    }
    out += "^\n";
  }
  return out;
}

Status DiagnosticsToStatus(const Diagnostics& diags) {
  std::string msg;
  for (const Diagnostic& d : diags) {
    if (d.severity != Severity::kError) {
      continue;
    }
    if (!msg.empty()) {
      msg += "; ";
    }
    msg += d.ToString();
  }
  if (msg.empty()) {
    return OkStatus();
  }
  return InvalidArgumentError(std::move(msg));
}

}  // namespace cellar::hcl
