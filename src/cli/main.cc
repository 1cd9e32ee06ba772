// src/cli/main.cc: the `cellar` binary: parses the command line (the only CLI11 user) and runs
// the server or a client command.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "cli/client.h"
#include "cli/commands.h"
#include "cli/profile_commands.h"
#include "cli/server_command.h"
#include "cli/server_config.h"
#include "cli/vault_flags.h"
#include "hcl/check.h"
#if CELLAR_HAVE_CEL
#include "cel/cli_commands.h"
#endif

namespace {

using namespace cellar::cli;

void SetUpLogging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("cellar");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(level == "warn" ? "warning" : level));
}

// A flag that may be given several times, one value each (-policy=a -policy=b), so a vector
// option does not swallow the positional arguments after it.
CLI::Option* Repeatable(CLI::Option* option) {
  return option->allow_extra_args(false);
}

// The environment's client settings, with the --address and --namespace flags over them.
Client MakeClient(const std::string& address, const std::string& namespace_path) {
  ClientConfig config = ClientConfigFromEnv();
  if (!address.empty()) {
    config.address = address;
  }
  if (!namespace_path.empty()) {
    config.namespace_path = namespace_path;
  }
  return Client(config);
}

}  // namespace

int main(int argc, char** argv) {
  // Before any thread starts, so every thread inherits the mask and sigwait gets the signals.
  BlockShutdownSignals();
  std::vector<std::string> normalized = NormalizeFlags(argc, argv);
  std::vector<char*> cargv;
  for (auto& s : normalized) {
    cargv.push_back(s.data());
  }

  CLI::App app{"Cellar: a secrets server that speaks the Vault API"};
  app.name("cellar");
  app.require_subcommand(1);
  int rc = 0;

  OutputFlags out;
  std::string address;
  std::string namespace_path;
  auto add_output = [&](CLI::App* cmd) {
    cmd->add_option("--format", out.format, "Output format: table or json");
    cmd->add_option("--field", out.field, "Print only this field");
    cmd->add_option("--address", address, "Server address (default $CELLAR_ADDR)");
    cmd->add_option("--namespace,--ns", namespace_path,
                    "Namespace of the request (default $CELLAR_NAMESPACE, $VAULT_NAMESPACE)");
  };
  // The client of the command that runs, after its flags are parsed.
  auto client = [&] { return MakeClient(address, namespace_path); };

  // --- server ---
  DevOptions dev;
  std::string config_file;
  std::string log_level;
  CLI::App* server = app.add_subcommand("server", "Run the Cellar server");
  server->add_flag("--dev", dev.enabled, "Development mode: in memory, unsealed, root token");
  server->add_option("--dev-root-token-id", dev.root_token_id, "Root token id in dev mode");
  server->add_option("--dev-listen-address", dev.listen_address, "Dev listener address");
  server->add_option("--dev-storage", dev.storage, "Dev storage, e.g. sqlite:/path/db");
  server->add_option("--config", config_file, "HCL config file");
  server->add_option("--log-level", log_level, "trace, debug, info, warn, error");
  server->callback([&] {
    ServerConfig config;
    if (!config_file.empty()) {
      auto loaded = LoadServerConfig(config_file);
      if (!loaded.ok()) {
        std::cerr << "Error loading configuration from " << config_file << ": "
                  << loaded.status().message() << "\n";
        rc = 1;
        return;
      }
      config = *loaded;
    } else if (!dev.enabled) {
      std::cerr << "Error: either -dev or -config=FILE is required\n";
      rc = 1;
      return;
    }
    SetUpLogging(log_level.empty() ? config.log_level : log_level);
    rc = RunServer(config, dev);
  });

  // --- status, operator ---
  CLI::App* status = app.add_subcommand("status", "Print the seal status");
  add_output(status);
  status->callback([&] { rc = CmdStatus(client(), out); });

  CLI::App* op = app.add_subcommand("operator", "Init, unseal, seal and step-down");
  op->require_subcommand(1);
  int shares = 5;
  int threshold = 3;
  CLI::App* init = op->add_subcommand("init", "Initialise the server");
  add_output(init);
  init->add_option("--key-shares", shares, "Number of key shares");
  init->add_option("--key-threshold", threshold, "Shares needed to unseal");
  init->callback([&] { rc = CmdOperatorInit(client(), out, shares, threshold); });
  std::string unseal_key;
  bool unseal_reset = false;
  CLI::App* unseal = op->add_subcommand("unseal", "Provide one unseal key share");
  add_output(unseal);
  unseal->add_option("key", unseal_key, "Key share");
  unseal->add_flag("--reset", unseal_reset, "Discard progress");
  unseal->callback([&] {
    if (unseal_key.empty() && !unseal_reset) {
      std::cerr << "Unseal Key (will be hidden): ";
      std::getline(std::cin, unseal_key);
    }
    rc = CmdOperatorUnseal(client(), out, unseal_key, unseal_reset);
  });
  CLI::App* seal = op->add_subcommand("seal", "Seal the server");
  add_output(seal);
  seal->callback([&] { rc = CmdOperatorSeal(client()); });
  CLI::App* step_down =
      op->add_subcommand("step-down", "Hand the active HA node over to a standby");
  step_down->callback([&] { rc = CmdOperatorStepDown(client()); });

  // --- login, read, write, list, delete ---
  Args args;
  LoginFlags login_flags;
  CLI::App* login = app.add_subcommand("login", "Authenticate and store the token");
  add_output(login);
  login->add_option("--method", login_flags.method, "token (default) or userpass");
  login->add_option("--path", login_flags.path, "Mount path of the auth method");
  login->add_flag("--no-store", login_flags.no_store, "Do not write ~/.cellar-token");
  login->add_option("args", args, "TOKEN, or key=value pairs (username=.. password=..)");
  login->callback([&] { rc = CmdLogin(client(), out, login_flags, args); });

  struct Simple {
    const char* name;
    const char* help;
    int (*run)(const Client&, const OutputFlags&, const Args&);
  };
  bool write_force = false;  // cellar write -f: accepted, a write needs no data here
  for (const Simple& s : {Simple{"read", "Read data at a path", &CmdRead},
                          Simple{"write", "Write key=value data to a path", &CmdWrite},
                          Simple{"list", "List keys under a path", &CmdList}}) {
    CLI::App* cmd = app.add_subcommand(s.name, s.help);
    add_output(cmd);
    cmd->add_option("args", args, "PATH [key=value...]");
    if (std::string_view(s.name) == "write") {
      // Vault needs -f to write no data; here that already works, and -f is accepted for scripts.
      cmd->add_flag("-f,--force", write_force,
                    "Allow a write with no data (accepted for Vault's CLI)");
    }
    auto run = s.run;
    cmd->callback([&, run] { rc = run(client(), out, args); });
  }
  CLI::App* del = app.add_subcommand("delete", "Delete data at a path");
  add_output(del);
  del->add_option("args", args, "PATH");
  del->callback([&] { rc = CmdDelete(client(), args); });

  // --- kv ---
  KvFlags kv;
  CLI::App* kv_cmd = app.add_subcommand("kv", "Key/value secrets (v1 and v2)");
  kv_cmd->require_subcommand(1);
  auto add_kv_flags = [&](CLI::App* cmd) {
    add_output(cmd);
    cmd->add_option("--mount", kv.mount, "Mount path; PATH is then relative to it");
    cmd->add_option("args", args, "PATH [key=value...]");
  };
  for (const char* sub : {"get", "put", "patch", "list", "delete", "undelete", "destroy"}) {
    CLI::App* cmd = kv_cmd->add_subcommand(sub, std::string("kv ") + sub);
    add_kv_flags(cmd);
    std::string name = sub;
    if (name == "get") {
      cmd->add_option("--version", kv.version, "Version to read");
    }
    if (name == "put" || name == "patch") {
      cmd->add_option("--cas", kv.cas, "Check-and-set version");
    }
    if (name == "delete" || name == "undelete" || name == "destroy") {
      cmd->add_option("--versions", kv.versions, "Comma-separated versions");
    }
    cmd->callback([&, name] { rc = CmdKv(client(), out, name, kv, args); });
  }
  CLI::App* meta = kv_cmd->add_subcommand("metadata", "KV v2 metadata");
  meta->require_subcommand(1);
  for (const char* sub : {"get", "put", "delete"}) {
    CLI::App* cmd = meta->add_subcommand(sub, std::string("kv metadata ") + sub);
    add_kv_flags(cmd);
    std::string name = sub;
    if (name == "put") {
      cmd->add_option("--max-versions", kv.max_versions, "Versions kept");
      cmd->add_option("--cas-required", kv.cas_required, "true or false");
      cmd->add_option("--delete-version-after", kv.delete_version_after, "e.g. 1h");
      Repeatable(
          cmd->add_option("--custom-metadata", kv.custom_metadata, "key=value (repeatable)"));
    }
    cmd->callback([&, name] { rc = CmdKvMetadata(client(), out, name, kv, args); });
  }

  // --- secrets, auth ---
  MountFlags mount;
  for (const char* kind : {"secrets", "auth"}) {
    std::string k = kind;
    CLI::App* group = app.add_subcommand(kind, k == "auth" ? "Auth methods" : "Secrets engines");
    group->require_subcommand(1);
    CLI::App* enable = group->add_subcommand("enable", "Enable at a path");
    add_output(enable);
    enable->add_option("--path", mount.path, "Mount path (default: the type)");
    enable->add_option("--description", mount.description, "Description");
    if (k == "secrets") {
      enable->add_option("--version", mount.version, "KV version (1 or 2)");
    }
    enable->add_option("args", args, "TYPE");
    enable->callback([&, k] { rc = CmdMountEnable(client(), k, mount, args); });
    CLI::App* disable = group->add_subcommand("disable", "Disable a mount");
    add_output(disable);
    disable->add_option("args", args, "PATH");
    disable->callback([&, k] { rc = CmdMountDisable(client(), k, args); });
    CLI::App* list = group->add_subcommand("list", "List mounts");
    add_output(list);
    list->callback([&, k] { rc = CmdMountList(client(), out, k); });
  }

  // --- policy ---
  CLI::App* policy = app.add_subcommand("policy", "ACL policies");
  policy->require_subcommand(1);
  CLI::App* pw = policy->add_subcommand("write", "Upload a policy: NAME FILE|-");
  add_output(pw);
  pw->add_option("args", args, "NAME FILE");
  pw->callback([&] { rc = CmdPolicyWrite(client(), args); });
  CLI::App* pr = policy->add_subcommand("read", "Show a policy");
  add_output(pr);
  pr->add_option("args", args, "NAME");
  pr->callback([&] { rc = CmdPolicyRead(client(), out, args); });
  CLI::App* pl = policy->add_subcommand("list", "List policies");
  add_output(pl);
  pl->callback([&] { rc = CmdPolicyList(client(), out); });
  CLI::App* pd = policy->add_subcommand("delete", "Delete a policy");
  add_output(pd);
  pd->add_option("args", args, "NAME");
  pd->callback([&] { rc = CmdPolicyDelete(client(), args); });

  // --- namespace: sys/namespaces through the generic commands, as `vault namespace ...` ---
  CLI::App* ns_cmd = app.add_subcommand("namespace", "Namespaces (inside --namespace, if given)");
  ns_cmd->require_subcommand(1);
  auto delete_namespace = [](const Client& c, const OutputFlags&, const Args& a) {
    return CmdDelete(c, a);
  };
  for (const Simple& s : {Simple{"create", "Create a namespace: NAME", &CmdWrite},
                          Simple{"lookup", "Show a namespace: NAME", &CmdRead},
                          Simple{"list", "List the child namespaces", &CmdList},
                          Simple{"delete", "Delete a namespace: NAME", +delete_namespace}}) {
    CLI::App* cmd = ns_cmd->add_subcommand(s.name, s.help);
    add_output(cmd);
    cmd->add_option("args", args, "NAME");
    auto run = s.run;
    cmd->callback([&, run] {
      rc = run(client(), out, Args{"sys/namespaces/" + (args.empty() ? std::string() : args[0])});
    });
  }

  // --- profile ---
  CLI::App* profile = app.add_subcommand("profile", "Profiles: one call gathers many secrets");
  profile->require_subcommand(1);
  CLI::App* prw = profile->add_subcommand("write", "Upload a profile: NAME FILE|-");
  add_output(prw);
  prw->add_option("args", args, "NAME FILE");
  prw->callback([&] { rc = CmdProfileWrite(client(), args); });
  CLI::App* prr = profile->add_subcommand("read", "Show a profile");
  add_output(prr);
  prr->add_option("args", args, "NAME");
  prr->callback([&] { rc = CmdProfileRead(client(), out, args); });
  CLI::App* prl = profile->add_subcommand("list", "List profiles");
  add_output(prl);
  prl->callback([&] { rc = CmdProfileList(client(), out); });
  CLI::App* prd = profile->add_subcommand("delete", "Delete a profile");
  add_output(prd);
  prd->add_option("args", args, "NAME");
  prd->callback([&] { rc = CmdProfileDelete(client(), args); });
  ProfileSignFlags sign;
  for (const char* action : {"execute", "plan", "debug"}) {
    CLI::App* run = profile->add_subcommand(
        action, std::string("Profile ") + action + ": NAME key=value|key:=JSON...");
    add_output(run);
    run->add_option("--sign-key", sign.key_file, "Signed input: PEM private key (no token sent)");
    run->add_option("--kid", sign.kid, "Signed input: the key binding's name (default: jwk)");
    run->add_option("args", args, "NAME [key=value ...]");
    run->callback([&, action] { rc = CmdProfileRun(client(), out, sign, action, args); });
  }

  // --- token ---
  TokenFlags token;
  CLI::App* tok = app.add_subcommand("token", "Tokens");
  tok->require_subcommand(1);
  CLI::App* tc = tok->add_subcommand("create", "Create a token");
  add_output(tc);
  Repeatable(tc->add_option("--policy", token.policies, "Policy (repeatable)"));
  Repeatable(tc->add_option("--metadata", token.metadata, "key=value (repeatable)"));
  tc->add_option("--ttl", token.ttl, "TTL");
  tc->add_option("--explicit-max-ttl", token.explicit_max_ttl, "Hard maximum TTL");
  tc->add_option("--period", token.period, "Periodic token period");
  tc->add_option("--display-name", token.display_name, "Display name");
  tc->add_option("--id", token.id, "Token id (root only)");
  tc->add_option("--role", token.role, "Token role");
  tc->add_option("--use-limit", token.use_limit, "Number of uses");
  tc->add_flag("--orphan", token.orphan, "Create without a parent");
  tc->add_flag("--no-default-policy", token.no_default_policy, "Leave out default");
  tc->add_option("--renewable", token.renewable, "true or false");
  tc->callback([&] { rc = CmdTokenCreate(client(), out, token); });
  CLI::App* tl = tok->add_subcommand("lookup", "Look up a token (default: your own)");
  add_output(tl);
  tl->add_flag("--accessor", token.accessor, "The argument is an accessor");
  tl->add_option("args", args, "[TOKEN]");
  tl->callback([&] { rc = CmdTokenLookup(client(), out, token, args); });
  CLI::App* tr = tok->add_subcommand("renew", "Renew a token (default: your own)");
  add_output(tr);
  tr->add_flag("--accessor", token.accessor, "The argument is an accessor");
  tr->add_option("--increment", token.increment, "Requested TTL");
  tr->add_option("args", args, "[TOKEN]");
  tr->callback([&] { rc = CmdTokenRenew(client(), out, token, args); });
  CLI::App* tv = tok->add_subcommand("revoke", "Revoke a token and its children");
  add_output(tv);
  tv->add_flag("--accessor", token.accessor, "The argument is an accessor");
  tv->add_flag("--self", token.self, "Revoke your own token");
  tv->add_option("args", args, "[TOKEN]");
  tv->callback([&] { rc = CmdTokenRevoke(client(), token, args); });

  // --- local tools: hcl check, cel eval|check ---
  std::vector<std::string> files;
  CLI::App* hcl = app.add_subcommand("hcl", "HCL tools");
  hcl->require_subcommand(1);
  CLI::App* hcl_check = hcl->add_subcommand("check", "Syntax-check HCL or JSON files");
  hcl_check->add_option("files", files, "FILE...")->required();
  hcl_check->callback([&] { rc = cellar::hcl::CheckFiles(files, std::cout); });

  CLI::App* cel = app.add_subcommand("cel", "CEL tools: evaluate or type-check an expression");
  cel->require_subcommand(1);
  std::vector<std::string> cel_vars;
  std::vector<std::string> cel_decls;
  std::string cel_expr;
  CLI::App* cel_eval = cel->add_subcommand("eval", "Evaluate an expression locally");
  Repeatable(cel_eval->add_option("--var", cel_vars, "NAME=JSON (repeatable)"));
  Repeatable(cel_eval->add_option("--decl", cel_decls, "NAME=TYPE (repeatable)"));
  cel_eval->add_option("expr", cel_expr, "Expression")->required();
  CLI::App* cel_check = cel->add_subcommand("check", "Type-check an expression");
  Repeatable(cel_check->add_option("--decl", cel_decls, "NAME=TYPE (repeatable)"));
  cel_check->add_option("expr", cel_expr, "Expression")->required();
#if CELLAR_HAVE_CEL
  cel_eval->callback(
      [&] { rc = cellar::cel::EvalCommand(cel_vars, cel_decls, cel_expr, std::cout, std::cerr); });
  cel_check->callback(
      [&] { rc = cellar::cel::CheckCommand(cel_decls, cel_expr, std::cout, std::cerr); });
#else
  // TODO(cel): built without src/cel; the commands exist so scripts get a clear message.
  auto no_cel = [&] {
    std::cerr << "cellar was built without the CEL layer\n";
    rc = 1;
  };
  cel_eval->callback(no_cel);
  cel_check->callback(no_cel);
#endif

  try {
    app.parse(static_cast<int>(cargv.size()), cargv.data());
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return rc;
}
