#!/usr/bin/env node
// `npm pack` / `npm publish` (prepack): a clean build of exactly what the package ships (runtime
// Wasm, the TypeScript of src/ and compiler/ without tests, benchmarks or source maps, the policy
// Wasm), then scripts/check-package.js, so a tarball with missing pieces is never produced.
"use strict";

const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");

function step(label, command, args) {
  process.stdout.write(`prepack: ${label}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    process.stderr.write(`prepack: ${label} failed (exit ${result.status})\n`);
    process.exit(1);
  }
}

// A stale dist/ from a development build holds tests, benchmarks, example stacks and source maps.
fs.rmSync(path.join(root, "dist"), { recursive: true, force: true });
step("runtime Wasm", process.execPath, ["compiler/runtime/build.js"]);
step("TypeScript (tsconfig.build.json)", process.execPath, [
  require.resolve("typescript/bin/tsc", { paths: [root] }),
  "-p",
  "tsconfig.build.json",
]);
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
// The same command line as `npm run build:policies`, without a second npm process.
const policies = pkg.scripts["build:policies"].split(" ");
if (policies[0] !== "node") throw new Error('prepack: scripts["build:policies"] must start with "node"');
step("policy Wasm", process.execPath, policies.slice(1));
step("rule metadata index", process.execPath, ["scripts/build-rule-index.js"]);
step("package check", process.execPath, ["scripts/check-package.js"]);
