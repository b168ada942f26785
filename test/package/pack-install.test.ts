// The published package, used as a user would: `npm pack` of a copy of this checkout (so
// prepack builds from sources alone, as in a clean clone), the tarball installed into small
// cdktf apps written for this test (test/package/app, not the example stacks) with cdktf 0.21
// and 0.20, and into an empty folder without cdktf (the CLI-only footprint of a CI gate job).
// Installs prefer the npm cache; the suite skips, saying why, only when the registry is
// unreachable.

import { execFile, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

const ROOT = path.resolve(__dirname, "../..");
const APP_SOURCES = path.join(__dirname, "app");
const CDKTF_CLI = path.join(ROOT, "node_modules/.bin/cdktf");
const run = promisify(execFile);

// Each step spawns npm, node or the cdktf CLI; on a loaded machine one takes tens of seconds.
jest.setTimeout(150_000);

// Top-level entries a clean clone does not have (.gitignore) and that must not reach the copy.
const NOT_IN_A_CLONE = new Set(["node_modules", "dist", "cdktf.out", ".tmp", "coverage", ".git"]);

/** The registry answers `npm ping`, or the reason it does not. */
function registryProblem(): string | undefined {
  const r = spawnSync("npm", ["ping", "--fetch-retries=0", "--fetch-timeout=10000"], {
    encoding: "utf8",
    timeout: 30_000,
  });
  if (r.status === 0) return undefined;
  const why = (r.error?.message ?? `${r.stderr}`.trim().split("\n").pop()) || `exit ${r.status}`;
  return `npm registry unreachable (npm ping: ${why})`;
}

const problem = registryProblem();
if (problem) process.stderr.write(`test/package SKIPPED: ${problem}\n`);
const suite = problem ? describe.skip : describe;

interface Result {
  status: number;
  stdout: string;
  output: string;
}

/** Runs a command and resolves with its exit status and combined output (never rejects on exit != 0). */
async function sh(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Result> {
  try {
    const { stdout, stderr } = await run(cmd, args, {
      cwd,
      env: { ...process.env, CHECKPOINT_DISABLE: "1", CI: "1", FORCE_COLOR: "0", NO_COLOR: "1", ...env },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 180_000,
    });
    return { status: 0, stdout, output: `${stdout}\n${stderr}` };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string; message: string };
    if (typeof e.code !== "number") throw err;
    return { status: e.code, stdout: e.stdout ?? "", output: `${e.stdout ?? ""}\n${e.stderr ?? ""}` };
  }
}

async function mustRun(cmd: string, args: string[], cwd: string): Promise<string> {
  const r = await sh(cmd, args, cwd);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) exited ${r.status}:\n${r.output}`);
  return r.output;
}

/** A folder with a package.json of `dependencies`, installed from the cache where possible. */
async function installApp(dir: string, dependencies: Record<string, string>, omitDev = false): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: path.basename(dir), version: "1.0.0", private: true, dependencies }, null, 2),
  );
  const args = ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"];
  await mustRun("npm", omitDev ? [...args, "--omit=dev"] : args, dir);
}

function duBytes(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) total += duBytes(full);
    else if (e.isFile()) total += fs.statSync(full).size;
  }
  return total;
}

suite("the packed tarball installed into cdktf apps of its own", () => {
  let tmp: string;
  let tarball: string;
  let files: string[];
  const app = { v21: "", v20: "", cliOnly: "" };

  beforeAll(async () => {
    const started = Date.now();
    const phase = (what: string) =>
      process.stdout.write(`test/package: ${what} after ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rg-package-"));
    // A copy without build output, so prepack has to build everything a tarball needs.
    const src = path.join(tmp, "src");
    fs.cpSync(ROOT, src, {
      recursive: true,
      filter: (from) => {
        const rel = path.relative(ROOT, from);
        if (rel === path.join("compiler", "runtime", "build")) return false;
        return !NOT_IN_A_CLONE.has(rel.split(path.sep)[0]);
      },
    });
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(src, "node_modules"), "dir");
    await mustRun("npm", ["pack", "--pack-destination", tmp], src);
    const packed = fs.readdirSync(tmp).filter((f) => f.endsWith(".tgz"));
    expect(packed).toHaveLength(1);
    tarball = path.join(tmp, packed[0]);
    phase("npm pack (prepack build) done");
    files = (await mustRun("tar", ["-tzf", tarball], tmp))
      .split("\n")
      .filter((l) => l.startsWith("package/"))
      .map((l) => l.slice("package/".length));

    app.v21 = path.join(tmp, "app-cdktf-0.21");
    app.v20 = path.join(tmp, "app-cdktf-0.20");
    app.cliOnly = path.join(tmp, "gate-only");
    const guard = { "residency-guard": `file:${tarball}` };
    await Promise.all([
      installApp(app.v21, { ...guard, cdktf: "0.21.0", constructs: "10.8.1" }),
      installApp(app.v20, { ...guard, cdktf: "0.20.12", constructs: "10.3.0" }),
      installApp(app.cliOnly, guard, true),
    ]);
    phase("three installs done");
    for (const dir of [app.v21, app.v20]) {
      fs.cpSync(APP_SOURCES, dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify({ language: "javascript", app: "node main.js" }));
    }
  }, 300_000);

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test("the tarball holds the built package and nothing for development", () => {
    for (const required of [
      "LICENSE",
      "README.md",
      "package.json",
      "dist/src/index.js",
      "dist/src/index.d.ts",
      "dist/src/synth/index.js",
      "dist/src/cli/main.js",
      "dist/compiler/cli/main.js",
      "dist/policies/residency-guard.wasm",
      "compiler/runtime/build/runtime.wasm",
      "policies/findings.rego",
      "policies/data/defaults.json",
      "schemas/residency-guard.config.schema.json",
      "docs/cli.md",
    ]) {
      expect(files).toContain(required);
    }
    const unwanted = files.filter(
      (f) =>
        /^(dist\/(test|bench|stacks)|stacks|test|bench|scripts|node_modules|policies\/tools)\//.test(f) ||
        f.endsWith(".map") ||
        f.endsWith("_test.rego") ||
        (f.endsWith(".ts") && !f.endsWith(".d.ts")),
    );
    expect(unwanted).toEqual([]);
    expect(fs.readFileSync(path.join(app.cliOnly, "node_modules/residency-guard/LICENSE"), "utf8")).toContain(
      "Apache License",
    );
  });

  test("CLI-only install: no cdktf, assemblyscript or provider-aws, under 30 MB", async () => {
    const modules = path.join(app.cliOnly, "node_modules");
    for (const absent of ["cdktf", "constructs", "assemblyscript", "binaryen", "@cdktf/provider-aws"]) {
      expect(fs.existsSync(path.join(modules, absent))).toBe(false);
    }
    const mb = duBytes(modules) / 1e6;
    process.stdout.write(`test/package: CLI-only install is ${mb.toFixed(1)} MB of files\n`);
    expect(mb).toBeLessThan(30);
    const version = await sh("npx", ["--no", "--", "residency-guard", "--version"], app.cliOnly);
    expect(version.status).toBe(0);
    expect(version.output).toContain(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version);
  });

  test("npx rego-wasm build compiles a policy of its own that loadPolicy evaluates", async () => {
    const dir = app.cliOnly;
    fs.mkdirSync(path.join(dir, "policy"), { recursive: true });
    fs.copyFileSync(path.join(APP_SOURCES, "policy.rego"), path.join(dir, "policy", "policy.rego"));
    await mustRun(
      "npx",
      ["--no", "--", "rego-wasm", "build", "-e", "pkgtest/deny", "policy", "-o", "policy.wasm"],
      dir,
    );
    const script = `
      const { loadPolicy } = require("@open-policy-agent/opa-wasm");
      const fs = require("node:fs");
      loadPolicy(fs.readFileSync("policy.wasm")).then((policy) => {
        const input = { buckets: [{ name: "seoul", region: "ap-northeast-2" }, { name: "virginia", region: "us-east-1" }] };
        process.stdout.write(JSON.stringify(policy.evaluate(input, "pkgtest/deny")));
      });`;
    const out = await mustRun(process.execPath, ["-e", script], dir);
    expect(JSON.parse(out.trim())).toEqual([{ result: ["bucket virginia is in us-east-1"] }]);
  });

  test("TypeScript resolves every entry point with its types, without cdktf installed", async () => {
    const dir = app.cliOnly;
    fs.copyFileSync(path.join(APP_SOURCES, "consumer.ts"), path.join(dir, "consumer.ts"));
    const tsc = path.join(ROOT, "node_modules/typescript/bin/tsc");
    const types = path.join(ROOT, "node_modules/@types");
    const args = ["--noEmit", "--strict", "--module", "node16", "--moduleResolution", "node16", "--target", "es2022"];
    const r = await sh(
      process.execPath,
      [tsc, ...args, "--typeRoots", types, "--types", "node", "consumer.ts"],
      app.v21,
    );
    expect(r.output.trim()).toBe("");
    expect(r.status).toBe(0);
  });

  describe.each([
    ["0.21.0", "v21" as const],
    ["0.20.12", "v20" as const],
  ])("app on cdktf %s", (version, key) => {
    const dir = () => app[key];
    // Real `cdktf synth` (the CLI of this checkout) on the 0.21 app; `node main.js` on the 0.20 one.
    const synth = (env: Record<string, string>) =>
      key === "v21" ? sh(CDKTF_CLI, ["synth"], dir(), env) : sh(process.execPath, ["main.js"], dir(), env);
    const written = () => path.join(dir(), "cdktf.out", "stacks", "training", "cdk.tf.json");

    test("uses its own cdktf copy", () => {
      const pkg = path.join(dir(), "node_modules", "cdktf", "package.json");
      expect(JSON.parse(fs.readFileSync(pkg, "utf8")).version).toBe(version);
      expect(fs.existsSync(path.join(dir(), "node_modules", "residency-guard", "node_modules", "cdktf"))).toBe(false);
    });

    test("a stack training on personal data abroad fails synth, naming the findings", async () => {
      fs.rmSync(path.join(dir(), "cdktf.out"), { recursive: true, force: true });
      const r = await synth({ TRAIN_REGION: "us-east-1" });
      expect(r.status).not.toBe(0);
      expect(r.output).toContain("MANDATORY residency/personal-training-outside-korea");
      expect(r.output).toContain("MANDATORY residency/personal-store-outside-korea");
      expect(fs.existsSync(written())).toBe(false);
    });

    test("skipValidation: true is refused with a clear message", async () => {
      const r = await sh(process.execPath, ["main.js"], dir(), { TRAIN_REGION: "us-east-1", SKIP_VALIDATION: "1" });
      expect(r.status).not.toBe(0);
      expect(r.output).toContain("skipValidation: true, so cdktf would never run the guard");
      expect(fs.existsSync(written())).toBe(false);
    });

    test("the compliant Seoul stack passes and residency-guard check agrees", async () => {
      const r = await synth({});
      expect(r.output).toContain('residency-guard: stack "training" profile kr-localization: 0 mandatory');
      expect(r.status).toBe(0);
      expect(fs.existsSync(written())).toBe(true);
      const gate = await sh("npx", ["--no", "--", "residency-guard", "check", "cdktf.out"], dir());
      expect(gate.output).toContain("PASS");
      expect(gate.status).toBe(0);
    });

    test("unguarded synth of the violating stack: residency-guard check fails it", async () => {
      const r = await sh(process.execPath, ["main.js"], dir(), { TRAIN_REGION: "us-east-1", GUARD: "off" });
      expect(r.status).toBe(0);
      const gate = await sh("npx", ["--no", "--", "residency-guard", "check", "cdktf.out", "--format", "json"], dir());
      expect(gate.status).toBe(1);
      const report = JSON.parse(gate.stdout);
      const failing = report.findings
        .filter((f: { failing: boolean }) => f.failing)
        .map((f: { rule: string }) => f.rule);
      expect(failing.sort()).toEqual([
        "residency/personal-store-outside-korea",
        "residency/personal-training-outside-korea",
      ]);
    });
  });
});
