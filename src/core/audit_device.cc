// src/core/audit_device.cc: opens the audit file per its options and appends entries to it.
#include "core/audit_device.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "base/status_macros.h"

namespace cellar::core {
namespace {

StatusOr<mode_t> ParseMode(const std::map<std::string, std::string>& options) {
  auto it = options.find("mode");
  if (it == options.end() || it->second.empty()) {
    return static_cast<mode_t>(0600);
  }
  const std::string& text = it->second;
  mode_t mode = 0;
  for (char c : text) {
    if (c < '0' || c > '7' || mode > 07777) {
      return InvalidArgumentError("invalid mode \"" + text + "\": expected octal digits");
    }
    mode = mode * 8 + static_cast<mode_t>(c - '0');
  }
  if (mode > 07777) {
    return InvalidArgumentError("invalid mode \"" + text + "\"");
  }
  // An audit log is data, never a program (Vault refuses these too).
  if ((mode & 0111) != 0) {
    return InvalidArgumentError("file mode \"" + text + "\" has executable permissions");
  }
  return mode;
}

}  // namespace

StatusOr<bool> AuditBoolOption(const std::map<std::string, std::string>& options,
                               std::string_view name, bool fallback) {
  auto it = options.find(std::string(name));
  if (it == options.end() || it->second.empty()) {
    return fallback;
  }
  const std::string& v = it->second;
  if (v == "1" || v == "t" || v == "T" || v == "true" || v == "TRUE" || v == "True") {
    return true;
  }
  if (v == "0" || v == "f" || v == "F" || v == "false" || v == "FALSE" || v == "False") {
    return false;
  }
  return InvalidArgumentError("invalid " + std::string(name) + " \"" + v + "\": expected a bool");
}

StatusOr<std::unique_ptr<AuditDevice>> AuditDevice::Open(AuditDeviceEntry entry) {
  if (entry.type != "file") {
    return InvalidArgumentError("unknown audit device type \"" + entry.type + "\"");
  }
  CELLAR_RETURN_IF_ERROR(AuditBoolOption(entry.options, "hmac_accessor", true).status());
  CELLAR_RETURN_IF_ERROR(AuditBoolOption(entry.options, "log_raw", false).status());
  auto path_it = entry.options.find("file_path");
  if (path_it == entry.options.end()) {
    path_it = entry.options.find("path");  // Vault's older name for the option
  }
  if (path_it == entry.options.end() || path_it->second.empty()) {
    return InvalidArgumentError("file_path is required");
  }
  std::string file_path = path_it->second;
  CELLAR_ASSIGN_OR_RETURN(mode_t mode, ParseMode(entry.options));
  if (file_path == "discard") {
    return std::unique_ptr<AuditDevice>(new AuditDevice(std::move(entry), -1, false));
  }
  if (file_path == "stdout") {
    return std::unique_ptr<AuditDevice>(new AuditDevice(std::move(entry), STDOUT_FILENO, false));
  }
  int fd =
      ::open(file_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode == 0 ? 0600 : mode);
  if (fd < 0) {
    return InvalidArgumentError("cannot open audit file \"" + file_path +
                                "\": " + std::strerror(errno));
  }
  // Only a regular file takes the mode: a device such as /dev/null keeps its own.
  struct stat st {};
  if (mode != 0 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && ::fchmod(fd, mode) != 0) {
    ::close(fd);
    return InvalidArgumentError("cannot set the mode of \"" + file_path +
                                "\": " + std::strerror(errno));
  }
  return std::unique_ptr<AuditDevice>(new AuditDevice(std::move(entry), fd, true));
}

AuditDevice::AuditDevice(AuditDeviceEntry entry, int fd, bool owns_fd)
    : entry_(std::move(entry)), fd_(fd), owns_fd_(owns_fd) {
  format_.hmac_key = entry_.hmac_key;
  format_.hmac_accessor = AuditBoolOption(entry_.options, "hmac_accessor", true).value_or(true);
  format_.log_raw = AuditBoolOption(entry_.options, "log_raw", false).value_or(false);
}

AuditDevice::~AuditDevice() {
  if (owns_fd_) {
    ::close(fd_);
  }
}

Status AuditDevice::Write(std::string_view line) {
  if (fd_ < 0) {
    return OkStatus();
  }
  std::lock_guard<std::mutex> lock(mutex_);
  buffer_.assign(line);
  buffer_.push_back('\n');
  // One write per entry: O_APPEND makes it atomic against other writers of the file, and a short
  // write (a full disk) is finished or reported, never left as half a line silently.
  std::string_view rest = buffer_;
  while (!rest.empty()) {
    ssize_t n = ::write(fd_, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return InternalError("audit device " + entry_.path + ": " +
                           (n < 0 ? std::strerror(errno) : "nothing written"));
    }
    rest.remove_prefix(static_cast<size_t>(n));
  }
  return OkStatus();
}

}  // namespace cellar::core
