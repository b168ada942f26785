// Input projection (settings.input_projection): the bundled policy must give identical findings
// whether it sees whole resource entries or only the fields its data declares. Run over every
// plan of the scenario corpus, the policy fixtures and, when the shared folder is there, the real
// Terraform plans, under both profiles.

import * as fs from "node:fs";
import * as path from "node:path";
import { PROFILES } from "../../src/core/rules";
import { deepMerge, policyDataFiles, projectInput, type Guard } from "../../src/engine";
import { readInputText } from "../../src/inputs";
import type { GuardInput } from "../../src/inputs/types";
import { FIXTURES_DIR, POLICIES_DIR, REPO_ROOT, fixture, testGuard } from "../helpers/policy";

const PLANS_DIR = path.join(REPO_ROOT, "test", "scenarios", "plans");

function sharedPlansDir(): string | null {
  const dir =
    process.env.TERRAFORM_JSON_FIXTURES ??
    path.join(process.env.RESIDENCY_GUARD_SHARED ?? path.join(REPO_ROOT, "..", "shared"), "fixtures", "terraform-json");
  return fs.existsSync(dir) ? dir : null;
}

/** Every input document of the corpus, the policy fixtures and the shared real plans. */
function documents(): { name: string; input: GuardInput }[] {
  const out: { name: string; input: GuardInput }[] = [];
  const read = (file: string) => {
    let docs: GuardInput[];
    try {
      docs = readInputText(fs.readFileSync(file, "utf8"), file);
    } catch {
      return; // unreadable inputs are the reader's tests, not projection's
    }
    docs.forEach((input, i) => out.push({ name: `${path.relative(REPO_ROOT, file)}#${i}`, input }));
  };
  for (const f of fs.readdirSync(PLANS_DIR).sort()) if (f.endsWith(".json")) read(path.join(PLANS_DIR, f));
  // The policy fixtures are input documents already.
  for (const f of fs.readdirSync(FIXTURES_DIR).sort()) {
    if (f.endsWith(".json")) out.push({ name: `test/fixtures/policies/${f}`, input: fixture(f) });
  }
  const shared = sharedPlansDir();
  if (shared) {
    for (const f of fs.readdirSync(shared).sort()) if (f.endsWith(".json")) read(path.join(shared, f));
  } else {
    process.stderr.write("projection.test: no shared terraform-json fixtures (../shared); corpus and fixtures only\n");
  }
  return out;
}

const findingsOf = (guard: Guard, input: GuardInput, profile: (typeof PROFILES)[number]) =>
  guard.evaluate(input, profile).findings;

let projected: Guard;
let whole: Guard;
let docs: { name: string; input: GuardInput }[];

beforeAll(() => {
  projected = testGuard();
  whole = testGuard({ projectInput: false });
  docs = documents();
});

describe("input projection", () => {
  test("covers the corpus (150 plans) and the policy fixtures", () => {
    expect(docs.filter((d) => d.name.startsWith("test/scenarios/plans/")).length).toBeGreaterThanOrEqual(150);
    expect(docs.filter((d) => d.name.startsWith("test/fixtures/policies/")).length).toBeGreaterThan(5);
  });

  test("findings are identical with and without projection, under every profile", () => {
    const differ: string[] = [];
    let findings = 0;
    for (const { name, input } of docs) {
      for (const profile of PROFILES) {
        const a = findingsOf(projected, input, profile);
        const b = findingsOf(whole, input, profile);
        findings += b.length;
        if (JSON.stringify(a) !== JSON.stringify(b)) differ.push(`${name} ${profile}`);
      }
    }
    expect(differ).toEqual([]);
    expect(findings).toBeGreaterThan(100);
  });

  test("compare gives the same rows with and without projection", () => {
    for (const { input } of docs.slice(0, 40)) expect(projected.compare(input)).toEqual(whole.compare(input));
  });

  test("the bundled policy data declares the projection (so the comparison above is not of two whole documents)", () => {
    const data = policyDataFiles(POLICIES_DIR).reduce<unknown>(
      (acc, f) => deepMerge(acc, JSON.parse(fs.readFileSync(f, "utf8"))),
      {},
    ) as { residency_guard: { settings: { input_projection?: { resource_fields: string[] } } } };
    const fields = data.residency_guard.settings.input_projection?.resource_fields ?? [];
    expect(fields).toContain("values");
    expect(fields).not.toContain("construct_path");
  });

  test("the projected document keeps only the declared fields of each resource", () => {
    const { input } = docs[0]!;
    const cut = projectInput(input, ["type", "values"]);
    for (const [address, entry] of Object.entries(cut.resources)) {
      expect(Object.keys(entry).sort()).toEqual(["type", "values"]);
      expect(entry.values).toBe(input.resources[address]!.values);
    }
    expect(cut.edges).toBe(input.edges);
    expect(Object.keys(input.resources[Object.keys(input.resources)[0]!]!)).toContain("construct_path");
  });

  test("a projection that drops a field the rules read changes findings (this test can fail)", () => {
    const missingTags = testGuard({
      data: {
        residency_guard: {
          settings: {
            input_projection: {
              resource_fields: ["type", "action", "values", "unknown", "references", "location", "defaults"],
            },
          },
        },
      },
    });
    const changed = docs.some(({ input }) =>
      PROFILES.some(
        (p) => JSON.stringify(findingsOf(missingTags, input, p)) !== JSON.stringify(findingsOf(whole, input, p)),
      ),
    );
    expect(changed).toBe(true);
  });
});
