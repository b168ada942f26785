// yaml.is_valid / yaml.marshal / yaml.unmarshal with the `yaml` package. The SDK has its own
// versions under the same names (is_valid undefined for non-strings), so these are registered
// under host names of their own (see index.ts).
import { parse, stringify } from "yaml";
import { BuiltinError, expectOperand } from "./errors";

/** yaml.is_valid(x): false for non-strings and unparsable text. */
export function yamlIsValid(x: unknown): boolean {
  if (typeof x !== "string") return false;
  try {
    parse(x);
    return true;
  } catch {
    return false;
  }
}

/** yaml.marshal(x). */
export function yamlMarshal(x: unknown): string {
  return stringify(x);
}

/** yaml.unmarshal(text). */
export function yamlUnmarshal(text: unknown): unknown {
  expectOperand("yaml.unmarshal", 1, text, "string", typeof text === "string");
  try {
    return parse(text as string);
  } catch (e) {
    throw new BuiltinError("yaml.unmarshal", (e as Error).message.split("\n")[0]);
  }
}
