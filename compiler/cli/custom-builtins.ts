// `--builtins <file.js>`: custom builtins a user supplies for build, test and eval, as tools
// that embed OPA register their own functions. The file is a CommonJS or ES module whose
// exports (or default export) map Rego names to either a function (its arity is its declared
// parameter count) or `{ arity, impl }`:
//   module.exports = { "result.new": { arity: 2, impl: (msg, cause) => ({ msg }) } };
// Arguments and results are JSON values; a thrown error is an evaluation error.
import * as path from "node:path";
import { customBuiltins } from "../builtins/host";
import { LoadError } from "./load";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON in, JSON out
type Impl = (...args: any[]) => unknown;

/** Declarations for the compiler and implementations for the SDK. */
export interface CustomBuiltins {
  /** Name -> arity (CompileOptions.customBuiltins). */
  decls: Record<string, number>;
  /** Name -> implementation (loadPolicy's customBuiltins). */
  impls: Record<string, Impl>;
}

/** Loads and merges the builtins of every file; later files override earlier ones. */
export function loadCustomBuiltins(files: string[] = []): CustomBuiltins {
  const out: CustomBuiltins = { decls: {}, impls: {} };
  for (const file of files) {
    let mod: unknown;
    try {
      mod = require(path.resolve(file));
    } catch (e) {
      throw new LoadError(`${file}: cannot load builtins: ${(e as Error).message.split("\n")[0]}`, file);
    }
    const table = (mod as { default?: unknown }).default ?? mod;
    if (!table || typeof table !== "object") throw new LoadError(`${file}: must export an object of builtins`, file);
    for (const [name, v] of Object.entries(table as Record<string, unknown>)) {
      if (name === "__esModule") continue;
      const entry =
        typeof v === "function" ? { arity: v.length, impl: v as Impl } : (v as { arity?: unknown; impl?: unknown });
      if (typeof entry?.impl !== "function" || typeof entry.arity !== "number" || !Number.isInteger(entry.arity)) {
        throw new LoadError(`${file}: builtin ${name} must be a function or { arity, impl }`, file);
      }
      if (entry.arity > 4)
        throw new LoadError(`${file}: builtin ${name} takes ${entry.arity} arguments; at most 4`, file);
      out.decls[name] = entry.arity;
      out.impls[name] = entry.impl as Impl;
    }
  }
  return out;
}

/**
 * The implementations loadPolicy needs: the compiler's host builtins, then the user's. Without
 * strict builtin errors (opa test and opa eval's default) a host builtin that throws makes its
 * call undefined, as OPA records the error and goes on; with them the error aborts evaluation.
 */
export function hostImpls(user: Record<string, Impl> = {}, strict = false): Record<string, Impl> {
  const all: Record<string, Impl> = { ...customBuiltins(), ...user };
  if (strict) return all;
  const out: Record<string, Impl> = {};
  for (const [name, impl] of Object.entries(all)) {
    out[name] = (...args) => {
      try {
        return impl(...args);
      } catch {
        return undefined;
      }
    };
  }
  return out;
}
