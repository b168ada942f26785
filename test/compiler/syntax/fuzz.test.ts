// Property tests: on any input the parser returns a module or throws a CompileError with a
// rego_parse_error (or rego_unsupported_error) whose position is inside the text.
import fc from "fast-check";
import { CompileError } from "../../../compiler/diagnostics";
import { parseModule, parseQuery } from "../../../compiler/syntax";
import { itIfShared } from "../../helpers/shared";
import { CONFORMANCE_DIR, CORPUS_WHAT, loadCorpus } from "./corpus";

function check(text: string, kind: "module" | "query"): void {
  try {
    if (kind === "module") parseModule(text, "f.rego");
    else parseQuery(text, "f.rego");
  } catch (e) {
    if (!(e instanceof CompileError)) throw new Error(`non-CompileError ${String(e)} for ${JSON.stringify(text)}`);
    expect(e.diagnostics.length).toBeGreaterThan(0);
    for (const d of e.diagnostics) {
      expect(["rego_parse_error", "rego_unsupported_error"]).toContain(d.code);
      expect(d.loc.file).toBe("f.rego");
      expect(d.loc.offset).toBeGreaterThanOrEqual(0);
      expect(d.loc.offset).toBeLessThanOrEqual(text.length);
      // line/col must agree with the offset
      const before = text.slice(0, d.loc.offset).split("\n");
      expect(d.loc.line).toBe(before.length);
      expect(d.loc.col).toBe(before[before.length - 1].length + 1);
    }
  }
}

const FRAGMENTS = [
  "package p\n",
  "import data.x\n",
  "p",
  "q",
  "x",
  "_",
  " ",
  "\n",
  ":=",
  "=",
  "==",
  "if",
  "{",
  "}",
  "[",
  "]",
  "(",
  ")",
  ",",
  ";",
  ".",
  ":",
  "|",
  "&",
  "+",
  "-",
  "*",
  "/",
  "%",
  "<",
  ">=",
  "!=",
  "in",
  "some",
  "every",
  "not",
  "with",
  "as",
  "contains",
  "else",
  "default",
  "1",
  "2.5",
  "1e3",
  '"s"',
  '"\\u00e9"',
  "`r`",
  "null",
  "true",
  "set()",
  "input",
  "data",
  "# c\n",
  "# METADATA\n# title: t\n",
];

describe("parser fuzzing", () => {
  it("random strings never crash the parser", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        check(s, "module");
        check(s, "query");
        check("package p\n" + s, "module");
      }),
      { numRuns: 500 },
    );
  });

  it("random token soups never crash the parser", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 }), (parts) => {
        const text = parts.join(" ");
        check(text, "module");
        check("package p\n" + text, "module");
        check(text, "query");
      }),
      { numRuns: 500 },
    );
  });

  it("deep nesting is an error, not a stack overflow", () => {
    for (const open of ["[", "{", "(", "[x | ", "f("]) {
      check(`package p\np := ${open.repeat(5000)}`, "module");
    }
    check(`package p\np := ${"-".repeat(20000)}1`, "module");
    check(`package p\np if ${"not ".repeat(5000)}x`, "module");
  });

  itIfShared(CONFORMANCE_DIR, CORPUS_WHAT, "mutated conformance modules never crash the parser", () => {
    const modules = loadCorpus()
      .filter((e) => e.kind === "module")
      .map((e) => e.text);
    const mutation = fc.oneof(
      fc.record({ op: fc.constant("delete" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
      fc.record({ op: fc.constant("insert" as const), at: fc.nat(), text: fc.constantFrom(...FRAGMENTS) }),
      fc.record({ op: fc.constant("dup" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 30 }) }),
    );
    fc.assert(
      fc.property(
        fc.nat({ max: modules.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (i, muts) => {
          let text = modules[i];
          for (const m of muts) {
            const at = m.at % (text.length + 1);
            if (m.op === "delete") text = text.slice(0, at) + text.slice(at + m.len);
            else if (m.op === "insert") text = text.slice(0, at) + m.text + text.slice(at);
            else text = text.slice(0, at) + text.slice(at, at + m.len) + text.slice(at);
          }
          check(text, "module");
        },
      ),
      { numRuns: 800 },
    );
  });
});
