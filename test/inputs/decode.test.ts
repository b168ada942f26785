// Input bytes -> text: UTF-8 with and without a byte-order mark and UTF-16LE/BE (with a mark, as
// Windows PowerShell writes `terraform show -json > plan.json`, or without) read as the same text.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { InputError } from "../../src/core/errors";
import { readInputPath } from "../../src/inputs";
import { decodeText, detectEncoding } from "../../src/inputs/decode";

const PLAN = path.resolve(__dirname, "../cli/fixtures/personal-training-us.plan.json");

/** The text saved in each encoding this reader accepts. */
export function encodings(text: string): Record<string, Buffer> {
  const le = Buffer.from(text, "utf16le");
  const be = Buffer.from(le);
  be.swap16();
  return {
    "utf-8": Buffer.from(text, "utf8"),
    "utf-8 with BOM": Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]),
    "utf-16le with BOM": Buffer.concat([Buffer.from([0xff, 0xfe]), le]),
    "utf-16be with BOM": Buffer.concat([Buffer.from([0xfe, 0xff]), be]),
    "utf-16le without BOM": le,
    "utf-16be without BOM": be,
  };
}

describe("decodeText", () => {
  it("gives the same text for every encoding, without the byte-order mark", () => {
    const text = '{"a": "Seoul 서울 \u{1F30F}", "b": [1, 2]}';
    for (const [name, bytes] of Object.entries(encodings(text))) {
      expect([name, decodeText(bytes, "f.json")]).toEqual([name, text]);
    }
  });

  it("round-trips any JSON text in every encoding", () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        for (const bytes of Object.values(encodings(text))) expect(decodeText(bytes, "f.json")).toBe(text);
      }),
    );
  });

  it("names the encoding it detected", () => {
    const e = encodings("{}");
    expect(detectEncoding(e["utf-8"]!, "f").encoding).toBe("utf-8");
    expect(detectEncoding(e["utf-8 with BOM"]!, "f")).toEqual({ encoding: "utf-8-bom", skip: 3 });
    expect(detectEncoding(e["utf-16le with BOM"]!, "f")).toEqual({ encoding: "utf-16le", skip: 2 });
    expect(detectEncoding(e["utf-16be with BOM"]!, "f")).toEqual({ encoding: "utf-16be", skip: 2 });
  });

  it("rejects bytes that are not text, naming the file", () => {
    const bad = (bytes: number[]) => {
      try {
        decodeText(Uint8Array.from(bytes), "plan.json");
      } catch (err) {
        expect(err).toBeInstanceOf(InputError);
        expect((err as InputError).file).toBe("plan.json");
        return (err as Error).message;
      }
      throw new Error("expected an InputError");
    };
    expect(bad([0x7b, 0xff, 0x7d])).toMatch(/not valid UTF-8/);
    expect(bad([0xff, 0xfe, 0x7b, 0x00, 0x7d])).toMatch(/odd number of bytes.*truncated/);
    expect(bad([0xff, 0xfe, 0x00, 0xd8, 0x7d, 0x00])).toMatch(/not valid UTF-16LE/);
    expect(bad([0xff, 0xfe, 0x00, 0x00, 0x7b, 0, 0, 0])).toMatch(/UTF-32/);
  });

  it("passes a zip (a saved binary plan) on so the reader can say what to run", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rg-decode-"));
    try {
      const file = path.join(dir, "tfplan");
      fs.writeFileSync(file, Buffer.from([0x50, 0x4b, 3, 4, 0xff, 0xfe, 0x00]));
      expect(() => readInputPath(file)).toThrow(/binary plan file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("readInputPath over re-encoded plans", () => {
  it("reads the same document from a plan saved in each encoding", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rg-decode-"));
    try {
      const docs = Object.entries(encodings(fs.readFileSync(PLAN, "utf8"))).map(([name, bytes]) => {
        const sub = path.join(dir, name.replace(/\W+/g, "-"));
        fs.mkdirSync(sub);
        fs.writeFileSync(path.join(sub, "plan.json"), bytes);
        const [doc] = readInputPath(path.join(sub, "plan.json"));
        return { ...doc!, source: { ...doc!.source, file: "plan.json" } };
      });
      expect(Object.keys(docs[0]!.resources).length).toBeGreaterThan(3);
      for (const doc of docs.slice(1)) expect(doc).toEqual(docs[0]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
