// Errors raised by host builtins; the SDK lets them propagate out of evaluate (fail closed).

/** A builtin called with bad operands or failing at run time (OPA's eval_builtin_error / eval_type_error). */
export class BuiltinError extends Error {
  constructor(
    readonly builtin: string,
    message: string,
    /** OPA's error code; the message starts with it, as a native builtin's strict error does. */
    readonly code: "eval_builtin_error" | "eval_type_error" = "eval_builtin_error",
  ) {
    super(`${code}: ${builtin}: ${message}`);
    this.name = "BuiltinError";
  }
}

/** OPA's type names for operand errors. */
export function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  switch (typeof v) {
    case "boolean":
      return "boolean";
    case "number":
      return "number";
    case "string":
      return "string";
    default:
      return "object";
  }
}

/** Throws OPA's "operand N must be T but got U" error unless `ok`. */
export function expectOperand(builtin: string, n: number, v: unknown, want: string, ok: boolean): void {
  if (!ok) throw new BuiltinError(builtin, `operand ${n} must be ${want} but got ${typeName(v)}`, "eval_type_error");
}
