// Reporters: one pure render function per format; the registry loads them on first use.

export { FORMATS, REPORTERS, isFormat, COMPARE_REPORTERS, MAP_FORMATS, type Format } from "./registry";
export * from "./types";
export { renderText } from "./text";
export { renderJson, buildJsonReport, REPORT_SCHEMA_VERSION, type JsonReport, type JsonFinding } from "./json";
export { renderSarif, buildSarif } from "./sarif";
export { renderJunit } from "./junit";
export { renderMarkdown } from "./markdown";
export { renderGithub, renderGithubSummary } from "./github";
export { lineageFlowchart, MAX_MERMAID_PATHS } from "./mermaid";
export {
  renderCompareText,
  renderCompareJson,
  renderCompareMarkdown,
  COMPARE_FORMATS,
  COMPARE_SCHEMA_VERSION,
  type CompareContext,
  type CompareFormat,
} from "./compare";
