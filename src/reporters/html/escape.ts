// Escaping for text that comes from plans (addresses, names, tags, messages) into HTML and SVG.

// C0/C1 controls (except tab, LF, CR) and lone surrogates have no business in a report.
const INVALID =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML/SVG element content and quoted attribute values. */
export function esc(text: string | number | null | undefined): string {
  if (text === null || text === undefined) return "";
  return String(text)
    .replace(INVALID, "\ufffd")
    .replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}
