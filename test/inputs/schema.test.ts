// Every document the reader produces (shared plans and own fixtures) validates against the
// exported JSON Schema, and the schema rejects documents that break the contract.

import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { INPUT_JSON_SCHEMA, readInputPath, type GuardInput } from "../../src/inputs";
import { missingReason } from "../helpers/shared";
import { jsonFilesUnder, OWN_FIXTURES, SHARED_FIXTURES, SHARED_FIXTURES_WHAT } from "./helpers";

const sharedMissing = missingReason(SHARED_FIXTURES, SHARED_FIXTURES_WHAT);

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validate = ajv.compile(INPUT_JSON_SCHEMA);

function errors(doc: unknown): string {
  return validate(doc) ? "" : ajv.errorsText(validate.errors);
}

// Fixtures that are meant to be rejected.
const REJECTED = new Set(["invalid/plan.json", "moved_block/show.json"]);

function produced(): [string, GuardInput][] {
  const out: [string, GuardInput][] = [];
  // Third-party plans when ../shared is present; the own fixtures always.
  if (!fs.existsSync(SHARED_FIXTURES)) process.stderr.write(`schema.test.ts: own fixtures only; ${sharedMissing}\n`);
  else
    for (const rel of jsonFilesUnder(SHARED_FIXTURES)) {
      if (REJECTED.has(rel)) continue;
      for (const doc of readInputPath(path.join(SHARED_FIXTURES, rel))) out.push([`shared/${rel}`, doc]);
    }
  for (const rel of [
    "plans/aws-modules.json",
    "plans/azure-google-oci.json",
    "config/multi-cloud.tf.json",
    "cdktf.out",
    "cross-stack/cdktf.out",
  ]) {
    for (const doc of readInputPath(path.join(OWN_FIXTURES, rel)))
      out.push([`own/${rel}#${doc.source.stack ?? ""}`, doc]);
  }
  return out;
}

describe("input JSON Schema", () => {
  const docs = produced();

  it("covers many documents", () => {
    expect(docs.length).toBeGreaterThanOrEqual(sharedMissing ? 5 : 25);
  });

  it.each(docs.map(([name, doc]) => [name, doc] as const))("%s validates", (_name, doc) => {
    expect(errors(JSON.parse(JSON.stringify(doc)))).toBe("");
  });

  it("rejects contract violations", () => {
    const [, doc] = docs.find(([n]) => n.startsWith("own/plans/aws-modules"))!;
    const copy = JSON.parse(JSON.stringify(doc)) as GuardInput;
    const r = copy.resources["aws_s3_bucket.train"];
    expect(errors(copy)).toBe("");
    (r.location as { region: string | null }).region = null; // resolved source without a region
    expect(errors(copy)).toContain("region");
    r.location.region = "ap-northeast-2";
    (r as { action: string }).action = "destroy";
    expect(errors(copy)).toContain("action");
    r.action = "create";
    (r.tags as Record<string, unknown>).Owner = 1;
    expect(errors(copy)).toContain("tags");
    (copy.edges[0] as { how: string }).how = "guess";
    expect(errors(copy)).toContain("how");
    copy.edges[0].how = "reference";
    copy.iam_statements[0].effect = "allow" as "Allow";
    expect(errors(copy)).toContain("effect");
    copy.iam_statements[0].effect = null;
    delete (copy as Partial<GuardInput>).schema_version;
    expect(errors(copy)).toContain("schema_version");
  });
});
