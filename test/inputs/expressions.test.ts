// References found in Terraform JSON template strings.

import { expressionRefs, hasTemplate } from "../../src/inputs/expressions";

describe("templates", () => {
  it("tells templates from escapes and plain braces", () => {
    expect(hasTemplate("${var.a}")).toBe(true);
    expect(hasTemplate("x-%{ if true }y%{ endif }")).toBe(true);
    expect(hasTemplate("$${aws:username}")).toBe(false);
    expect(hasTemplate('{"Version": "2012-10-17"}')).toBe(false);
  });

  it("finds resources, data sources, modules, variables and locals, without attributes", () => {
    expect(expressionRefs("${data.aws_iam_policy_document.p.json}")).toEqual([
      { kind: "resource", address: "data.aws_iam_policy_document.p" },
    ]);
    expect(expressionRefs("arn:${aws_s3_bucket.b[0].arn}/*")).toEqual([
      { kind: "resource", address: "aws_s3_bucket.b" },
    ]);
    expect(expressionRefs("${module.net.vpc_id}")).toEqual([{ kind: "module", name: "net" }]);
    expect(expressionRefs("${var.region}-${local.suffix}")).toEqual([
      { kind: "var", name: "region" },
      { kind: "local", name: "suffix" },
    ]);
  });

  it("ignores functions, string literals and meta references; iterator traversals (b.bucket) are dropped later as undeclared", () => {
    expect(expressionRefs('${join("-", [for b in aws_s3_bucket.x[*] : b.bucket])}')).toEqual([
      { kind: "resource", address: "aws_s3_bucket.x" },
      { kind: "resource", address: "b.bucket" },
    ]);
    expect(expressionRefs('${lookup(var.m, "aws_s3_bucket.fake", count.index)}')).toEqual([{ kind: "var", name: "m" }]);
    expect(expressionRefs("${each.value}${self.id}${path.module}")).toEqual([]);
  });

  it("follows templates nested in string literals", () => {
    expect(expressionRefs('${format("%s", "${aws_kms_key.k.arn}")}')).toEqual([
      { kind: "resource", address: "aws_kms_key.k" },
    ]);
  });
});
