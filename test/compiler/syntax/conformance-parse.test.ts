import { CompileError } from "../../../compiler/diagnostics";
import { parseModule, parseQuery } from "../../../compiler/syntax";
import { describeIfShared } from "../../helpers/shared";
import { CONFORMANCE_DIR, CORPUS_WHAT, loadCorpus } from "./corpus";

// Modules that use features outside Rego v1 and are rejected on purpose, with the code expected
// (none at present: `not { ... }` bodies under `import rego.v2` parse too).
const EXPECTED_REJECTIONS: Record<string, string> = {};

describeIfShared(CONFORMANCE_DIR, CORPUS_WHAT, "parse every OPA conformance module", () => {
  it("parses all modules and queries except the expected rejections", () => {
    const corpus = loadCorpus();
    expect(corpus.length).toBeGreaterThan(1000);
    let parsed = 0;
    const rejected: string[] = [];
    const unexpected: string[] = [];
    for (const entry of corpus) {
      try {
        if (entry.kind === "module") parseModule(entry.text, entry.file);
        else parseQuery(entry.text, entry.file);
        parsed++;
      } catch (e) {
        if (!(e instanceof CompileError)) throw e;
        const want = EXPECTED_REJECTIONS[entry.note];
        if (want && e.diagnostics[0].code === want) rejected.push(entry.note);
        else unexpected.push(`${entry.note}: ${e.message}`);
      }
    }
    console.log(
      `conformance corpus: ${parsed} parsed, ${rejected.length} rejected as expected, ${unexpected.length} unexpected failures`,
    );
    expect(unexpected).toEqual([]);
    expect(new Set(rejected)).toEqual(new Set(Object.keys(EXPECTED_REJECTIONS)));
  });
});
