// Waivers: validated in TypeScript (malformed or expired -> ConfigError naming file and entry),
// matched inside the compiled policy, which turns a violation into status "waived".

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError } from "../../src/core/errors";
import { globToRegex, parseWaivers } from "../../src/core/waivers";
import { fixture, testGuard } from "../helpers/policy";

const NOW = new Date("2026-11-29T12:00:00Z");
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rg-waivers-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const VALID_YAML = `waivers:
  - rule: safeguards/access-logging
    address: "aws_*.raw"
    reason: Raw zone is logged by CloudTrail data events instead
    approver: privacy-office@example.com
    expires: 2026-12-31
  - rule: residency/personal-training-outside-korea
    address: 'aws_instance.pool["*"]'
    reason: Migration to Seoul tracked in TICKET-42
    approver: cpo@example.com
    expires: 2026-11-29
`;

describe("waiver validation", () => {
  it("accepts YAML and JSON, and keeps waivers valid through their expiry day", () => {
    expect(parseWaivers(VALID_YAML, "w.yaml", NOW)).toHaveLength(2);
    const json = JSON.stringify([
      { rule: "safeguards/public-access", address: "*", reason: "demo stack", approver: "me", expires: "2027-01-01" },
    ]);
    expect(parseWaivers(json, "w.json", NOW)[0].address_regex).toBe("^.*$");
  });

  it("rejects an expired waiver, naming the file and entry", () => {
    const text = VALID_YAML.replace("2026-11-29", "2026-11-28");
    expect(() => parseWaivers(text, "w.yaml", NOW)).toThrow(ConfigError);
    expect(() => parseWaivers(text, "w.yaml", NOW)).toThrow(
      /^w\.yaml: waivers\[1\]: waiver for residency\/personal-training-outside-korea .* expired on 2026-11-28/,
    );
  });

  it.each([
    [
      "missing approver",
      { rule: "safeguards/public-access", address: "*", reason: "because", expires: "2027-01-01" },
      /must have required property 'approver'/,
    ],
    [
      "bad date",
      { rule: "safeguards/public-access", address: "*", reason: "because", approver: "a", expires: "next week" },
      /expires must match format "date"/,
    ],
    [
      "bad rule id",
      { rule: "Public Access", address: "*", reason: "because", approver: "a", expires: "2027-01-01" },
      /rule must match pattern/,
    ],
    [
      "unknown field",
      {
        rule: "safeguards/public-access",
        address: "*",
        reason: "because",
        approver: "a",
        expires: "2027-01-01",
        note: 1,
      },
      /additional properties/,
    ],
  ])("rejects a malformed waiver (%s)", (_name, entry, message) => {
    const text = JSON.stringify({ waivers: [entry] });
    expect(() => parseWaivers(text, "w.json", NOW)).toThrow(message);
    expect(() => parseWaivers(text, "w.json", NOW)).toThrow(/^w\.json: waivers\[0\]: malformed waiver/);
  });

  it("rejects unparseable files and waivers for unknown rules", () => {
    expect(() => parseWaivers("waivers: [", "w.yaml", NOW)).toThrow(/^w\.yaml: cannot parse waivers/);
    const text = JSON.stringify([
      { rule: "safeguards/no-such-rule", address: "*", reason: "because", approver: "a", expires: "2027-01-01" },
    ]);
    expect(() => parseWaivers(text, "w.json", NOW, new Set(["safeguards/public-access"]))).toThrow(
      /waivers\[0\]: unknown rule safeguards\/no-such-rule/,
    );
  });

  it("translates address globs to anchored regular expressions", () => {
    const re = (g: string) => new RegExp(globToRegex(g));
    expect(re('aws_instance.pool["*"]').test('aws_instance.pool["singapore"]')).toBe(true);
    expect(re("aws_instance.pool").test('aws_instance.pool["singapore"]')).toBe(false);
    expect(re("module.*.aws_s3_bucket.raw").test("module.a.module.b.aws_s3_bucket.raw")).toBe(true);
    expect(re("aws_s3_bucket.r?w").test("aws_s3_bucket.raw")).toBe(true);
    expect(re("aws_s3_bucket.raw").test("aws_s3_bucketxraw")).toBe(false);
  });
});

describe("waivers in the compiled policy", () => {
  it("turns matching violations into waived findings and leaves the rest", () => {
    const file = write("waivers.yaml", VALID_YAML);
    const guard = testGuard({ waiversFile: file, now: NOW });
    const r = guard.evaluate(fixture("safeguards.json"), "risk-based");
    const waived = r.findings.filter((f) => f.status === "waived");
    expect(waived.map((f) => `${f.rule} ${f.address}`)).toEqual(["safeguards/access-logging aws_s3_bucket.raw"]);
    expect(waived[0].waiver).toEqual({
      reason: "Raw zone is logged by CloudTrail data events instead",
      approver: "privacy-office@example.com",
      expires: "2026-12-31",
      pattern: "aws_*.raw",
    });
    // Same rule, other address: still a violation.
    expect(
      r.findings.some(
        (f) =>
          f.rule === "safeguards/access-logging" && f.address === "aws_db_instance.members" && f.status === "violation",
      ),
    ).toBe(true);
    expect(r.summary.waived).toBe(1);
    expect(r.summary.advisory).toBe(1);

    const lifecycle = guard.evaluate(fixture("lifecycle.json"), "kr-localization");
    expect(lifecycle.findings.filter((f) => f.status === "waived").map((f) => f.address)).toEqual([
      'aws_instance.pool["singapore"]',
    ]);
    expect(lifecycle.summary.mandatory).toBe(2);
  });

  it("fails to load with an expired waivers file", () => {
    const file = write("expired.yaml", VALID_YAML.replace("2026-12-31", "2025-01-01"));
    expect(() => testGuard({ waiversFile: file, now: NOW })).toThrow(ConfigError);
    expect(() => testGuard({ waiversFile: file, now: NOW })).toThrow(`${file}: waivers[0]`);
  });
});
