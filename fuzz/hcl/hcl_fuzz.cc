// fuzz/hcl/hcl_fuzz.cc: feeds arbitrary bytes to every HCL entry point and walks the results.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hcl/eval.h"
#include "hcl/parser.h"
#include "hcl/schema.h"

namespace {

using cellar::hcl::Body;
using cellar::hcl::BodySchema;
using cellar::hcl::Diagnostics;

// A schema shaped like a Vault policy, so JSON block expansion and type checks run too.
const BodySchema& PolicySchema() {
  static const BodySchema* schema = [] {
    auto* s = new BodySchema();
    cellar::hcl::BlockSpec path;
    path.type = "path";
    path.labels = {"path"};
    path.body.attributes = {{"capabilities", cellar::hcl::Type::kStringList},
                            {"policy", cellar::hcl::Type::kString},
                            {"allowed_parameters", cellar::hcl::Type::kMap}};
    s->blocks.push_back(path);
    s->allow_any_attributes = true;
    return s;
  }();
  return *schema;
}

void Walk(const Body& body) {
  Diagnostics diags;
  for (const auto& attr : body.attributes) {
    (void)cellar::hcl::Evaluate(*attr.expr, diags);
  }
  for (const auto& block : body.blocks) {
    Walk(block.body);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  cellar::hcl::ParseResult r = cellar::hcl::ParseConfig(text, "fuzz.hcl");
  (void)cellar::hcl::DumpBody(r.body());
  (void)cellar::hcl::FormatDiagnostics(r.diagnostics, text);
  Walk(r.body());
  Diagnostics diags;
  (void)cellar::hcl::Decode(r.body(), PolicySchema(), diags);

  cellar::hcl::ParseResult e = cellar::hcl::ParseExpression(text, "fuzz.expr");
  if (e.file->expr() != nullptr) {
    (void)cellar::hcl::DumpExpr(*e.file->expr());
    if (e.ok()) {
      (void)cellar::hcl::Evaluate(*e.file->expr(), diags);
    }
  }
  return 0;
}
