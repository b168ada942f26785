// docs/coverage.md and the coverage-gaps block of docs/limits.md are generated from the policy
// data and rule sources (npx tsx policies/tools/coverage.ts) and must be current.

import * as fs from "node:fs";
import { COVERAGE_DOC, LIMITS_DOC, gaps, renderCoverage, renderLimits } from "../../policies/tools/coverage";

describe("coverage table", () => {
  it("docs/coverage.md is current", () => {
    expect(fs.readFileSync(COVERAGE_DOC, "utf8")).toBe(renderCoverage());
  });

  it("docs/limits.md lists the same uncovered expectations", () => {
    const limits = fs.readFileSync(LIMITS_DOC, "utf8");
    expect(limits).toBe(renderLimits(limits));
    for (const g of gaps()) expect(limits).toContain(g);
  });

  it("covers the training services of the issue's corpus list", () => {
    const table = renderCoverage();
    for (const row of ["SageMaker", "Bedrock", "EKS", "Batch", "EC2", "EMR", "S3", "DynamoDB", "RDS / Aurora"]) {
      expect(table).toMatch(new RegExp(`^\\| ${row.replace("/", "\\/")} \\| .*yes`, "m"));
    }
  });
});
