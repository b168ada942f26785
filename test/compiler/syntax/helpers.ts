// Helpers for parser tests: strip positions for structural comparison, catch diagnostics.
import { CompileError, type Diagnostic } from "../../../compiler/diagnostics";

/** Deep copy without `loc`, `packageLoc` and `source` so tests can compare shapes. */
export function strip(o: unknown): unknown {
  if (Array.isArray(o)) return o.map(strip);
  if (o && typeof o === "object") {
    return Object.fromEntries(
      Object.entries(o)
        .filter(([k]) => k !== "loc" && k !== "packageLoc" && k !== "source")
        .map(([k, v]) => [k, strip(v)]),
    );
  }
  return o;
}

/** Runs `fn`, expecting a CompileError; returns its first diagnostic. */
export function diag(fn: () => unknown): Diagnostic {
  try {
    fn();
  } catch (e) {
    if (e instanceof CompileError) return e.diagnostics[0];
    throw e;
  }
  throw new Error("expected a CompileError");
}
