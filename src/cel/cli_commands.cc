// src/cel/cli_commands.cc: the `cellar cel` subcommands.
#include "cel/cli_commands.h"

#include "cel/cel.h"
#include "cel/cellar_messages.h"
#include "cel/checker.h"
#include "cel/json.h"

namespace cellar::cel {
namespace {

bool SplitAssignment(const std::string& text, std::string* name, std::string* rest) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    return false;
  }
  *name = text.substr(0, eq);
  *rest = text.substr(eq + 1);
  return true;
}

// Declares `decls` into env; false after printing the error.
bool Declare(Env& env, const std::vector<std::string>& decls, std::ostream& err) {
  for (const std::string& d : decls) {
    std::string name;
    std::string type;
    if (!SplitAssignment(d, &name, &type)) {
      err << "ERROR: --decl expects NAME=TYPE, got '" << d << "'\n";
      return false;
    }
    Status s = env.DeclareVariable(name, type);
    if (!s.ok()) {
      err << "ERROR: --decl " << name << ": " << s.message() << "\n";
      return false;
    }
  }
  return true;
}

}  // namespace

int EvalCommand(const std::vector<std::string>& vars, const std::vector<std::string>& decls,
                const std::string& expr, std::ostream& out, std::ostream& err) {
  Env env = Env::Standard();
  env.set_strict_declarations(true);
  if (!Declare(env, decls, err)) {
    return 1;
  }
  Activation activation;
  for (const std::string& v : vars) {
    std::string name;
    std::string text;
    if (!SplitAssignment(v, &name, &text)) {
      err << "ERROR: --var expects NAME=JSON, got '" << v << "'\n";
      return 1;
    }
    auto value = ValueFromJsonText(text);
    if (!value.ok()) {
      err << "ERROR: --var " << name << ": " << value.status().message() << "\n";
      return 1;
    }
    if (env.variables().count(name) == 0) {
      env.DeclareVariable(name, Type::Dyn());
    }
    activation.Bind(name, *value);
  }
  auto program = Compile(expr, env);
  if (!program.ok()) {
    err << program.status().message() << "\n";
    return 1;
  }
  auto result = (*program)->Evaluate(activation);
  if (!result.ok()) {
    err << "ERROR: evaluation stopped: " << result.status().message() << "\n";
    return 1;
  }
  if (result->is_error()) {
    err << "ERROR: evaluation failed: " << result->error().message << "\n";
    return 1;
  }
  auto text = ValueToJsonText(*result);
  if (!text.ok()) {
    err << "ERROR: result cannot be printed as JSON: " << text.status().message() << "\n";
    return 1;
  }
  out << *text << "\n";
  return 0;
}

int CheckCommand(const std::vector<std::string>& decls, const std::string& expr,
                 std::ostream& out, std::ostream& err) {
  Env env = Env::Standard();
  env.set_type_provider(CellarTypeProvider());
  env.set_strict_declarations(true);
  env.set_type_check(Env::TypeCheck::kAlways);
  if (!Declare(env, decls, err)) {
    return 1;
  }
  auto checked = Check(expr, env);
  if (!checked.ok()) {
    err << checked.status().message() << "\n";
    return 1;
  }
  out << checked->result_type.ToString() << "\n";
  return 0;
}

}  // namespace cellar::cel
