// Golden IR: each golden/NAME.rego (first line `# entrypoints: a/b c/d`) is planned and
// printed; the text must equal golden/NAME.ir. Regenerate with UPDATE_GOLDEN=1 after a
// deliberate planner change and review the diff.
import * as fs from "node:fs";
import * as path from "node:path";
import { compileToIR, printPolicy } from "../../../compiler";

const dir = path.join(__dirname, "golden");
const update = process.env.UPDATE_GOLDEN === "1";

for (const f of fs
  .readdirSync(dir)
  .filter((x) => x.endsWith(".rego"))
  .sort()) {
  test(`golden IR: ${f}`, () => {
    const text = fs.readFileSync(path.join(dir, f), "utf8");
    const m = /^# entrypoints: (.+)$/m.exec(text);
    if (!m) throw new Error(`${f}: first line must be "# entrypoints: ..."`);
    const ir = printPolicy(compileToIR([{ file: f, text }], { entrypoints: m[1].trim().split(/\s+/) }));
    const golden = path.join(dir, f.replace(/\.rego$/, ".ir"));
    if (update || !fs.existsSync(golden)) {
      if (!update) throw new Error(`${golden} missing: run with UPDATE_GOLDEN=1`);
      fs.writeFileSync(golden, ir);
    }
    expect(ir).toBe(fs.readFileSync(golden, "utf8"));
  });
}
