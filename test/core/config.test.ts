// The configuration file both the CLI and the synth guard read: found the same way (explicit
// path, then $RESIDENCY_GUARD_CONFIG, then ./residency-guard.config.json), validated by the
// published JSON Schema, and merged into the synth guard's settings.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError, formatError } from "../../src/core/errors";
import { CONFIG_FILE_NAME, findConfigFile, loadConfig, resolveConfig, synthMode } from "../../src/core/config";
import { resolveSynthSettings } from "../../src/synth/settings";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rg-core-config-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, doc: unknown) => {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof doc === "string" ? doc : JSON.stringify(doc, null, 2));
  return file;
};

describe("finding the configuration file", () => {
  it("takes the explicit path, else the environment variable, else the working directory", () => {
    const local = write(CONFIG_FILE_NAME, { profile: "risk-based" });
    const other = write("ci/rg.json", { profile: "kr-localization" });
    expect(findConfigFile({ cwd: dir, env: {} })).toBe(local);
    expect(findConfigFile({ cwd: dir, env: { RESIDENCY_GUARD_CONFIG: "ci/rg.json" } })).toBe(other);
    expect(findConfigFile({ explicit: "ci/rg.json", cwd: dir, env: { RESIDENCY_GUARD_CONFIG: "x.json" } })).toBe(other);
    expect(findConfigFile({ explicit: false, cwd: dir, env: { RESIDENCY_GUARD_CONFIG: "ci/rg.json" } })).toBeNull();
    fs.rmSync(local);
    expect(findConfigFile({ cwd: dir, env: {} })).toBeNull();
    expect(resolveConfig({ cwd: dir, env: {} })).toBeNull();
  });

  it("fails on a file named by the environment variable that does not exist", () => {
    expect(() => resolveConfig({ cwd: dir, env: { RESIDENCY_GUARD_CONFIG: "missing.json" } })).toThrow(
      /missing\.json: cannot read configuration: ENOENT/,
    );
  });

  it("resolves paths against the configuration file's folder", () => {
    const file = write("cfg/rg.json", { data: ["d.yaml"], waivers: "w.yaml", policies: "rego", entrypoint: "a/b" });
    expect(loadConfig(file)).toEqual({
      file,
      data: [path.join(dir, "cfg", "d.yaml")],
      waivers: path.join(dir, "cfg", "w.yaml"),
      policies: path.join(dir, "cfg", "rego"),
      entrypoint: "a/b",
    });
  });

  it("names file, line:col and field for every schema problem", () => {
    const file = write(CONFIG_FILE_NAME, '{\n  "synth": "warn",\n  "waiverLimits": { "maxDays": "30" }\n}\n');
    let err: ConfigError | undefined;
    try {
      loadConfig(file);
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(formatError(err!).sort()).toEqual([
      `${file}:2:12: synth: must be one of "stop", "report"`,
      `${file}:3:32: waiverLimits.maxDays: must be integer`,
    ]);
  });
});

describe("synth mode", () => {
  it("is the environment variable, else the option, else the configuration, else stop", () => {
    const config = { file: "c.json", synth: "report" as const };
    expect(synthMode({}, undefined, null)).toBe("stop");
    expect(synthMode({}, undefined, config)).toBe("report");
    expect(synthMode({}, "stop", config)).toBe("stop");
    expect(synthMode({ RESIDENCY_GUARD_SYNTH: "report" }, "stop", null)).toBe("report");
    expect(synthMode({ RESIDENCY_GUARD_SYNTH: "stop" }, undefined, config)).toBe("stop");
    expect(synthMode({ RESIDENCY_GUARD_SYNTH: "" }, undefined, null)).toBe("stop");
  });

  it("rejects any other value of RESIDENCY_GUARD_SYNTH", () => {
    expect(() => synthMode({ RESIDENCY_GUARD_SYNTH: "warn" }, undefined, null)).toThrow(
      'environment: RESIDENCY_GUARD_SYNTH: must be "stop" or "report", not "warn"',
    );
  });
});

describe("synth guard settings", () => {
  it("reads the same file as the CLI; attach() options win", () => {
    write(CONFIG_FILE_NAME, {
      profile: "risk-based",
      level: "advisory",
      data: ["d.json"],
      waivers: "w.yaml",
      waiverLimits: { maxDays: 30 },
      policies: "rego",
      entrypoint: "acme/findings",
      synth: "report",
    });
    const s = resolveSynthSettings({}, {}, dir);
    expect(s).toEqual({
      configFile: path.join(dir, CONFIG_FILE_NAME),
      mode: "report",
      failOnAdvisory: true,
      policiesDir: path.join(dir, "rego"),
      load: {
        profile: "risk-based",
        dataFiles: [path.join(dir, "d.json")],
        waiversFile: path.join(dir, "w.yaml"),
        entrypoint: "acme/findings",
        waiverLimits: { maxDays: 30 },
        waiverLimitsFile: path.join(dir, CONFIG_FILE_NAME),
      },
    });
    const own = resolveSynthSettings(
      { profile: "kr-localization", policyFile: "/p.wasm", failOnAdvisory: false, mode: "stop" },
      {},
      dir,
    );
    expect(own).toMatchObject({ mode: "stop", failOnAdvisory: false, load: { profile: "kr-localization" } });
    expect(own.policiesDir).toBeUndefined();
    expect(own.load.policyFile).toBe("/p.wasm");
    expect(resolveSynthSettings({}, { RESIDENCY_GUARD_SYNTH: "stop" }, dir).mode).toBe("stop");
    expect(resolveSynthSettings({ configFile: false }, {}, dir)).toEqual({
      configFile: null,
      mode: "stop",
      failOnAdvisory: false,
      load: { waiverLimits: {} },
    });
  });
});
