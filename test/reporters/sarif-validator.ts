// Validates SARIF against the SARIF 2.1.0 JSON Schema shipped by Microsoft's SARIF SDK package
// @microsoft/jest-sarif (pinned devDependency): `sarif-2.1.0-rtm.5.json`, the schema of the
// OASIS 2.1.0 standard. Nothing is read from ../shared.

import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";

/** The schema file inside the package. */
export const SARIF_SCHEMA_FILE = path.join(
  path.dirname(require.resolve("@microsoft/jest-sarif/package.json")),
  "lib/schemas/sarif-2.1.0-rtm.5.json",
);

let validate: (((data: unknown) => boolean) & { errors?: unknown }) | undefined;

/** Returns ajv errors for `log`, or null when it is valid SARIF 2.1.0. */
export function sarifErrors(log: unknown): unknown[] | null {
  if (!validate) {
    // The schema's `language` pattern has a lone `]` that only non-unicode regular expressions accept.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    validate = ajv.compile(JSON.parse(fs.readFileSync(SARIF_SCHEMA_FILE, "utf8")) as object);
  }
  return validate(log) ? null : ((validate.errors as unknown[]) ?? []);
}
