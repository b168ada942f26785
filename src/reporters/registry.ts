// Reporter registry: format name -> render function. Each reporter module is required when its
// format is first rendered, so a run loads only the reporters it writes (start-up time).

import type * as Compare from "./compare";
import type * as Html from "./html";
import type { Reporter } from "./types";

/** Formats of the `check` command. */
export const FORMATS = ["text", "json", "sarif", "junit", "markdown", "github", "html"] as const;
export type Format = (typeof FORMATS)[number];

/** Render function for each format. */
export const REPORTERS: Record<Format, Reporter> = {
  text: (ctx, options) => (require("./text") as typeof import("./text")).renderText(ctx, options),
  json: (ctx) => (require("./json") as typeof import("./json")).renderJson(ctx),
  sarif: (ctx) => (require("./sarif") as typeof import("./sarif")).renderSarif(ctx),
  junit: (ctx) => (require("./junit") as typeof import("./junit")).renderJunit(ctx),
  markdown: (ctx) => (require("./markdown") as typeof import("./markdown")).renderMarkdown(ctx),
  github: (ctx) => (require("./github") as typeof import("./github")).renderGithub(ctx),
  // The map and its layout library (dagre) load only when an HTML report is asked for.
  html: (ctx) => (require("./html") as typeof Html).renderHtml(ctx),
};

/** Formats that draw the residency map and so need the documents (`ReportContext.maps`, `CompareContext.maps`). */
export const MAP_FORMATS: ReadonlySet<string> = new Set(["html"]);

/** True when `name` is a known `check` format. */
export function isFormat(name: string): name is Format {
  return (FORMATS as readonly string[]).includes(name);
}

/** Formats the `compare` command supports. */
export const COMPARE_FORMATS = ["text", "json", "markdown", "html"] as const;
export type CompareFormat = (typeof COMPARE_FORMATS)[number];

/** Render function for each `compare` format. */
export const COMPARE_REPORTERS: Record<CompareFormat, (ctx: Compare.CompareContext) => string> = {
  text: (ctx) => (require("./compare") as typeof Compare).renderCompareText(ctx),
  json: (ctx) => (require("./compare") as typeof Compare).renderCompareJson(ctx),
  markdown: (ctx) => (require("./compare") as typeof Compare).renderCompareMarkdown(ctx),
  html: (ctx) => (require("./html") as typeof Html).renderCompareHtml(ctx),
};
