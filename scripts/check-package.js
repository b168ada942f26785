#!/usr/bin/env node
// Checks the built package before it is packed (run by prepack): every shipped piece exists,
// nothing development-only is left in dist/, and the shipped JavaScript requires only Node
// built-ins and the package's own `dependencies` (so the CLI works without cdktf, constructs,
// provider-aws or assemblyscript installed). Exit 1 with the list of problems otherwise.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { builtinModules } = require("node:module");

const root = path.resolve(__dirname, "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));

const REQUIRED = [
  "LICENSE",
  "README.md",
  "dist/src/index.js",
  "dist/src/index.d.ts",
  "dist/src/synth/index.js",
  "dist/src/synth/index.d.ts",
  "dist/src/cli/main.js",
  "dist/compiler/index.js",
  "dist/compiler/index.d.ts",
  "dist/compiler/cli/main.js",
  "dist/src/inputs/input.schema.json",
  "dist/policies/residency-guard.wasm",
  "dist/policies/rule-metadata.json",
  "compiler/runtime/build/runtime.wasm",
  "policies/findings.rego",
  "policies/data/defaults.json",
  "schemas/residency-guard.config.schema.json",
];
const FORBIDDEN_DIRS = ["dist/test", "dist/bench", "dist/stacks"];

function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

/** Problems found in the working tree that `npm pack` is about to pack. */
function checkPackage() {
  const problems = [];
  for (const file of REQUIRED) {
    if (!fs.existsSync(path.join(root, file))) problems.push(`missing ${file}`);
  }
  for (const dir of FORBIDDEN_DIRS) {
    if (fs.existsSync(path.join(root, dir))) problems.push(`${dir} must not be shipped (development build output)`);
  }
  const shipped = [...walk(path.join(root, "dist", "src")), ...walk(path.join(root, "dist", "compiler"))];
  const allowed = new Set([...Object.keys(pkg.dependencies ?? {}), ...builtinModules]);
  for (const file of shipped) {
    const rel = path.relative(root, file);
    if (file.endsWith(".map")) problems.push(`${rel}: source map without its sources`);
    if (!file.endsWith(".js")) continue;
    const text = fs.readFileSync(file, "utf8");
    if (text.includes("sourceMappingURL=")) problems.push(`${rel}: points to a source map that is not shipped`);
    for (const m of text.matchAll(/\brequire\("([^"]+)"\)/g)) {
      const spec = m[1];
      if (spec.startsWith(".") || spec.startsWith("node:")) continue;
      const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
      if (!allowed.has(name)) problems.push(`${rel}: requires "${spec}", which is not in "dependencies"`);
    }
  }
  for (const bin of Object.values(pkg.bin ?? {})) {
    const file = path.join(root, bin);
    if (!fs.existsSync(file)) problems.push(`bin ${bin} is missing`);
    else if (!fs.readFileSync(file, "utf8").startsWith("#!/usr/bin/env node"))
      problems.push(`bin ${bin} has no shebang`);
  }
  return problems;
}

if (require.main === module) {
  const problems = checkPackage();
  if (problems.length > 0) {
    process.stderr.write(`check-package: the package is incomplete:\n  ${problems.join("\n  ")}\n`);
    process.exit(1);
  }
  process.stdout.write(`check-package: ${REQUIRED.length} required files present, dist/ clean\n`);
}

module.exports = { checkPackage };
