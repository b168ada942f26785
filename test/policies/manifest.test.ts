// Pins every rule id, level and profile so none can vanish or change silently, and checks that
// the entrypoint aggregates every rule file, that ids agree everywhere, and that docs are current.

import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { loadRuleMetadata, readPolicySources } from "../../src/core/rules";
import { deepMerge, policyDataFiles } from "../../src/engine";
import { renderRulesDoc, RULES_DOC } from "../../policies/tools/docs-rules";
import { POLICIES_DIR } from "../helpers/policy";

const PINNED: Record<string, { level: string; profiles: string[] }> = {
  "residency/personal-training-outside-korea": { level: "mandatory", profiles: ["kr-localization"] },
  "residency/personal-store-outside-korea": { level: "mandatory", profiles: ["kr-localization"] },
  "residency/unresolved-location": { level: "mandatory", profiles: ["kr-localization"] },
  "residency/bedrock-customization-region": { level: "advisory", profiles: ["kr-localization"] },
  "residency/opaque-module": { level: "mandatory", profiles: ["kr-localization", "risk-based"] },
  "residency/unresolved-data-access": { level: "mandatory", profiles: ["kr-localization"] },
  "residency/unclassified-data": { level: "advisory", profiles: ["kr-localization", "risk-based"] },
  "private-cloud/personal-training-shared-infrastructure": { level: "mandatory", profiles: ["kr-localization"] },
  "cross-border/personal-data-replicated-abroad": { level: "mandatory", profiles: ["kr-localization"] },
  "cross-border/bedrock-cross-region-inference": { level: "mandatory", profiles: ["kr-localization"] },
  "safeguards/customer-managed-key": { level: "mandatory", profiles: ["kr-localization", "risk-based"] },
  "safeguards/public-access": { level: "mandatory", profiles: ["kr-localization", "risk-based"] },
  "safeguards/in-transit-encryption": { level: "mandatory", profiles: ["kr-localization", "risk-based"] },
  "safeguards/access-logging": { level: "advisory", profiles: ["kr-localization", "risk-based"] },
  "sector/regulated-network-isolation": { level: "mandatory", profiles: ["risk-based"] },
  "sector/regulated-access-logging": { level: "mandatory", profiles: ["risk-based"] },
  "sector/regulated-key-rotation": { level: "mandatory", profiles: ["risk-based"] },
};

const rules = loadRuleMetadata(POLICIES_DIR);
const pkg = (id: string) => `residency_guard.rules.${id.replace(/-/g, "_").replace("/", ".")}`;

describe("rule manifest", () => {
  it("pins every rule id, level and profile", () => {
    const actual = Object.fromEntries(rules.map((r) => [r.id, { level: r.level, profiles: r.profiles }]));
    expect(actual).toEqual(PINNED);
  });

  it("has a title, description and remediation for every rule", () => {
    for (const r of rules) {
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.description.length).toBeGreaterThan(40);
      expect(r.remediation.length).toBeGreaterThan(20);
    }
  });

  it("keeps the id in the rule body equal to the METADATA id", () => {
    for (const s of readPolicySources(path.join(POLICIES_DIR, "rules"))) {
      const meta = rules.find((r) => `${pkg(r.id).split(".").slice(2).join("/")}.rego` === s.file)!;
      expect(meta).toBeDefined();
      expect(s.text).toContain(`id := "${meta.id}"`);
    }
  });

  it("aggregates every rule package in findings.rego, and nothing else", () => {
    const text = fs.readFileSync(path.join(POLICIES_DIR, "findings.rego"), "utf8");
    const referenced = [...text.matchAll(/data\.(residency_guard\.rules\.[a-z_.]+)\.violations/g)]
      .map((m) => m[1])
      .sort();
    expect(referenced).toEqual(rules.map((r) => pkg(r.id)).sort());
  });

  it("pins the Korean locations in the bundled policy data", () => {
    const files = policyDataFiles(POLICIES_DIR);
    expect(path.basename(files[0])).toBe("defaults.json");
    // Bundled data files are merged in order; a later file may not move the Korean defaults.
    const data = files
      .map((f) =>
        /\.ya?ml$/i.test(f) ? parseYaml(fs.readFileSync(f, "utf8")) : JSON.parse(fs.readFileSync(f, "utf8")),
      )
      .reduce((a, b) => deepMerge(a, b)) as {
      residency_guard: {
        settings: { locations: { allowed: unknown }; profile: string; private_cloud: { reading: string } };
      };
    };
    expect(data.residency_guard.settings.locations.allowed).toEqual({
      aws: ["ap-northeast-2"],
      azure: ["koreacentral", "koreasouth"],
      google: ["asia-northeast3"],
      oci: ["ap-seoul-1", "ap-chuncheon-1"],
    });
    expect(data.residency_guard.settings.profile).toBe("kr-localization");
    expect(data.residency_guard.settings.private_cloud.reading).toBe("isolated");
  });

  it("has docs/rules.md generated from the current metadata (npm run docs:rules)", () => {
    expect(fs.readFileSync(RULES_DOC, "utf8")).toBe(renderRulesDoc(rules));
  });
});
