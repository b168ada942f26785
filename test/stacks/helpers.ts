// Helpers for reading synthesized cdktf JSON in tests.

import { Testing, type TerraformStack } from "cdktf";

/** Parsed Terraform JSON of a synthesized stack. */
export interface TfDoc {
  provider?: Record<string, Array<Record<string, unknown>>>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
}

/** Synthesizes a stack (running validations) and parses the JSON. */
export function synthStack(stack: TerraformStack, runValidations = false): TfDoc {
  return JSON.parse(Testing.synth(stack, runValidations)) as TfDoc;
}

/** All resources of one type, as [logicalId, config] pairs. */
export function resourcesOf(doc: TfDoc, type: string): Array<[string, Record<string, unknown>]> {
  return Object.entries(doc.resource?.[type] ?? {});
}

/** The only resource of a type; fails the test when there is not exactly one. */
export function only(doc: TfDoc, type: string): [string, Record<string, unknown>] {
  const all = resourcesOf(doc, type);
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** Count of managed resources in a document. */
export function resourceCount(doc: TfDoc): number {
  return Object.values(doc.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
}
