// A large generated plan is read completely and correctly. Timing is measured outside the
// tests (see the report in docs/input-document.md), never asserted here.

import { readInputText } from "../../src/inputs";
import { generatePlan } from "./generate-plan";

describe("large plan", () => {
  it("reads 20k resources with instance-paired and module references", () => {
    const [doc] = readInputText(JSON.stringify(generatePlan(20000)), "big.json");
    const all = Object.values(doc.resources);
    expect(all).toHaveLength(20000);
    expect(doc.resources["aws_s3_object.obj[4321]"].references).toEqual([
      { attribute: "bucket", address: "aws_s3_bucket.data[4321]" },
    ]);
    expect(doc.resources['module.train["m7"].aws_instance.gpu[3]'].references).toEqual([
      { attribute: "iam_instance_profile", address: "aws_s3_bucket.data[0]" },
    ]);
    // Linear output: one reference per object and per module instance resource, none for buckets.
    expect(all.reduce((n, r) => n + r.references.length, 0)).toBe(20000 - 6666);
    expect(all.every((r) => r.location.region === "ap-northeast-2")).toBe(true);
  });
});
