// tools/cel_conformance/convert.mjs: dumps the cel-spec conformance suite (npm @bufbuild/cel-spec)
// to JSON under tests/cel_conformance/data so the C++ runner needs neither network nor Node.
//
// Usage: cd tools/cel_conformance && npm install && node convert.mjs [OUT_DIR]
import { writeFileSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { toJson, toBinary, create } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { getConformanceSuite } from "@bufbuild/cel-spec/testdata/tests.js";
import { getTestRegistry } from "@bufbuild/cel-spec/testdata/registry.js";
import { SimpleTestSchema } from "@bufbuild/cel-spec/cel/expr/conformance/test/simple_pb.js";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = process.argv[2] ?? join(here, "../../tests/cel_conformance/data");
mkdirSync(outDir, { recursive: true });

const LICENCE =
  "Test data from the CEL specification (https://github.com/google/cel-spec, " +
  "tests/simple/testdata), as packaged by @bufbuild/cel-spec. Copyright Google LLC and " +
  "Buf Technologies, Inc. Licensed under the Apache License, Version 2.0 " +
  "(http://www.apache.org/licenses/LICENSE-2.0).";

const registry = getTestRegistry();

// Proto JSON cannot carry proto2 extensions through Any, so every objectValue also gets its
// binary form: {"objectValue": {..., "@binary": {"typeUrl": ..., "value": <base64>}}}.
function valueBinary(msg, json) {
  if (!msg || !json) return;
  const kind = msg.kind;
  if (kind.case === "objectValue") {
    json.objectValue["@binary"] = {
      typeUrl: kind.value.typeUrl,
      value: Buffer.from(kind.value.value).toString("base64"),
    };
  } else if (kind.case === "listValue") {
    kind.value.values.forEach((v, i) => valueBinary(v, json.listValue.values[i]));
  } else if (kind.case === "mapValue") {
    kind.value.entries.forEach((e, i) => {
      valueBinary(e.key, json.mapValue.entries[i].key);
      valueBinary(e.value, json.mapValue.entries[i].value);
    });
  }
}
function addBinaryObjects(test, json) {
  if (test.resultMatcher.case === "value") valueBinary(test.resultMatcher.value, json.value);
  if (test.resultMatcher.case === "typedResult" && json.typedResult) {
    valueBinary(test.resultMatcher.value.result, json.typedResult.result);
  }
  for (const [name, b] of Object.entries(test.bindings ?? {})) {
    if (b.kind.case === "value") valueBinary(b.kind.value, json.bindings[name].value);
  }
}
// Boost.JSON 1.81 (the C++ runner's parser) reads some exponent-form doubles one ulp low (7e+23
// as 6.999999999999999e+23), so those go out as proto JSON's string form, which the runner
// reads with strtod.
function exactDoubles(key, value) {
  if (key === "doubleValue" && typeof value === "number" && String(value).includes("e")) {
    return String(value);
  }
  return value;
}
const suite = getConformanceSuite();
let total = 0;
const files = [];
for (const file of suite.suites) {
  const sections = file.suites.map((section) => ({
    name: section.name,
    tests: section.tests.map((t) => {
      const json = toJson(SimpleTestSchema, t.original, { registry });
      if (!json.name) json.name = t.name;
      addBinaryObjects(t.original, json);
      return json;
    }),
  }));
  const count = sections.reduce((n, s) => n + s.tests.length, 0);
  total += count;
  const text = JSON.stringify({ licence: LICENCE, name: file.name, sections }, exactDoubles, 1);
  if (text.length > 2 * 1024 * 1024) throw new Error(`${file.name} is over 2 MiB`);
  writeFileSync(join(outDir, `${file.name}.json`), text + "\n");
  files.push(`${file.name} ${count}`);
}

// The descriptors of every message the tests use, for the engine's DescriptorPool.
const set = create(FileDescriptorSetSchema, { file: [] });
const seen = new Set();
function addFile(f) {
  if (seen.has(f.name)) return;
  seen.add(f.name);
  for (const dep of f.dependencies) addFile(dep);
  set.file.push(f.proto);
}
for (const type of registry) {
  if (type.file) addFile(type.file);
}
writeFileSync(join(outDir, "test_types.binpb"), toBinary(FileDescriptorSetSchema, set));
writeFileSync(join(outDir, "INDEX"), files.join("\n") + "\n");
console.log(`${suite.suites.length} files, ${total} tests -> ${outDir}`);
