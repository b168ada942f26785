// Waiver scope and organization limits: `stack` limits a waiver to one cdktf stack (decided by the
// compiled policy), `waiverLimits` in the configuration bounds expiry and breadth, and a waiver
// that breaks a limit is an error naming the file and the line:col of the field.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError, formatError } from "../../src/core/errors";
import { matchesEverything, parseWaivers } from "../../src/core/waivers";
import { fixture, testGuard } from "../helpers/policy";

const NOW = new Date("2026-11-29T12:00:00Z");
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rg-core-waivers-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function thrown(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

const waiver = (over: Record<string, unknown> = {}) => ({
  rule: "safeguards/access-logging",
  address: "aws_s3_bucket.raw",
  reason: "logged by CloudTrail data events",
  approver: "privacy-office@example.com",
  expires: "2026-12-31",
  ...over,
});

describe("waiver limits", () => {
  it("rejects a waiver that expires later than maxDays from today, pointing at its expires field", () => {
    const text = `waivers:\n  - rule: safeguards/access-logging\n    address: aws_s3_bucket.raw\n    reason: logged elsewhere\n    approver: dpo@example.com\n    expires: 2099-12-31\n`;
    const err = thrown(() =>
      parseWaivers(text, "w.yaml", { now: NOW, limits: { maxDays: 90 }, limitsFile: "rg.json" }),
    );
    expect(formatError(err)).toEqual([
      "w.yaml:6:14: waivers[0]: expires 2099-12-31 is more than 90 days away (waiverLimits.maxDays in rg.json: 2027-02-27 at the latest)",
    ]);
    // On the limit itself: accepted.
    const ok = text.replace("2099-12-31", "2027-02-27");
    expect(parseWaivers(ok, "w.yaml", { now: NOW, limits: { maxDays: 90 } })).toHaveLength(1);
  });

  it("rejects an address that matches every resource unless allowWildcardAll", () => {
    const json = JSON.stringify({ waivers: [waiver(), waiver({ address: "*" })] }, null, 2);
    const err = thrown(() => parseWaivers(json, "w.json", { now: NOW, limits: {} }));
    expect(formatError(err)[0]).toMatch(
      /^w\.json:\d+:\d+: waivers\[1\]: address "\*" waives safeguards\/access-logging on every resource; .*allowWildcardAll/,
    );
    expect(parseWaivers(json, "w.json", { now: NOW, limits: { allowWildcardAll: true } })).toHaveLength(2);
    for (const glob of ["*", "**", "?*", "*?"]) expect([glob, matchesEverything(glob)]).toEqual([glob, true]);
    for (const glob of ["aws_*", "*.raw", "?", "module.*"])
      expect([glob, matchesEverything(glob)]).toEqual([glob, false]);
  });

  it("applies the limits to waivers in policy data files too, and the bare * by default", () => {
    const data = path.join(dir, "data.json");
    fs.writeFileSync(data, JSON.stringify({ residency_guard: { settings: { waivers: [waiver({ address: "*" })] } } }));
    expect(() => testGuard({ dataFiles: [data], now: NOW })).toThrow(/on every resource/);
    expect(() => testGuard({ dataFiles: [data], now: NOW, waiverLimits: { allowWildcardAll: true } })).not.toThrow();
    const file = path.join(dir, "w.json");
    fs.writeFileSync(file, JSON.stringify([waiver({ expires: "2027-06-01" })]));
    expect(() => testGuard({ waiversFile: file, now: NOW, waiverLimits: { maxDays: 30 } })).toThrow(
      /more than 30 days away/,
    );
  });

  it("keeps rule ids of custom policies valid and rejects malformed ones, naming the field's line", () => {
    expect(parseWaivers(JSON.stringify([waiver({ rule: "acme/no-public-buckets" })]), "w.json", NOW)).toHaveLength(1);
    const text =
      '[\n  {\n    "rule": "Public Access",\n    "address": "a", "reason": "abc", "approver": "a", "expires": "2027-01-01"\n  }\n]';
    expect(formatError(thrown(() => parseWaivers(text, "w.json", NOW)))[0]).toMatch(
      /^w\.json:3:13: waivers\[0\]: malformed waiver: rule must match pattern/,
    );
  });
});

describe("waivers scoped to a stack", () => {
  const safeguards = fixture("safeguards.json");
  const inStack = (stack: string | null) => ({ ...safeguards, source: { ...safeguards.source, stack } });

  it("waive only in the named stack; the same address in another stack stays a violation", () => {
    const file = path.join(dir, "stack.json");
    fs.writeFileSync(file, JSON.stringify([waiver({ stack: "training", address: "aws_s3_bucket.raw" })]));
    const guard = testGuard({ waiversFile: file, now: NOW });
    const status = (stack: string | null) =>
      guard
        .evaluate(inStack(stack), "risk-based")
        .findings.filter((f) => f.rule === "safeguards/access-logging" && f.address === "aws_s3_bucket.raw")
        .map((f) => f.status);
    expect(status("training")).toEqual(["waived"]);
    expect(status("serving")).toEqual(["violation"]);
    expect(status(null)).toEqual(["violation"]);
  });

  it("without a stack a waiver applies in every stack", () => {
    const file = path.join(dir, "all.json");
    fs.writeFileSync(file, JSON.stringify([waiver()]));
    const guard = testGuard({ waiversFile: file, now: NOW });
    for (const stack of ["training", "serving", null]) {
      const r = guard.evaluate(inStack(stack), "risk-based");
      expect(
        r.findings.find((f) => f.address === "aws_s3_bucket.raw" && f.rule === "safeguards/access-logging"),
      ).toMatchObject({ status: "waived" });
    }
  });
});
