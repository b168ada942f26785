// Validates SARIF against the OASIS 2.1.0 schema read from ../shared (never copied into the repo).

import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";

const schemaPath =
  process.env.RG_SARIF_SCHEMA ?? path.resolve(__dirname, "../../../shared/schemas/sarif-schema-2.1.0.json");

let validate: (((data: unknown) => boolean) & { errors?: unknown }) | undefined;

/** Returns ajv errors for `log`, or null when it is valid SARIF 2.1.0. */
export function sarifErrors(log: unknown): unknown[] | null {
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, "utf8")));
  }
  return validate(log) ? null : ((validate.errors as unknown[]) ?? []);
}
