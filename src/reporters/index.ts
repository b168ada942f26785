// Reporter registry: format name -> pure render function.

import { renderGithub } from "./github";
import { renderJson } from "./json";
import { renderJunit } from "./junit";
import { renderMarkdown } from "./markdown";
import { renderSarif } from "./sarif";
import { renderText } from "./text";
import type { Reporter } from "./types";

/** Formats of the `check` command. */
export const FORMATS = ["text", "json", "sarif", "junit", "markdown", "github"] as const;
export type Format = (typeof FORMATS)[number];

/** Render function for each format. */
export const REPORTERS: Record<Format, Reporter> = {
  text: renderText,
  json: (ctx) => renderJson(ctx),
  sarif: (ctx) => renderSarif(ctx),
  junit: (ctx) => renderJunit(ctx),
  markdown: (ctx) => renderMarkdown(ctx),
  github: (ctx) => renderGithub(ctx),
};

/** True when `name` is a known `check` format. */
export function isFormat(name: string): name is Format {
  return (FORMATS as readonly string[]).includes(name);
}

export * from "./types";
export { renderText } from "./text";
export { renderJson, buildJsonReport, REPORT_SCHEMA_VERSION, type JsonReport, type JsonFinding } from "./json";
export { renderSarif, buildSarif } from "./sarif";
export { renderJunit } from "./junit";
export { renderMarkdown } from "./markdown";
export { renderGithub } from "./github";
export {
  renderCompareText,
  renderCompareJson,
  renderCompareMarkdown,
  COMPARE_FORMATS,
  COMPARE_SCHEMA_VERSION,
  type CompareContext,
  type CompareFormat,
} from "./compare";
