// Bridge to the native builtin table (compiler/builtins/natives.ts, owned by the runtime agent).

/** Rego builtin name -> runtime export implementing it natively. */
export function nativeBuiltins(): Readonly<Record<string, string>> {
  return {};
}
