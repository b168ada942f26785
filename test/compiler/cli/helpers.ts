// Runs the rego-wasm CLI in-process with captured stdout and stderr, and writes fixture trees.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Writable } from "node:stream";
import { main } from "../../../compiler/cli/main";

function sink(): Writable & { text: string } {
  const w = new Writable({
    write(chunk, _enc, cb) {
      w.text += String(chunk);
      cb();
    },
  }) as Writable & { text: string };
  w.text = "";
  return w;
}

/** Runs `rego-wasm <args>`; returns the exit code and what it wrote. */
export function run(args: string[]): { code: number; out: string; err: string } {
  const out = sink();
  const err = sink();
  const code = main(args, {
    out: out as unknown as typeof process.stdout,
    err: err as unknown as typeof process.stderr,
  });
  return { code, out: out.text, err: err.text };
}

/** Writes files (relative path -> text) into a fresh temporary directory and returns it. */
export function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rego-wasm-cli-"));
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  return dir;
}

/** True when the AssemblyScript runtime is built (the Wasm-producing commands need it). */
export const runtimeBuilt = fs.existsSync(path.join(__dirname, "../../../compiler/runtime/build/runtime.wasm"));
