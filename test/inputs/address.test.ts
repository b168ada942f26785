// Terraform addresses and references split into steps, keys kept or dropped.

import { formatKey, parseInstanceAddress, splitAddress } from "../../src/inputs/address";

describe("addresses", () => {
  it("parses module instances, data sources and keys", () => {
    expect(parseInstanceAddress('module.a["x.y"].module.b[2].data.aws_x.y["k\\"q"]')).toEqual({
      modules: [
        { name: "a", key: "x.y" },
        { name: "b", key: 2 },
      ],
      mode: "data",
      type: "aws_x",
      name: "y",
      key: 'k"q',
    });
    expect(parseInstanceAddress("aws_s3_bucket.b")).toEqual({
      modules: [],
      mode: "managed",
      type: "aws_s3_bucket",
      name: "b",
      key: null,
    });
  });

  it("rejects what is not a resource instance", () => {
    for (const bad of [
      "aws_s3_bucket",
      "aws_s3_bucket.b.c",
      'aws_s3_bucket.b["x',
      "module.a",
      "aws_x.y[*]",
      "aws_x.y[var.i]",
      "a..b",
    ]) {
      expect([bad, parseInstanceAddress(bad)]).toEqual([bad, null]);
    }
  });

  it("splits references with splats and attribute indices", () => {
    expect(splitAddress('aws_x.y[0].tags["Name"]')).toEqual([
      { name: "aws_x", keys: [] },
      { name: "y", keys: [0] },
      { name: "tags", keys: ["Name"] },
    ]);
    expect(splitAddress("aws_x.y.*.id")?.map((s) => s.name)).toEqual(["aws_x", "y", "*", "id"]);
  });

  it("formats keys as Terraform prints them", () => {
    expect(formatKey(3)).toBe("[3]");
    expect(formatKey('a"b')).toBe('["a\\"b"]');
  });
});
