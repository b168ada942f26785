// Locates the package root (works from src/ under jest and from dist/src/ after tsc).

import * as fs from "node:fs";
import * as path from "node:path";

let root: string | undefined;

/** Directory holding residency-guard's package.json. */
export function packageRoot(): string {
  if (root) return root;
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, "package.json");
    if (fs.existsSync(candidate)) {
      try {
        if (JSON.parse(fs.readFileSync(candidate, "utf8")).name === "residency-guard") return (root = dir);
      } catch {
        // Not ours or unreadable: keep walking up.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find residency-guard's package.json above ${__dirname}`);
    dir = parent;
  }
}

let version: string | undefined;

/** The package version from package.json. */
export function packageVersion(): string {
  if (version) return version;
  version = String(JSON.parse(fs.readFileSync(path.join(packageRoot(), "package.json"), "utf8")).version ?? "0.0.0");
  return version;
}
