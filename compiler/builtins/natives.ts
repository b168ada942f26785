// Rego builtins the prebuilt runtime implements natively in Wasm: Rego name -> runtime export
// and arity. Builtins not listed here go to the host through env.opa_builtinN.

/** A builtin the runtime exports: call `symbol` with `arity` value addresses; 0 = undefined. */
export interface NativeBuiltin {
  symbol: string;
  arity: number;
}

/** Natively implemented builtins by Rego name. */
export const NATIVE_BUILTINS: Record<string, NativeBuiltin> = {
  equal: { symbol: "opa_cmp_eq", arity: 2 },
};
