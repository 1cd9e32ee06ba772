// bench/cel/js_bench.mjs: runs a cel_bench cases file through the JavaScript CEL engines
// (@bufbuild/cel and @marcbachmann/cel-js) for comparison; prints JSON like cel_bench --json.
//   cd bench/cel && npm install && node js_bench.mjs cases.json
import { readFileSync } from "node:fs";
import { celEnv, plan, parse, isCelError, celUint } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import { timestampFromMs, durationFromMs } from "@bufbuild/protobuf/wkt";
import * as marc from "@marcbachmann/cel-js";

const cases = JSON.parse(readFileSync(process.argv[2], "utf8"));

// Tagged JSON -> engine inputs. `mapKind` picks how objects are represented.
function convert(v, engine) {
  if (v === null || typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "number") return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map((e) => convert(e, engine));
  const keys = Object.keys(v);
  if (keys.length === 1 && keys[0].startsWith("$")) {
    const x = v[keys[0]];
    switch (keys[0]) {
      case "$uint":
        return engine === "bufbuild" ? celUint(BigInt(x)) : BigInt(x);
      case "$double":
        return Number(x);
      case "$bytes":
        return Uint8Array.from(Buffer.from(x, "base64"));
      case "$timestamp":
        return engine === "bufbuild" ? timestampFromMs(Date.parse(x)) : new Date(x);
      case "$duration":
        return engine === "bufbuild" ? durationFromMs(parseFloat(x) * 1000) : x;
    }
  }
  if (engine === "bufbuild") {
    return new Map(keys.map((k) => [k, convert(v[k], engine)]));
  }
  return Object.fromEntries(keys.map((k) => [k, convert(v[k], engine)]));
}

function normalize(v) {
  if (typeof v === "bigint") return Number(v);
  if (v && typeof v === "object" && typeof v[Symbol.iterator] === "function" && !(v instanceof Map)) {
    return Array.from(v, normalize);
  }
  return v;
}

function timeIt(fn) {
  let iterations = 1;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    const ns = Number(process.hrtime.bigint() - start);
    if (ns > 2e8) return ns / iterations;
    iterations *= ns < 1e7 ? 10 : 2;
  }
}

const engines = {
  bufbuild: (expr, bindings) => {
    const env = celEnv({ funcs: strings });
    const fn = plan(env, parse(expr));
    return () => fn(bindings);
  },
  "marcbachmann": (expr, bindings) => {
    const fn = marc.parse(expr);
    return () => fn(bindings);
  },
};

const out = {};
for (const [engine, make] of Object.entries(engines)) {
  const bindings = {};
  for (const [k, v] of Object.entries(cases.bindings ?? {})) bindings[k] = convert(v, engine);
  out[engine] = [];
  for (const c of cases.cases) {
    let row = { name: c.name, ok: false };
    try {
      const run = make(c.expr, bindings);
      const got = run();
      const ok = !isCelError(got) && !(got instanceof Error) &&
        JSON.stringify(normalize(got)) === JSON.stringify(c.expected);
      row = { name: c.name, ok, ns_per_eval: timeIt(run) };
      if (!ok) row.got = String(got);
    } catch (e) {
      row.error = String(e).slice(0, 200);
    }
    out[engine].push(row);
  }
}
console.log(JSON.stringify(out));
