// yaml.is_valid / yaml.marshal / yaml.unmarshal with the `yaml` package. The SDK has its own
// versions under the same names (is_valid undefined for non-strings), so these are registered
// under host names of their own (see index.ts).
import { BuiltinError, expectOperand } from "./errors";

// `yaml` is required on the first call: the package is dozens of modules, and most policies
// never call these builtins (start-up time of the gate).
function lib(): typeof import("yaml") {
  return require("yaml") as typeof import("yaml");
}

// Go's yaml decoder reads a multi-document stream's first document but rejects syntax errors
// anywhere in it; JS `parse` would reject any second document, so parse them all.
function firstDocument(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const docs = lib().parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [];
  for (const d of list) if (d.errors.length) return { ok: false, error: d.errors[0].message.split("\n")[0] };
  return { ok: true, value: list.length ? list[0].toJS() : null };
}

/** yaml.is_valid(x): false for non-strings and unparsable text. */
export function yamlIsValid(x: unknown): boolean {
  return typeof x === "string" && firstDocument(x).ok;
}

/** yaml.marshal(x). */
export function yamlMarshal(x: unknown): string {
  return lib().stringify(x);
}

/** yaml.unmarshal(text). */
export function yamlUnmarshal(text: unknown): unknown {
  expectOperand("yaml.unmarshal", 1, text, "string", typeof text === "string");
  const doc = firstDocument(text as string);
  if (!doc.ok) throw new BuiltinError("yaml.unmarshal", doc.error);
  return doc.value;
}
