// Properties of the compiled policy over generated variations of the fixtures: a personal-data
// training workload is never passed when its location is unknown or outside Korea (fail closed),
// and removing the personal classification never adds findings.

import fc from "fast-check";
import type { GuardInput, LocationSource } from "../../src/inputs/types";
import type { Guard } from "../../src/engine";
import { fixture, testGuard } from "../helpers/policy";

let guard: Guard;
beforeAll(() => {
  guard = testGuard();
});

const FIXTURES = ["seoul-compliant.json", "shared-infrastructure.json", "sector.json", "lifecycle.json"];
// The probe that decides whether a workload is personal uses sa-east-1, which is not generated.
const PROBE_REGION = "sa-east-1";
const FOREIGN = ["us-east-1", "us-west-2", "eu-central-1", "ap-northeast-1", "ap-northeast-3", "ap-southeast-1"];
const UNKNOWN: LocationSource[] = ["unknown-at-plan", "unresolved"];

const clone = (d: GuardInput): GuardInput => JSON.parse(JSON.stringify(d)) as GuardInput;

describe("fail-closed properties", () => {
  it("reports a personal training workload moved outside Korea or to an unknown location", () => {
    const docs = FIXTURES.map((f) => {
      const d = fixture(f);
      // Judge only the live personal training workloads found through their lineage.
      const all = guard.evaluate(d, "kr-localization").findings;
      const residency = all.filter((x) => x.rule === "residency/personal-training-outside-korea").map((x) => x.address);
      const candidates = Object.values(d.resources)
        .filter((r) => r.action !== "delete" && /^aws_(instance|sagemaker_notebook_instance)\./.test(r.address))
        .map((r) => r.address)
        .filter((a) => !residency.includes(a));
      return { d, candidates };
    }).filter((x) => x.candidates.length > 0);
    expect(docs.length).toBeGreaterThan(0);
    let personalSeen = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: docs.length - 1 }),
        fc.nat(),
        fc.oneof(fc.constantFrom(...FOREIGN), fc.constantFrom(...UNKNOWN)),
        (di, ai, where) => {
          const { d, candidates } = docs[di];
          const address = candidates[ai % candidates.length];
          const personal = isPersonalTraining(d, address);
          if (personal) personalSeen++;
          const moved = clone(d);
          moved.resources[address].location = FOREIGN.includes(where)
            ? {
                cloud: "aws",
                region: where,
                source: "provider-config",
                detail: `provider "aws.x" (region = "${where}")`,
              }
            : { cloud: "aws", region: null, source: where as LocationSource, detail: "region not known" };
          const rules = guard
            .evaluate(moved, "kr-localization")
            .findings.filter((f) => f.address === address && f.status === "violation")
            .map((f) => f.rule);
          if (!personal) return rules.every((r) => !r.startsWith("residency/"));
          return FOREIGN.includes(where)
            ? rules.includes("residency/personal-training-outside-korea")
            : rules.includes("residency/unresolved-location");
        },
      ),
      { numRuns: 60 },
    );
    expect(personalSeen).toBeGreaterThan(10);
  });

  it("never adds findings when personal classifications are removed", () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIXTURES, "cross-border.json", "safeguards.json"), fc.nat(), (file, seed) => {
        const d = fixture(file);
        const tagged = Object.values(d.resources).filter((r) => /personal|pii/i.test(JSON.stringify(r.tags)));
        if (!tagged.length) return true;
        const target = tagged[seed % tagged.length];
        const stripped = clone(d);
        stripped.resources[target.address].tags = { DataClassification: "public" };
        for (const profile of ["kr-localization", "risk-based"] as const) {
          const key = (f: { rule: string; address: string }) => `${f.rule} ${f.address}`;
          const before = new Set(guard.evaluate(d, profile).findings.map(key));
          const after = guard.evaluate(stripped, profile).findings.map(key);
          if (after.some((k) => !before.has(k))) return false;
        }
        return true;
      }),
      { numRuns: 40 },
    );
  });
});

/** Whether address is judged a personal training workload (placed in the probe region, it breaks residency). */
function isPersonalTraining(d: GuardInput, address: string): boolean {
  const probe = clone(d);
  probe.resources[address].location = {
    cloud: "aws",
    region: PROBE_REGION,
    source: "provider-config",
    detail: "probe",
  };
  return guard
    .evaluate(probe, "kr-localization")
    .findings.some((f) => f.address === address && f.rule === "residency/personal-training-outside-korea");
}
