// src/framework/path_backend.cc: routing, field conversion and handler dispatch for path tables.
#include "framework/path_backend.h"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

namespace cellar::framework {

namespace json = boost::json;

// A pattern's tail after its literal prefix that routing matches without the regex.
enum class PathRestForm { kNone, kOneOrMore, kAny, kNotEndingInSlash, kNoSlash, kName };

struct PathBackend::CompiledPath {
  Path path;
  std::unique_ptr<RE2> regex;
  std::vector<std::string> group_names;  // index i = capture group i + 1; "" when unnamed
  // Bytes every match starts with: a cheap test that skips most of a long table's regexes.
  std::string literal_prefix;
  // Set when the pattern is literal_prefix then one named group of a common shape, matched
  // without the regex (most engine paths: `data/(?P<path>.*[^/])`, `delete/(?P<path>.+)`,
  // `profiles/execute/(?P<name>\w[\w.-]*)`).
  PathRestForm rest_form = PathRestForm::kNone;
};

namespace {

// The literal bytes a (full-match, unanchored) pattern must start with; conservative: stops at
// the first metacharacter, drops a character a quantifier may remove, and gives up on any
// alternation (which could offer a different start).
std::string LiteralPrefix(std::string_view pattern) {
  if (pattern.find('|') != std::string_view::npos) {
    return "";
  }
  std::string prefix;
  for (char c : pattern) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) {
      if (c == '?' || c == '*' || c == '+' || c == '{') {
        if (!prefix.empty()) {
          prefix.pop_back();
        }
      }
      break;
    }
    prefix.push_back(c);
  }
  return prefix;
}

// The shape of `pattern` after its literal prefix when that is a single named group simple enough
// to match by hand (the prefix must hold the whole literal part: no escapes, no quantifier on it).
PathRestForm RestFormOf(std::string_view pattern, std::string_view literal_prefix) {
  if (!pattern.starts_with(literal_prefix) ||
      !pattern.substr(literal_prefix.size()).starts_with("(?P<")) {
    return PathRestForm::kNone;
  }
  std::string_view rest = pattern.substr(literal_prefix.size() + 4);
  size_t close = rest.find('>');
  if (close == std::string_view::npos) {
    return PathRestForm::kNone;
  }
  std::string_view body = rest.substr(close + 1);
  if (body == ".+)") {
    return PathRestForm::kOneOrMore;
  }
  if (body == ".*)") {
    return PathRestForm::kAny;
  }
  if (body == ".*[^/])") {
    return PathRestForm::kNotEndingInSlash;
  }
  if (body == "[^/]+)") {
    return PathRestForm::kNoSlash;
  }
  if (body == R"(\w[\w.-]*))") {
    return PathRestForm::kName;  // profile and role names
  }
  return PathRestForm::kNone;
}

bool IsWordChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

// Whether `rest` (the request path after the literal prefix) matches `form`, or nullopt when the
// regex must decide: `.` skips '\n' and RE2 has its own view of non-ASCII bytes, so only
// printable ASCII is decided here.
std::optional<bool> MatchRest(PathRestForm form, std::string_view rest) {
  for (char c : rest) {
    if (c < 0x20 || c > 0x7e) {
      return std::nullopt;
    }
  }
  switch (form) {
    case PathRestForm::kOneOrMore:
      return !rest.empty();
    case PathRestForm::kAny:
      return true;
    case PathRestForm::kNotEndingInSlash:
      return !rest.empty() && rest.back() != '/';
    case PathRestForm::kNoSlash:
      return !rest.empty() && rest.find('/') == std::string_view::npos;
    case PathRestForm::kName:
      // RE2's \w is ASCII only: [0-9A-Za-z_].
      return !rest.empty() && IsWordChar(rest.front()) &&
             std::all_of(rest.begin(), rest.end(),
                         [](char c) { return IsWordChar(c) || c == '.' || c == '-'; });
    case PathRestForm::kNone:
      break;
  }
  return std::nullopt;
}

}  // namespace

PathBackend::PathBackend(BackendType type, storage::Storage* mount_storage)
    : type_(type), mount_storage_(mount_storage) {}
PathBackend::~PathBackend() = default;

Status PathBackend::SetPaths(std::vector<Path> paths) {
  std::vector<std::unique_ptr<CompiledPath>> compiled;
  for (Path& path : paths) {
    auto cp = std::make_unique<CompiledPath>();
    std::string pattern = path.pattern;
    // Anchors are implied; tolerate OpenBao-style explicit ones.
    if (!pattern.empty() && pattern.front() == '^') {
      pattern.erase(0, 1);
    }
    if (!pattern.empty() && pattern.back() == '$' &&
        (pattern.size() < 2 || pattern[pattern.size() - 2] != '\\')) {
      pattern.pop_back();
    }
    RE2::Options options;
    options.set_log_errors(false);
    cp->regex = std::make_unique<RE2>(pattern, options);
    if (!cp->regex->ok()) {
      return InvalidArgumentError("bad path pattern \"" + path.pattern +
                                  "\": " + cp->regex->error());
    }
    if (cp->regex->NumberOfCapturingGroups() > static_cast<int>(kMaxCaptures)) {
      return InvalidArgumentError("path pattern \"" + path.pattern + "\" has too many groups");
    }
    cp->literal_prefix = LiteralPrefix(pattern);
    if (cp->regex->NumberOfCapturingGroups() == 1) {
      cp->rest_form = RestFormOf(pattern, cp->literal_prefix);
    }
    cp->group_names.resize(cp->regex->NumberOfCapturingGroups());
    for (const auto& [name, index] : cp->regex->NamedCapturingGroups()) {
      cp->group_names[index - 1] = name;
      bool declared = std::any_of(path.fields.begin(), path.fields.end(),
                                  [&](const FieldSchema& f) { return f.name == name; });
      if (!declared) {
        return InvalidArgumentError("path pattern \"" + path.pattern + "\" captures \"" + name +
                                    "\" without declaring the field");
      }
    }
    cp->path = std::move(path);
    compiled.push_back(std::move(cp));
  }
  paths_ = std::move(compiled);
  return OkStatus();
}

const PathBackend::CompiledPath* PathBackend::Route(const std::string& path,
                                                    Captures& captures) const {
  // Fixed arrays: routing runs on every request and must not allocate for the match itself.
  std::array<re2::StringPiece, kMaxCaptures> groups;
  std::array<RE2::Arg, kMaxCaptures> args;
  std::array<const RE2::Arg*, kMaxCaptures> arg_ptrs;
  for (size_t i = 0; i < kMaxCaptures; ++i) {
    args[i] = RE2::Arg(&groups[i]);
    arg_ptrs[i] = &args[i];
  }
  std::string_view view(path);
  for (const auto& cp : paths_) {
    if (!view.starts_with(cp->literal_prefix)) {
      continue;
    }
    int n = static_cast<int>(cp->group_names.size());
    std::optional<bool> simple;
    if (cp->rest_form != PathRestForm::kNone) {
      std::string_view rest = view.substr(cp->literal_prefix.size());
      simple = MatchRest(cp->rest_form, rest);
      if (simple.value_or(false)) {
        groups[0] = re2::StringPiece(rest.data(), rest.size());
      }
    }
    if (simple.has_value() ? !*simple : !RE2::FullMatchN(path, *cp->regex, arg_ptrs.data(), n)) {
      continue;
    }
    for (int i = 0; i < n; ++i) {
      // An optional group that did not take part matches as empty, as in Go.
      if (!cp->group_names[i].empty()) {
        captures.items[captures.size++] = {cp->group_names[i],
                                           std::string_view(groups[i].data(), groups[i].size())};
      }
    }
    return cp.get();
  }
  return nullptr;
}

namespace {

Status CheckRequired(const Path& path, const FieldData& data, Operation op) {
  if (op != Operation::kCreate && op != Operation::kUpdate) {
    return OkStatus();
  }
  for (const FieldSchema& f : path.fields) {
    if (f.required && !data.Has(f.name)) {
      return InvalidArgumentError("missing required field \"" + f.name + "\"");
    }
  }
  return OkStatus();
}

std::vector<std::string> UnknownFields(const Path& path, const json::object& body) {
  std::vector<std::string> unknown;
  if (path.takes_arbitrary_input) {
    return unknown;
  }
  for (const auto& [k, v] : body) {
    bool known = std::any_of(path.fields.begin(), path.fields.end(),
                             [&](const FieldSchema& f) { return f.name == k; });
    if (!known) {
      unknown.emplace_back(k);
    }
  }
  std::sort(unknown.begin(), unknown.end());
  return unknown;
}

}  // namespace

StatusOr<Response> PathBackend::HandleRequest(Request& request) {
  Captures captures;
  const CompiledPath* cp = Route(request.path, captures);
  if (cp == nullptr) {
    return UnknownPathError();
  }
  const Path& path = cp->path;
  auto handler = path.operations.find(request.operation);
  if (handler == path.operations.end()) {
    // OpenBao: a path with only an update handler serves create, and the reverse.
    if (request.operation == Operation::kCreate) {
      handler = path.operations.find(Operation::kUpdate);
    } else if (request.operation == Operation::kUpdate) {
      handler = path.operations.find(Operation::kCreate);
    }
  }
  if (handler == path.operations.end()) {
    return UnsupportedOperationError();
  }
  // Captures win over body fields of the same name, as in OpenBao.
  auto data = FieldData::Parse(path.fields, request.data, captures.view());
  if (!data.ok()) {
    return data.status();
  }
  Status required = CheckRequired(path, *data, request.operation);
  if (!required.ok()) {
    return required;
  }
  auto response = handler->second(request, *data);
  if (!response.ok()) {
    return response;
  }
  std::vector<std::string> unknown = UnknownFields(path, request.data);
  if (!unknown.empty()) {
    std::string warning = "Endpoint ignored these unrecognized parameters: [";
    for (size_t i = 0; i < unknown.size(); ++i) {
      warning += (i == 0 ? "" : " ") + unknown[i];
    }
    warning += "]";
    response->warnings.push_back(std::move(warning));
  }
  return response;
}

StatusOr<bool> PathBackend::Exists(Request& request) {
  // Only a path with an existence check can answer false: when the request path lacks the literal
  // prefix of every such path, whatever Route would find answers true, without running a regex.
  std::string_view view(request.path);
  if (std::none_of(paths_.begin(), paths_.end(), [&](const std::unique_ptr<CompiledPath>& cp) {
        return cp->path.existence_check && view.starts_with(cp->literal_prefix);
      })) {
    return true;
  }
  Captures captures;
  const CompiledPath* cp = Route(request.path, captures);
  if (cp == nullptr || !cp->path.existence_check) {
    return true;
  }
  auto data = FieldData::Parse(cp->path.fields, request.data, captures.view());
  if (!data.ok()) {
    return data.status();
  }
  return cp->path.existence_check(request, *data);
}

}  // namespace cellar::framework
