// The prebuilt rule metadata index (dist/policies/rule-metadata.json, `npm run build:rules`) only
// saves parsing: every entry equals what parsing the file gives, and an edited rule file misses
// the index and is parsed (and validated) again.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError } from "../../src/core/errors";
import { RULE_INDEX_FILE, buildRuleIndex, loadRuleMetadata, parseRuleMetadata } from "../../src/core/rules";

const root = path.resolve(__dirname, "../..");
const policies = path.join(root, "policies");
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rg-core-rules-"));
  fs.cpSync(path.join(policies, "rules"), path.join(dir, "rules"), { recursive: true });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const RULE = path.join("safeguards", "access_logging.rego");

test("the index built by `npm run build` holds exactly what parsing gives", () => {
  const file = path.join(root, RULE_INDEX_FILE);
  expect(fs.existsSync(file)).toBe(true);
  const written = JSON.parse(fs.readFileSync(file, "utf8")) as Array<{ key: string; meta: unknown }>;
  expect(written).toEqual(buildRuleIndex(policies));
  for (const { key, meta } of written) {
    const rel = key.split("\u0000")[0]!;
    const text = fs.readFileSync(path.join(policies, "rules", rel), "utf8");
    expect(meta).toEqual(parseRuleMetadata(rel.split("/").join(path.sep), text));
  }
});

test("unchanged rules read from the index equal the parsed ones", () => {
  const parsed = buildRuleIndex(policies).map((e) => e.meta);
  expect(loadRuleMetadata(dir)).toEqual(loadRuleMetadata(policies));
  expect(new Set(loadRuleMetadata(dir).map((r) => r.id))).toEqual(new Set(parsed.map((r) => r.id)));
});

test("an edited rule file is parsed again, not taken from the index", () => {
  const file = path.join(dir, "rules", RULE);
  const text = fs.readFileSync(file, "utf8");
  fs.writeFileSync(file, text.replace("#   level: advisory", "#   level: mandatory"));
  const rule = loadRuleMetadata(dir).find((r) => r.id === "safeguards/access-logging");
  expect(rule?.level).toBe("mandatory");
  fs.writeFileSync(file, text.replace("#   level: advisory", "#   level: severe"));
  expect(() => loadRuleMetadata(dir)).toThrow(ConfigError);
  fs.writeFileSync(file, text);
});

test("callers get their own copies of indexed metadata", () => {
  const first = loadRuleMetadata(policies);
  const profiles = [...first[0]!.profiles];
  first[0]!.profiles.push("risk-based");
  first[0]!.title = "changed";
  const second = loadRuleMetadata(policies);
  expect(second[0]!.title).not.toBe("changed");
  expect(second[0]!.profiles).toEqual(profiles);
});
